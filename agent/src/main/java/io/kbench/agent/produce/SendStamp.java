package io.kbench.agent.produce;

import io.kbench.protocol.message.ClockOffset;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.apache.kafka.common.record.TimestampType;

/**
 * The produce time for end-to-end latency, carried in the first {@value #BYTES} bytes of the payload: the time the
 * producer called {@code send}, in epoch <b>microseconds</b>, big-endian; followed, in a payload of at least
 * {@value #CLOCK_BYTES} bytes, by the producer host's clock offset against the cluster and its uncertainty (two
 * 32-bit µs values, written once per pooled payload), so a consumer on another host can correct the sample by the
 * difference of the two hosts' offsets ({@link #correction}). The record on the wire is exactly what the
 * workload asks for (payload + key, no header), as OMB sends it.
 *
 * <p>Why writing into the payload array is safe: {@code KafkaProducer.send} serializes the value (the
 * {@code ByteArraySerializer} returns the array itself) and {@code RecordAccumulator.append} copies it into the
 * batch before {@code send} returns — also when a new batch must be allocated (the append is retried with the new
 * buffer inside the same call) and with every codec (lz4 and snappy copy into their block buffer; gzip and zstd
 * consume their input before {@code write} returns). So each producer thread stamps its own pooled arrays in place
 * before every send: no allocation, no change in size. kbench configures no producer interceptor, which could
 * otherwise keep the record.
 *
 * <p>A consumer trusts the stamp only when it is plausible against the record's own timestamp ({@link #read}), so
 * records written by someone else, or payloads shorter than {@value #BYTES} bytes (which carry no stamp), fall
 * back to the record timestamp in milliseconds, as OMB measures.
 */
public final class SendStamp {

    /** Bytes of the stamp at the start of the payload. */
    public static final int BYTES = Long.BYTES;

    /** Bytes of the stamp and the producer host's clock offset and uncertainty. */
    public static final int CLOCK_BYTES = BYTES + 2 * Integer.BYTES;

    /** The offset field of a producer whose host's offset is unknown (outside every {@link ClockOffset}). */
    static final int UNKNOWN_OFFSET = Integer.MIN_VALUE;

    /**
     * How far a stamp may lie from its record's {@code CreateTime} (set by the same producer, from the wall clock,
     * during the same {@code send}). The two differ only by the agent's µs clock drifting from the wall clock since
     * its calibration; a random 8-byte value falls into this window with a probability of about 10<sup>-12</sup>.
     */
    public static final long CREATE_TIME_WINDOW_MICROS = 5_000_000L;

    /**
     * How much earlier than a {@code LogAppendTime} a stamp may be: the broker appends after the send, up to a
     * publish latency later (and a producer backlog can make that seconds).
     */
    public static final long LOG_APPEND_WINDOW_MICROS = 300_000_000L;

    /** Returned by {@link #read} when the payload carries no plausible stamp. */
    public static final long NONE = Long.MIN_VALUE;

    /** One 8-byte store or load instead of eight byte operations. */
    private static final VarHandle BIG_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private static final VarHandle BIG_ENDIAN_INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private SendStamp() {}

    /**
     * Writes the producer host's clock offset (null: unknown) after the stamp; a payload under {@value #CLOCK_BYTES}
     * bytes stays as it is (its samples are not corrected). Once per pooled payload: the offset does not change
     * during an agent's life.
     */
    public static void writeClock(byte[] payload, ClockOffset offset) {
        if (payload.length >= CLOCK_BYTES) {
            BIG_ENDIAN_INT.set(payload, BYTES, offset == null ? UNKNOWN_OFFSET : (int) offset.offsetMicros());
            BIG_ENDIAN_INT.set(payload, BYTES + Integer.BYTES, offset == null ? 0 : (int) offset.uncertaintyMicros());
        }
    }

    /**
     * What to add to the raw end-to-end sample of a value whose stamp {@link #read} found plausible: the consumer
     * host's offset minus the producer host's when the two differ by more than their uncertainties
     * ({@link ClockOffset#correctionMicros}); 0 when either is unknown or the payload is too short to say.
     *
     * @param consumer this host's offset, or null when unknown
     */
    public static long correction(byte[] value, ClockOffset consumer) {
        if (consumer == null || value.length < CLOCK_BYTES) {
            return 0;
        }
        int producerOffset = (int) BIG_ENDIAN_INT.get(value, BYTES);
        int producerUncertainty = (int) BIG_ENDIAN_INT.get(value, BYTES + Integer.BYTES);
        if (producerOffset == UNKNOWN_OFFSET || producerUncertainty < 0) {
            return 0;
        }
        return ClockOffset.correctionMicros(
                consumer.offsetMicros(), consumer.uncertaintyMicros(), producerOffset, producerUncertainty);
    }

    /** Writes {@code epochMicros} into the first {@value #BYTES} bytes; a shorter payload stays as it is. */
    public static void write(byte[] payload, long epochMicros) {
        if (payload.length >= BYTES) {
            BIG_ENDIAN_LONG.set(payload, 0, epochMicros);
        }
    }

    /**
     * The stamp of a consumed value, or {@link #NONE} when there is none or it is not plausible against the record's
     * timestamp.
     *
     * @param timestampMs the record's timestamp (epoch ms)
     * @param type the record's timestamp type
     */
    public static long read(byte[] value, long timestampMs, TimestampType type) {
        if (value == null || value.length < BYTES || timestampMs < 0) {
            return NONE;
        }
        long stamp = (long) BIG_ENDIAN_LONG.get(value, 0);
        // The record timestamp is truncated to ms: compare with the middle of its millisecond.
        long recordMicros = timestampMs * 1_000L + 500L;
        long ahead = stamp - recordMicros;
        boolean plausible =
                switch (type) {
                    case CREATE_TIME -> ahead >= -CREATE_TIME_WINDOW_MICROS && ahead <= CREATE_TIME_WINDOW_MICROS;
                    case LOG_APPEND_TIME -> ahead <= CREATE_TIME_WINDOW_MICROS && ahead >= -LOG_APPEND_WINDOW_MICROS;
                    default -> false;
                };
        return plausible ? stamp : NONE;
    }
}
