package io.kbench.agent.stats;

import io.kbench.protocol.message.ClockOffset;
import java.time.Instant;

/**
 * Epoch microseconds derived from {@link System#nanoTime()}, calibrated once against the wall clock.
 *
 * <p>Why not {@code Instant.now()} per message: it allocates and is several times slower than {@code nanoTime}. A
 * single calibration gives µs resolution and a monotonic clock for the whole (bounded) life of an agent; the
 * drift against NTP over a run is far below the latencies measured.
 */
public final class MicroClock {

    private static final int CALIBRATION_READINGS = 200;

    private final long baseEpochMicros;
    private final long baseNanos;
    private final ClockOffset offset;

    /**
     * @param baseEpochMicros the wall clock at {@code baseNanos}, in epoch microseconds
     * @param baseNanos a {@link System#nanoTime()} reading
     */
    public MicroClock(long baseEpochMicros, long baseNanos) {
        this(baseEpochMicros, baseNanos, null);
    }

    private MicroClock(long baseEpochMicros, long baseNanos, ClockOffset offset) {
        this.baseEpochMicros = baseEpochMicros;
        this.baseNanos = baseNanos;
        this.offset = offset;
    }

    /** This clock ahead by {@code micros} (behind when negative): a host whose clock is off, for tests. */
    public MicroClock skewed(long micros) {
        return micros == 0 ? this : new MicroClock(baseEpochMicros + micros, baseNanos, offset);
    }

    /** This clock, knowing how far it is from the cluster's (null: unknown). */
    public MicroClock withOffset(ClockOffset clusterOffset) {
        return new MicroClock(baseEpochMicros, baseNanos, clusterOffset);
    }

    /** This host's clock offset against the cluster, as its worker estimated it; null when unknown. */
    public ClockOffset offset() {
        return offset;
    }

    /**
     * Calibrates against {@link Instant#now()}: of several (nanoTime, wall clock, nanoTime) readings it keeps the
     * one with the narrowest bracket and takes its midpoint. One reading can be bracketed by a context switch
     * or a safepoint on a loaded host, which put consumers a few ms off producers and made end-to-end samples
     * on one host negative.
     */
    public static MicroClock calibrated() {
        long bestWidth = Long.MAX_VALUE;
        long bestMid = 0;
        long bestEpochMicros = 0;
        for (int i = 0; i < CALIBRATION_READINGS; i++) {
            long before = System.nanoTime();
            Instant now = Instant.now();
            long after = System.nanoTime();
            if (after - before < bestWidth) {
                bestWidth = after - before;
                bestMid = before + (after - before) / 2;
                bestEpochMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000L;
            }
        }
        return new MicroClock(bestEpochMicros, bestMid);
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
