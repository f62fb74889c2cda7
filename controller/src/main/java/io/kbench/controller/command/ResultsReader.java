package io.kbench.controller.command;

import io.kbench.controller.run.ControlPlane;
import io.kbench.protocol.Decoded;
import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.RunSpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads a topic from its beginning to its current end: the results (compacted) or the control log. */
final class ResultsReader {

    private ResultsReader() {}

    /** The last message per key on the topic, in offset order. */
    static Map<String, Message> lastByKey(ControlPlane control, String topic, Duration timeout) {
        return lastByKey(control, topic, timeout, new LinkedHashMap<>());
    }

    /**
     * As {@link #lastByKey(ControlPlane, String, Duration)}, filling {@code lastTimestamp} with the latest record
     * timestamp per record key (for the control log: per run id).
     */
    static Map<String, Message> lastByKey(
            ControlPlane control, String topic, Duration timeout, Map<String, Long> lastTimestamp) {
        Map<String, Message> out = new LinkedHashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = control.reader()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && !atEnd(consumer, end)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() != null) {
                        lastTimestamp.merge(record.key(), record.timestamp(), Math::max);
                    }
                    if (control.codec().decode(record.value()) instanceof Decoded.Ok ok) {
                        out.put(record.key() + "/" + ok.envelope().type(), ok.message());
                    }
                }
            }
        }
        return out;
    }

    /** The RunSpec of a run from the control topic, if it is still retained. */
    static RunSpec spec(ControlPlane control, String runId, Duration timeout) {
        Message message =
                lastByKey(control, control.topics().control(), timeout).get(runId + "/RunSpec");
        return message instanceof RunSpec spec ? spec : null;
    }

    private static boolean atEnd(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }
}
