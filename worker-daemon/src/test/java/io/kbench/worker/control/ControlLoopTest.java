package io.kbench.worker.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.RunAssignment;
import io.kbench.worker.metrics.WorkerMeters;
import io.kbench.worker.testing.Poll;
import io.kbench.worker.testing.RecordingEventSink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/**
 * A control loop that dies (here on the authorization error a broker with ACLs gives; Kafka's own MockConsumer
 * stands in for that broker) reports the error as its problem, so the worker's heartbeat says it is deaf.
 */
class ControlLoopTest {

    private static final String TOPIC = "kbench.control";

    private final Clock clock = Clock.systemUTC();
    private final MessageCodec codec = new MessageCodec(clock);

    private ControlRouter router() {
        return new ControlRouter(
                "w1",
                codec,
                Optional.empty(),
                new AssignmentValidator(List.of(), List.of(), 4, clock),
                new NoRuns(),
                new RecordingEventSink(),
                new WorkerMeters(new SimpleMeterRegistry(), "w1", () -> 0, () -> 0));
    }

    private static MockConsumer<String, byte[]> consumer() {
        MockConsumer<String, byte[]> consumer = new MockConsumer<>(AutoOffsetResetStrategy.LATEST.name());
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        Node node = new Node(0, "localhost", 9092);
        consumer.updatePartitions(
                TOPIC, List.of(new PartitionInfo(TOPIC, 0, node, new Node[] {node}, new Node[] {node})));
        consumer.updateBeginningOffsets(Map.of(tp, 0L));
        consumer.updateEndOffsets(Map.of(tp, 0L));
        return consumer;
    }

    @Test
    void aLoopThatPollsHasNoProblem() throws Exception {
        MockConsumer<String, byte[]> consumer = consumer();
        try (ControlLoop loop = new ControlLoop(consumer, TOPIC, router(), "w1", clock)) {
            assertEquals(Optional.empty(), loop.problem(clock.millis()), "not started yet");
            // The loop notes the poll's time before it polls: once the poll runs this task, the time is noted.
            java.util.concurrent.CountDownLatch polled = new java.util.concurrent.CountDownLatch(1);
            consumer.schedulePollTask(polled::countDown);
            loop.start(Duration.ofSeconds(1));
            assertTrue(polled.await(10, java.util.concurrent.TimeUnit.SECONDS), "the loop polled");
            assertTrue(loop.isRunning());
            assertEquals(Optional.empty(), loop.problem(clock.millis()));
            // Seen from 31 s later without a poll in between, the same loop counts as stuck.
            assertTrue(loop.problem(clock.millis() + ControlLoop.STALL.toMillis() + 1_500)
                    .orElseThrow()
                    .startsWith("control loop has not polled for"));
        }
    }

    @Test
    void aLoopThatDiedOnAnAuthorizationErrorSaysSo() throws Exception {
        MockConsumer<String, byte[]> consumer = consumer();
        try (ControlLoop loop = new ControlLoop(consumer, TOPIC, router(), "w1", clock)) {
            loop.start(Duration.ofSeconds(1));
            consumer.setPollException(new TopicAuthorizationException(Set.of(TOPIC)));
            Poll.until(loop::isRunning, running -> !running, Duration.ofSeconds(5));
            assertFalse(loop.isRunning());
            String problem = loop.problem(clock.millis()).orElseThrow();
            assertTrue(problem.startsWith("control loop stopped: TopicAuthorizationException"), problem);
        }
    }

    private static final class NoRuns implements AgentRuns {
        @Override
        public int runningAgents() {
            return 0;
        }

        @Override
        public boolean hasRun(String runId) {
            return false;
        }

        @Override
        public void spawn(String runId, RunAssignment assignment) {}

        @Override
        public void relay(String runId, String line) {}

        @Override
        public void stop(String runId, String stopLine) {}
    }
}
