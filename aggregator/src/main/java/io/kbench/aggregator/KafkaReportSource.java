package io.kbench.aggregator;

import io.kbench.aggregator.topology.ReportSource;
import io.kbench.protocol.KafkaClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a partition of the metrics topic back with a consumer of its own, which never joins the application's
 * group: it only asks the group's committed offset (stable: a pending transaction's offsets are waited out) and
 * reads up to it. Made for each replay (a task's restart), closed after it.
 */
final class KafkaReportSource implements ReportSource {

    private final String topic;
    private final String bootstrap;
    private final Map<String, String> clientConfig;
    private final String applicationId;
    private final Duration timeout;

    KafkaReportSource(
            String topic, String bootstrap, Map<String, String> clientConfig, String applicationId, Duration timeout) {
        this.topic = topic;
        this.bootstrap = bootstrap;
        this.clientConfig = clientConfig;
        this.applicationId = applicationId;
        this.timeout = timeout;
    }

    @Override
    public long replay(int partition, long from, Sink sink) {
        TopicPartition tp = new TopicPartition(topic, partition);
        try (KafkaConsumer<String, byte[]> consumer = consumer(partition)) {
            OffsetAndMetadata committed =
                    consumer.committed(Set.of(tp), timeout).get(tp);
            if (committed == null) {
                return -1;
            }
            long end = committed.offset();
            if (from >= end) {
                return end;
            }
            consumer.assign(List.of(tp));
            long first = consumer.beginningOffsets(List.of(tp), timeout).get(tp);
            long next = Math.max(from, first);
            consumer.seek(tp, next);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (next < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("replaying " + tp + " up to offset " + end + ": still at " + next
                            + " after " + timeout.toSeconds() + " s");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() >= end) {
                        break;
                    }
                    sink.accept(record.offset(), record.key(), record.value());
                }
                // Offsets of transaction markers and compacted gaps carry no record: the position says how far it got.
                next = consumer.position(tp, timeout);
            }
            return end;
        }
    }

    private KafkaConsumer<String, byte[]> consumer(int partition) {
        Map<String, Object> config = KafkaClients.base(bootstrap, clientConfig);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, applicationId);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, applicationId + "-replay-" + partition);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
