package io.kbench.agent.stats;

import java.time.Instant;

/**
 * Epoch microseconds derived from {@link System#nanoTime()}, calibrated once against the wall clock.
 *
 * <p>Why not {@code Instant.now()} per message: it allocates and is several times slower than {@code nanoTime}. A
 * single calibration gives µs resolution and a monotonic clock for the whole (bounded) life of an agent; the
 * drift against NTP over a run is far below the latencies measured.
 */
public final class MicroClock {

    private final long baseEpochMicros;
    private final long baseNanos;

    /**
     * @param baseEpochMicros the wall clock at {@code baseNanos}, in epoch microseconds
     * @param baseNanos a {@link System#nanoTime()} reading
     */
    public MicroClock(long baseEpochMicros, long baseNanos) {
        this.baseEpochMicros = baseEpochMicros;
        this.baseNanos = baseNanos;
    }

    /** Calibrates against {@link Instant#now()}, taking the midpoint of two {@code nanoTime} readings. */
    public static MicroClock calibrated() {
        long before = System.nanoTime();
        Instant now = Instant.now();
        long after = System.nanoTime();
        long epochMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000L;
        return new MicroClock(epochMicros, before + (after - before) / 2);
    }

    /** The epoch microseconds of a {@link System#nanoTime()} reading. */
    public long epochMicros(long nanoTime) {
        return baseEpochMicros + (nanoTime - baseNanos) / 1_000L;
    }

    public long nowMicros() {
        return epochMicros(System.nanoTime());
    }

    /** The {@link System#nanoTime()} value at which the wall clock shows {@code epochMillis}. */
    public long nanoTimeAt(long epochMillis) {
        return baseNanos + (epochMillis * 1_000L - baseEpochMicros) * 1_000L;
    }
}
