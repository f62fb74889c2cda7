package io.kbench.worker.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.protocol.message.ClockOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OffsetEstimateTest {

    /**
     * Probes of a host whose clock is {@code offset} µs behind the cluster's (cluster = host + offset), with
     * random round trips of up to {@code maxRoundTrip} µs and the append anywhere inside each.
     */
    private static List<OffsetEstimate.Probe> probes(long offset, int count, long maxRoundTrip, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<OffsetEstimate.Probe> probes = new ArrayList<>();
        long host = 1_764_000_000_000_000L + random.nextLong(1_000_000);
        for (int i = 0; i < count; i++) {
            long roundTrip = 50 + random.nextLong(maxRoundTrip);
            long appendedHost = host + random.nextLong(roundTrip + 1);
            long appendedMillis = Math.floorDiv(appendedHost + offset, 1_000L); // the broker truncates to ms
            probes.add(new OffsetEstimate.Probe(host, host + roundTrip, appendedMillis));
            host += roundTrip + random.nextLong(20_000);
        }
        return probes;
    }

    @Test
    void theTrueOffsetLiesWithinTheStatedUncertaintyWhateverTheSkew() {
        for (long offset : new long[] {0, 50_000, -50_000, 123_456_789, -7}) {
            for (long seed = 0; seed < 50; seed++) {
                ClockOffset estimate =
                        OffsetEstimate.of(probes(offset, 16, 2_000, seed), 1).orElseThrow();
                assertTrue(
                        Math.abs(estimate.offsetMicros() - offset) <= estimate.uncertaintyMicros(),
                        "offset " + offset + " seed " + seed + ": " + estimate);
            }
        }
    }

    @Test
    void probesAtDifferentPhasesOfTheBrokersMillisecondNarrowItBelowOneMillisecond() {
        ClockOffset one = OffsetEstimate.of(probes(-50_000, 1, 300, 7), 1).orElseThrow();
        ClockOffset many = OffsetEstimate.of(probes(-50_000, 16, 300, 7), 1).orElseThrow();
        assertTrue(one.uncertaintyMicros() >= 500, "one probe: the ms resolution bounds it: " + one);
        assertTrue(many.uncertaintyMicros() < one.uncertaintyMicros(), one + " vs " + many);
        assertTrue(many.uncertaintyMicros() < 500, "sixteen probes of short round trips: " + many);
    }

    @Test
    void aClockStepBetweenProbesFallsBackToTheNarrowestProbe() {
        List<OffsetEstimate.Probe> probes = new ArrayList<>(probes(0, 4, 1_000, 3));
        probes.add(new OffsetEstimate.Probe(10_000_000L, 10_000_100L, 10_000 + 60_000)); // 60 s off: disjoint
        ClockOffset estimate = OffsetEstimate.of(probes, 1).orElseThrow();
        assertTrue(estimate.uncertaintyMicros() <= 600, "the 100 µs probe's interval: " + estimate);
        assertTrue(
                Math.abs(estimate.offsetMicros() - 60_000_000L) <= estimate.uncertaintyMicros(), estimate.toString());
    }

    @Test
    void noProbesNoEstimate() {
        assertTrue(OffsetEstimate.of(List.of(), 1).isEmpty());
    }

    @Test
    void anAckBeforeItsSendIsRefused() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new OffsetEstimate.Probe(10, 9, 0));
        assertEquals("a probe's ack (9 µs) cannot precede its send (10 µs)", e.getMessage());
    }
}
