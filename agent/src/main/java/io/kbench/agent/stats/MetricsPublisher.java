package io.kbench.agent.stats;

import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.StatsReport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@link StatsReport}s to the metrics topic of the control cluster, keyed by run id so that one run's
 * reports stay in order on one partition. One per JVM, shared by its agents.
 */
public final class MetricsPublisher implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(MetricsPublisher.class);

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final String runId;
    private final MessageCodec codec;
    private final AtomicLong failures = new AtomicLong();

    public MetricsPublisher(Producer<String, byte[]> producer, String topic, String runId, MessageCodec codec) {
        this.producer = producer;
        this.topic = topic;
        this.runId = runId;
        this.codec = codec;
    }

    public String topic() {
        return topic;
    }

    /**
     * Fetches the metrics topic's metadata, so a wrong control cluster or a missing topic fails the agent before it
     * reports ready. Blocks up to the producer's {@code max.block.ms}.
     */
    public void checkReachable() {
        List<PartitionInfo> partitions = producer.partitionsFor(topic);
        if (partitions == null || partitions.isEmpty()) {
            throw new IllegalStateException("metrics topic '" + topic + "' has no partitions");
        }
    }

    public void publish(StatsReport report) {
        byte[] value = codec.encode(runId, report, null);
        producer.send(new ProducerRecord<>(topic, runId, value), (metadata, error) -> {
            if (error != null && failures.getAndIncrement() == 0) {
                // Logged once: a broken control cluster would otherwise log every second per agent.
                LOGGER.warn(
                        "cannot publish stats report topic={} agent={} error={}",
                        topic,
                        report.agentId(),
                        error.toString());
            }
        });
    }

    public long failures() {
        return failures.get();
    }

    /** Waits up to {@code timeout} for every report sent so far to be acknowledged, then closes. */
    public void close(Duration timeout) {
        producer.close(timeout);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(1));
    }
}
