package io.kbench.controller.config;

import io.kbench.protocol.message.KeyDistributorType;
import org.apache.kafka.common.utils.ByteUtils;

/**
 * Whether a workload's {@code messageSize} can travel at all: a record carries more than its payload, and Kafka
 * refuses a record above the producer's {@code max.request.size} (before sending) and a batch above the topic's
 * {@code max.message.bytes} (on the broker). Without this check such a run starts, sends nothing and "completes"
 * at 0 msg/s.
 *
 * <p>Sizes follow Kafka's record format v2 for what kbench's agents send, which is what OMB sends: an optional
 * 10-byte key (7 random bytes, base64url, OMB's keys) and the payload, no headers (the send time for end-to-end
 * latency travels inside the payload's first 8 bytes).
 */
public final class MessageLimits {

    /** Kafka's default {@code max.request.size}. */
    public static final int DEFAULT_MAX_REQUEST_SIZE = 1_048_576;
    /** Kafka's default broker {@code message.max.bytes} (and so a topic's {@code max.message.bytes}). */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

    /** Kafka's record batch header (DefaultRecordBatch.RECORD_BATCH_OVERHEAD). */
    static final int BATCH_OVERHEAD = 61;
    /** The producer's upper bound for a record's own framing (DefaultRecord.MAX_RECORD_OVERHEAD). */
    static final int MAX_RECORD_OVERHEAD = 21;

    static final int KEY_BYTES = 10;

    private MessageLimits() {}

    /** What the producer compares with {@code max.request.size} (its upper-bound estimate for one record). */
    public static long producerEstimate(int payload, KeyDistributorType keys) {
        return BATCH_OVERHEAD + MAX_RECORD_OVERHEAD + fields(payload, keys);
    }

    /** A batch of one record, uncompressed: what the broker compares with {@code max.message.bytes}. */
    public static long batchBytes(int payload, KeyDistributorType keys) {
        // attributes (1 byte) + timestamp delta 0 (1) + offset delta 0 (1) + key, value, header count
        long body = 3 + fields(payload, keys);
        return BATCH_OVERHEAD + ByteUtils.sizeOfVarint((int) Math.min(body, Integer.MAX_VALUE)) + body;
    }

    /** The largest payload whose producer estimate is at most {@code maxRequestSize}. */
    public static int largestForProducer(int maxRequestSize, KeyDistributorType keys) {
        return largest(maxRequestSize, p -> producerEstimate(p, keys));
    }

    /** The largest payload whose one-record batch is at most {@code maxMessageBytes}. */
    public static int largestForBroker(int maxMessageBytes, KeyDistributorType keys) {
        return largest(maxMessageBytes, p -> batchBytes(p, keys));
    }

    private static long fields(int payload, KeyDistributorType keys) {
        long size = keys == KeyDistributorType.NO_KEY || keys == null
                ? 1 // a null key is the varint -1
                : ByteUtils.sizeOfVarint(KEY_BYTES) + KEY_BYTES;
        size += ByteUtils.sizeOfVarint(payload) + (long) payload;
        return size + ByteUtils.sizeOfVarint(0); // no headers: their count, 0
    }

    private static int largest(int limit, java.util.function.IntToLongFunction size) {
        int low = 0;
        int high = Math.max(limit, 0);
        if (size.applyAsLong(0) > limit) {
            return -1;
        }
        while (low < high) { // sizes grow with the payload: the largest fitting one by bisection
            int mid = low + (high - low + 1) / 2;
            if (size.applyAsLong(mid) <= limit) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }
}
