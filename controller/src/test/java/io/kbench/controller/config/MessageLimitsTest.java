package io.kbench.controller.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.protocol.message.KeyDistributorType;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.internal.AbstractRecords;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.DefaultRecord;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** kbench's record sizes agree with Kafka's own arithmetic (internal classes, used only to check ours). */
class MessageLimitsTest {

    /** kbench sends no headers, as OMB: the send stamp travels inside the payload. */
    private static final Header[] NO_HEADERS = Record.EMPTY_HEADERS;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 100, 1024, 1_048_400, 1_048_576, 104_857_600})
    void matchesKafkasProducerEstimateAndBatchSize(int payload) {
        byte[] value = new byte[payload];
        byte[] key = new byte[10];
        assertEquals(
                AbstractRecords.estimateSizeInBytesUpperBound(
                        RecordBatch.MAGIC_VALUE_V2, CompressionType.NONE, (byte[]) null, value, NO_HEADERS),
                MessageLimits.producerEstimate(payload, KeyDistributorType.NO_KEY));
        assertEquals(
                AbstractRecords.estimateSizeInBytesUpperBound(
                        RecordBatch.MAGIC_VALUE_V2, CompressionType.NONE, key, value, NO_HEADERS),
                MessageLimits.producerEstimate(payload, KeyDistributorType.KEY_ROUND_ROBIN));
        assertEquals(
                DefaultRecordBatch.RECORD_BATCH_OVERHEAD + DefaultRecord.sizeInBytes(0, 0L, -1, payload, NO_HEADERS),
                MessageLimits.batchBytes(payload, KeyDistributorType.NO_KEY));
        assertEquals(
                DefaultRecordBatch.RECORD_BATCH_OVERHEAD + DefaultRecord.sizeInBytes(0, 0L, 10, payload, NO_HEADERS),
                MessageLimits.batchBytes(payload, KeyDistributorType.RANDOM_NANO));
    }

    @ParameterizedTest
    @ValueSource(ints = {1_048_576, 1_048_588, 5_000})
    void largestFittingPayloadIsTheEdge(int limit) {
        int producer = MessageLimits.largestForProducer(limit, KeyDistributorType.NO_KEY);
        assertTrue(MessageLimits.producerEstimate(producer, KeyDistributorType.NO_KEY) <= limit);
        assertTrue(MessageLimits.producerEstimate(producer + 1, KeyDistributorType.NO_KEY) > limit);
        assertTrue(producer < limit, "a payload of exactly the limit never fits");
        int broker = MessageLimits.largestForBroker(limit, KeyDistributorType.NO_KEY);
        assertTrue(MessageLimits.batchBytes(broker, KeyDistributorType.NO_KEY) <= limit);
        assertTrue(MessageLimits.batchBytes(broker + 1, KeyDistributorType.NO_KEY) > limit);
    }
}
