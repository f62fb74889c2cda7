package io.kbench.bench;

import io.kbench.protocol.Decoded;
import io.kbench.protocol.KafkaClients;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.histogram.HistogramCodec;
import io.kbench.protocol.message.LatencyKind;
import io.kbench.protocol.message.LatencyStats;
import io.kbench.protocol.message.StatsReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads one run's {@link StatsReport}s from the metrics topic, from the position it had when created, until
 * every named agent sent its last report.
 */
final class StatsCollector implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final MessageCodec codec;
    private final List<StatsReport> reports = new ArrayList<>();
    /** Reports read by {@link #awaitReceived}, handed out again by the next {@link #awaitLast}. */
    private final List<StatsReport> held = new ArrayList<>();

    StatsCollector(String bootstrap, String metricsTopic, MessageCodec codec) {
        this.codec = codec;
        this.consumer = KafkaClients.readerConsumer(bootstrap, Map.of());
        List<TopicPartition> partitions = consumer.partitionsFor(metricsTopic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // position() resolves the lazy seek now, before any agent of the run can report.
        partitions.forEach(consumer::position);
    }

    /** Every report of {@code runId} until each agent's {@code last} one, or fails at the timeout. */
    List<StatsReport> awaitLast(String runId, Collection<String> agentIds, Duration timeout) {
        Set<String> waiting = new HashSet<>(agentIds);
        List<StatsReport> out = new ArrayList<>(held);
        held.clear();
        out.forEach(r -> {
            if (r.last()) {
                waiting.remove(r.agentId());
            }
        });
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!waiting.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no last StatsReport from " + waiting + " within " + timeout.toSeconds()
                        + " s (run " + runId + ")");
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (!runId.equals(record.key())) {
                    continue;
                }
                if (codec.decode(record.value()) instanceof Decoded.Ok ok && ok.message() instanceof StatsReport r) {
                    out.add(r);
                    if (r.last()) {
                        waiting.remove(r.agentId());
                    }
                }
            }
        }
        reports.addAll(out);
        return out;
    }

    /** Reads {@code runId}'s reports until {@code agentId}'s received messages add up to {@code messages}. */
    void awaitReceived(String runId, String agentId, long messages, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long received = held.stream()
                .filter(r -> r.agentId().equals(agentId))
                .mapToLong(StatsReport::messagesReceived)
                .sum();
        while (received < messages) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(agentId + " received " + received + " of " + messages + " within "
                        + timeout.toSeconds() + " s (run " + runId + ")");
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                if (runId.equals(record.key())
                        && codec.decode(record.value()) instanceof Decoded.Ok ok
                        && ok.message() instanceof StatsReport r) {
                    held.add(r);
                    if (r.agentId().equals(agentId)) {
                        received += r.messagesReceived();
                    }
                }
            }
        }
    }

    /** Percentiles of the merged histograms of one kind (µs). */
    static LatencyStats merged(Collection<StatsReport> reports, LatencyKind kind) {
        Histogram all = HistogramCodec.newHistogram();
        for (StatsReport r : reports) {
            String encoded = r.histograms().get(kind);
            if (encoded != null) {
                HistogramCodec.merge(all, HistogramCodec.decode(encoded));
            }
        }
        return HistogramCodec.stats(all);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
