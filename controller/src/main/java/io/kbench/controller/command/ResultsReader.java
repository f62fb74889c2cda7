package io.kbench.controller.command;

import io.kbench.controller.run.ControlPlane;
import io.kbench.protocol.Decoded;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.SkipReason;
import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.RunSpec;
import io.kbench.protocol.security.SignatureVerifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads a topic from its beginning to its current end: the results (compacted) or the control log. */
final class ResultsReader {

    /**
     * Reads history, so nothing has expired: a run's spec is read long after its records stopped being orders.
     * Before, a codec with the system clock dropped every control record older than its expiry.
     */
    private static final MessageCodec HISTORY = new MessageCodec(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));

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
        // Control records are orders: with a secret, only those its holders signed count, keyed by their signed
        // run id (a record key is anyone's to set). Age and repeats do not matter to a reader of history.
        Optional<SignatureVerifier> verifier = topic.equals(control.topics().control())
                ? control.signer()
                        .map(signer ->
                                new SignatureVerifier(signer, control.codec().clock()))
                : Optional.empty();
        Map<SkipReason, Integer> refused = new EnumMap<>(SkipReason.class);
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
                    if (verifier.isEmpty()) {
                        if (record.key() != null) {
                            lastTimestamp.merge(record.key(), record.timestamp(), Math::max);
                        }
                        if (HISTORY.decode(record.value()) instanceof Decoded.Ok ok) {
                            out.put(record.key() + "/" + ok.envelope().type(), ok.message());
                        }
                        continue;
                    }
                    if (!(HISTORY.decode(record.value()) instanceof Decoded.Ok ok)) {
                        continue;
                    }
                    Optional<SignatureVerifier.Rejection> rejection =
                            verifier.get().authenticate(ok.envelope());
                    if (rejection.isPresent()) {
                        refused.merge(rejection.get().reason(), 1, Integer::sum);
                        continue;
                    }
                    String runId = ok.envelope().runId();
                    lastTimestamp.merge(runId, record.timestamp(), Math::max);
                    out.put(runId + "/" + ok.envelope().type(), ok.message());
                }
            }
        }
        if (!refused.isEmpty()) {
            System.err.println("kbench: ignored "
                    + refused.values().stream().mapToInt(Integer::intValue).sum()
                    + " control records on " + topic + " not signed with --secret-file "
                    + refused.entrySet().stream()
                            .map(e -> e.getKey().label() + "=" + e.getValue())
                            .toList());
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
