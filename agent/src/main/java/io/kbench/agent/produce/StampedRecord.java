package io.kbench.agent.produce;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * A record whose headers are the producer thread's reused {@link ProduceTimestamp}. {@code ProducerRecord} copies
 * any headers given to its constructor into a new {@code RecordHeaders}; overriding {@link #headers()} hands
 * Kafka the reused one instead (Kafka reads headers only through this method).
 */
final class StampedRecord extends ProducerRecord<byte[], byte[]> {

    private final ProduceTimestamp stamp;

    StampedRecord(String topic, byte[] key, byte[] value, ProduceTimestamp stamp) {
        super(topic, null, null, key, value, null);
        this.stamp = stamp;
    }

    @Override
    public Headers headers() {
        return stamp;
    }
}
