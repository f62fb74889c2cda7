package io.kbench.agent.testkit;

import io.kbench.protocol.Decoded;
import io.kbench.protocol.KafkaClients;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.StatsReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads the {@link StatsReport}s of one run from the metrics topic, from the beginning. */
public final class MetricsReader implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final MessageCodec codec = new MessageCodec();
    private final String runId;
    private final List<StatsReport> reports = new ArrayList<>();

    public MetricsReader(String bootstrap, String topic, String runId) {
        this.runId = runId;
        this.consumer = KafkaClients.readerConsumer(bootstrap, Map.of());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Polls until the reports read so far satisfy {@code done}; returns them all. */
    public List<StatsReport> readUntil(Predicate<List<StatsReport>> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(reports)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("metrics not as expected within " + timeout + ": " + summary());
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (!runId.equals(record.key())) {
                    continue;
                }
                if (codec.decode(record.value()) instanceof Decoded.Ok ok && ok.message() instanceof StatsReport r) {
                    reports.add(r);
                }
            }
        }
        return List.copyOf(reports);
    }

    /** True once every named agent has sent its last report. */
    public static Predicate<List<StatsReport>> lastReportsFrom(String... agentIds) {
        return reports -> List.of(agentIds).stream()
                .allMatch(id -> reports.stream().anyMatch(r -> r.agentId().equals(id) && r.last()));
    }

    public String summary() {
        return reports.stream()
                .map(r -> r.agentId() + "#" + r.seq() + " " + r.phase() + " sent=" + r.messagesSent()
                        + (r.sentOutsidePhase() > 0 ? "+" + r.sentOutsidePhase() + " of another phase" : "")
                        + " recv=" + r.messagesReceived() + (r.last() ? " LAST" : ""))
                .toList()
                .toString();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
