package io.kbench.protocol.message;

/**
 * How far a host's clock is from the control cluster's, estimated by a worker daemon (see docs/architecture.md,
 * Clock offsets): {@code cluster time = host time + offsetMicros}, the truth lying within
 * {@code ± uncertaintyMicros} of it.
 *
 * @param offsetMicros what to add to this host's clock to read the cluster's, in µs
 * @param uncertaintyMicros half the width of the interval the offset is known to lie in, in µs ({@code >= 0})
 * @param measuredAt epoch ms (the host's clock) of the estimate
 */
public record ClockOffset(long offsetMicros, long uncertaintyMicros, long measuredAt) {

    /** Offsets and uncertainties travel in payloads as 32-bit µs: ± 35 minutes, far beyond any sane clock. */
    public static final long LIMIT_MICROS = Integer.MAX_VALUE;

    public ClockOffset {
        if (uncertaintyMicros < 0) {
            throw new IllegalArgumentException("uncertaintyMicros must be >= 0, got " + uncertaintyMicros);
        }
        if (Math.abs(offsetMicros) > LIMIT_MICROS || uncertaintyMicros > LIMIT_MICROS) {
            throw new IllegalArgumentException("a clock offset of " + offsetMicros + " +/- " + uncertaintyMicros
                    + " us is beyond +/- 35 minutes: set the host's clock (NTP) first");
        }
    }

    /**
     * What to add to an end-to-end sample measured on a consumer host's clock against a producer host's stamp:
     * the difference of the two offsets when it exceeds their combined uncertainty, else 0 (hosts whose clocks
     * cannot be told apart are taken as agreeing, so a run on one host is never shifted by estimation noise).
     */
    public static long correctionMicros(
            long consumerOffset, long consumerUncertainty, long producerOffset, long producerUncertainty) {
        long difference = consumerOffset - producerOffset;
        return Math.abs(difference) > consumerUncertainty + producerUncertainty ? difference : 0;
    }

    /** {@code +0.02 ms +/- 0.31}: the offset and its uncertainty in ms. */
    public String describe() {
        return String.format(
                java.util.Locale.ROOT, "%+.2f ms +/- %.2f", offsetMicros / 1000.0, uncertaintyMicros / 1000.0);
    }
}
