package io.kbench.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.agent.consume.ConsumerAgent;
import io.kbench.agent.run.HeapHeadroom;
import io.kbench.agent.testkit.AgentProcess;
import io.kbench.agent.testkit.Jcmd;
import io.kbench.agent.testkit.Launches;
import io.kbench.agent.testkit.Poll;
import io.kbench.agent.testkit.Topics;
import io.kbench.broker.junit.KafkaCluster;
import io.kbench.broker.junit.KafkaClusterExtension;
import io.kbench.protocol.AgentIo;
import io.kbench.protocol.message.RateChange;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StopRun;
import io.kbench.protocol.topic.KbenchTopics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An agent JVM lets its heap grow roomily while a producer runs unthrottled or a consumer reads a backlog, and goes
 * back to the JVM's default sizing when the producer is given a rate or the consumer has caught up: the flags as the
 * running JVM's collector reads them, asked of it with {@code jcmd}.
 */
@ExtendWith(KafkaClusterExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HeapHeadroomIT {

    private static final String PREFIX = "roomy";
    private static final Pattern MIN_FREE = Pattern.compile("\\bMinHeapFreeRatio\\s*=\\s*(\\d+)");

    @Test
    void anUnthrottledProducersHeapGrowsRoomilyUntilARateIsSet(KafkaCluster kafka) throws Exception {
        String bootstrap = kafka.bootstrapServers();
        Topics.create(bootstrap, "unthrottled:3", new KbenchTopics(PREFIX).metrics() + ":3");
        String runId = "roomy-1";
        try (AgentProcess producer = AgentProcess.start()) {
            producer.send(
                    runId,
                    Launches.launch(
                            runId, bootstrap, PREFIX, Launches.producer("p0", bootstrap, "unthrottled", 0, 100)));
            producer.awaitReady(1, Duration.ofSeconds(40));
            assertEquals(40, minHeapFreeRatio(producer), "ready, not yet sending: the JVM's default");

            producer.send(runId, new StartRun(System.currentTimeMillis() + 500, 0, 30_000, 0));
            Poll.until(
                    () -> minHeapFreeRatio(producer) == HeapHeadroom.ROOMY_MIN_FREE,
                    Duration.ofSeconds(20),
                    () -> "MinHeapFreeRatio " + minHeapFreeRatio(producer) + "; " + producer.describe());

            producer.send(runId, new RateChange(1_000));
            Poll.until(
                    () -> minHeapFreeRatio(producer) == 40,
                    Duration.ofSeconds(20),
                    () -> "MinHeapFreeRatio " + minHeapFreeRatio(producer) + "; " + producer.describe());

            producer.send(runId, new StopRun(StopRun.Reason.COMPLETED, "test done"));
            assertEquals(AgentIo.EXIT_OK, producer.awaitExit(Duration.ofSeconds(30)), producer::describe);
        }
    }

    @Test
    void aConsumerReadingABacklogHasRoomUntilItCatchesUp(KafkaCluster kafka) throws Exception {
        String bootstrap = kafka.bootstrapServers();
        String prefix = PREFIX + "-consumer"; // the broker is the class's: its own metrics topic
        Topics.create(bootstrap, "backlog:2", new KbenchTopics(prefix).metrics() + ":3");
        // Small batches and a consumer that fetches one batch at a time: the backlog takes seconds to read.
        int records = 4 * (int) ConsumerAgent.BEHIND_RECORDS;
        try (Producer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrap, "batch.size", "1000", "linger.ms", "0"),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            byte[] value = new byte[100];
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>("backlog", value));
            }
            producer.flush();
        }
        String runId = "roomy-2";
        Map<String, String> slowReader = Map.of("max.partition.fetch.bytes", "1000", "fetch.max.bytes", "1000");
        try (AgentProcess consumer = AgentProcess.start()) {
            consumer.send(
                    runId,
                    Launches.launch(
                            runId,
                            bootstrap,
                            prefix,
                            Launches.consumer("c0", bootstrap, "backlog", "g-backlog", slowReader)));
            consumer.awaitReady(1, Duration.ofSeconds(40));
            Poll.until(
                    () -> minHeapFreeRatio(consumer) == HeapHeadroom.ROOMY_MIN_FREE,
                    Duration.ofSeconds(20),
                    () -> "MinHeapFreeRatio " + minHeapFreeRatio(consumer) + " while reading " + records + " records; "
                            + consumer.describe());

            Poll.until(
                    () -> minHeapFreeRatio(consumer) == 40,
                    Duration.ofSeconds(60),
                    () -> "MinHeapFreeRatio " + minHeapFreeRatio(consumer) + " after the backlog; "
                            + consumer.describe());
            assertTrue(
                    consumer.stderr().stream().anyMatch(l -> l.contains("a consumer reading a backlog no longer")),
                    consumer::describe);

            consumer.send(runId, new StopRun(StopRun.Reason.COMPLETED, "test done"));
            assertEquals(AgentIo.EXIT_OK, consumer.awaitExit(Duration.ofSeconds(30)), consumer::describe);
        }
    }

    /** The running JVM's {@code MinHeapFreeRatio}, or -1 when jcmd could not say. */
    private static int minHeapFreeRatio(AgentProcess jvm) {
        Matcher matcher = MIN_FREE.matcher(Jcmd.ask(jvm.pid(), "VM.flags", "-all"));
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
    }
}
