package io.kbench.agent.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kbench.protocol.Decoded;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.AgentRole;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.StatsReport;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
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
                0);
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
}
