package io.kbench.worker.clock;

import io.kbench.protocol.message.ClockOffset;
import java.util.List;
import java.util.Optional;

/**
 * The host's clock offset from probe round trips, each bounding it: a probe sent at host time {@code t0}, whose
 * acknowledgement came back at host time {@code t1}, was appended by the broker at a cluster time {@code B} read
 * to the millisecond ({@code LogAppendTime}). The append happened between the two, so with {@code cluster = host +
 * offset}: {@code B_ms·1000 − t1 ≤ offset < B_ms·1000 + 1000 − t0}. The estimate is the middle of the intersection
 * of all probes' intervals and its uncertainty half the intersection's width: probes at different phases of the
 * broker's millisecond narrow it below the 1 ms resolution of its timestamps. Should the intervals not intersect
 * (a clock stepped during the probes), the narrowest single probe's interval is taken, as NTP does.
 */
public final class OffsetEstimate {

    /** One probe: host µs before the send and after its acknowledgement, and the broker's append time in ms. */
    public record Probe(long sentMicros, long ackedMicros, long appendedMillis) {
        public Probe {
            if (ackedMicros < sentMicros) {
                throw new IllegalArgumentException(
                        "a probe's ack (" + ackedMicros + " µs) cannot precede its send (" + sentMicros + " µs)");
            }
        }

        long lowerMicros() {
            return appendedMillis * 1_000L - ackedMicros;
        }

        long upperMicros() {
            return appendedMillis * 1_000L + 1_000L - sentMicros;
        }
    }

    private OffsetEstimate() {}

    /** The estimate from {@code probes}, or empty when there are none. */
    public static Optional<ClockOffset> of(List<Probe> probes, long measuredAtMillis) {
        if (probes.isEmpty()) {
            return Optional.empty();
        }
        long lower = Long.MIN_VALUE;
        long upper = Long.MAX_VALUE;
        for (Probe probe : probes) {
            lower = Math.max(lower, probe.lowerMicros());
            upper = Math.min(upper, probe.upperMicros());
        }
        if (lower > upper) {
            Probe narrowest = probes.get(0);
            for (Probe probe : probes) {
                if (probe.upperMicros() - probe.lowerMicros() < narrowest.upperMicros() - narrowest.lowerMicros()) {
                    narrowest = probe;
                }
            }
            lower = narrowest.lowerMicros();
            upper = narrowest.upperMicros();
        }
        long offset = Math.floorDiv(lower + upper, 2);
        long uncertainty = upper - offset; // rounds the half-width up: the interval stays inside the bound
        return Optional.of(new ClockOffset(offset, uncertainty, measuredAtMillis));
    }
}
