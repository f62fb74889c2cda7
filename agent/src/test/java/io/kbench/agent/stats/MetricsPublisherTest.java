package io.kbench.agent.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.protocol.Decoded;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.AgentRole;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.StatsReport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** A report whose send fails is sent again, in order, before the next: reports carry deltas. */
class MetricsPublisherTest {

    private final MessageCodec codec = new MessageCodec();

    private static StatsReport report(long seq) {
        return new StatsReport(
                "p0",
                "w1",
                AgentRole.PRODUCER,
                Phase.MEASURE,
                seq,
                seq * 1000,
                seq * 1000 + 1000,
                10,
                1000,
                0,
                Map.of(),
                0,
                0,
                0,
                0,
                0,
                Map.of(),
                false,
                null,
                null,
                0,
                0L,
                null,
                null);
    }

    private List<Long> sentSeqs(MockProducer<String, byte[]> producer) {
        return producer.history().stream()
                .map(r -> ((StatsReport) ((Decoded.Ok) codec.decode(r.value())).message()).seq())
                .toList();
    }

    @Test
    void aReportThatFailedLaterIsSentAgainBeforeTheNext() {
        MockProducer<String, byte[]> producer =
                new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
        MetricsPublisher publisher = new MetricsPublisher(producer, "m", "r1", codec);

        publisher.publish(report(0));
        producer.errorNext(new TimeoutException("expired while the brokers were away"));
        assertEquals(1, publisher.pending());

        publisher.publish(report(1));
        producer.completeNext();
        producer.completeNext();

        assertEquals(List.of(0L, 0L, 1L), sentSeqs(producer), "seq 0 again, then 1");
        assertEquals(0, publisher.pending());
        assertEquals(0, publisher.dropped());
    }

    /** Its first answers time out (a starved JVM), then metadata comes: the check asks again within its limit. */
    private static final class SlowMetadata extends MockProducer<String, byte[]> {
        private int timeoutsLeft;

        SlowMetadata(int timeouts) {
            super(false, null, new StringSerializer(), new ByteArraySerializer());
            this.timeoutsLeft = timeouts;
        }

        @Override
        public synchronized List<PartitionInfo> partitionsFor(String topic) {
            if (timeoutsLeft > 0) {
                timeoutsLeft--;
                throw new TimeoutException("Topic " + topic + " not present in metadata after 15000 ms.");
            }
            return List.of(new PartitionInfo(topic, 0, null, new Node[0], new Node[0]));
        }
    }

    @Test
    void theControlCheckAsksAgainAfterATimeoutUntilItsLimit() {
        SlowMetadata slow = new SlowMetadata(2);
        new MetricsPublisher(slow, "m", "r1", codec).checkReachable(Duration.ofSeconds(30));
        assertEquals(0, slow.timeoutsLeft, "asked until it had an answer");

        SlowMetadata never = new SlowMetadata(Integer.MAX_VALUE);
        TimeoutException e = assertThrows(TimeoutException.class, () -> new MetricsPublisher(never, "m", "r1", codec)
                .checkReachable(Duration.ZERO));
        assertTrue(e.getMessage().contains("not present in metadata"), e.getMessage());
        assertEquals(Integer.MAX_VALUE - 1, never.timeoutsLeft, "no second try once the limit has passed");
    }
}
