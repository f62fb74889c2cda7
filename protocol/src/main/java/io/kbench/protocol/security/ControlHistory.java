package io.kbench.protocol.security;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the control topic a reader's durable memory of seen record ids. Every genuine control record is on the
 * topic, so a reader that (re)starts reads it from the first record that could still be valid ({@code
 * offsetsForTimes(now − MAX_TTL − skew)}) to the end offsets it saw at start, and remembers every id: a copy of any
 * of them produced later is a replay, whatever restarts happened in between.
 *
 * <p>Why the timestamp lookup cannot miss a valid record: the controller's producer stamps a record after the
 * envelope's {@code sentAt}, and a signed record expires at most {@link SignatureVerifier#MAX_TTL} after {@code
 * sentAt}; so a record still valid now has a timestamp after {@code now − MAX_TTL}, and {@code offsetsForTimes}
 * gives the earliest offset with a timestamp at or after that. {@link #CLOCK_SKEW} covers a controller whose clock
 * runs behind the reader's.
 */
public final class ControlHistory {

    /** Extra look-back for clocks that disagree. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private static final Logger LOGGER = LoggerFactory.getLogger(ControlHistory.class);

    private ControlHistory() {}

    /**
     * Hands every record value between the look-back point and {@code end} to {@code sink}, then leaves the
     * consumer at {@code end}, where live reading must begin (nothing written after is skipped, nothing before is
     * read twice). The consumer must have {@code partitions} assigned.
     *
     * @return the number of records read
     * @throws IllegalStateException when the records cannot be read within {@code timeout}
     */
    public static long scan(
            org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer,
            List<TopicPartition> partitions,
            Map<TopicPartition, Long> end,
            Consumer<byte[]> sink,
            Clock clock,
            Duration timeout) {
        long since = clock.millis() - SignatureVerifier.MAX_TTL.toMillis() - CLOCK_SKEW.toMillis();
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, since));
        Map<TopicPartition, OffsetAndTimestamp> from = consumer.offsetsForTimes(query, timeout);
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp first = from.get(partition);
            consumer.seek(partition, first == null ? end.get(partition) : Math.min(first.offset(), end.get(partition)));
        }
        long read = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!atEnd(consumer, end)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read the control topic's last "
                        + (SignatureVerifier.MAX_TTL.plus(CLOCK_SKEW)).toMinutes() + " min within "
                        + timeout.toSeconds() + " s");
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                if (record.offset() < end.get(partition)) {
                    sink.accept(record.value());
                    read++;
                }
            }
        }
        // A poll may have read past the end offsets: live reading starts exactly at them.
        end.forEach(consumer::seek);
        LOGGER.info("control topic history read: records={} sinceMs={} end={}", read, since, end);
        return read;
    }

    private static boolean atEnd(
            org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }
}
