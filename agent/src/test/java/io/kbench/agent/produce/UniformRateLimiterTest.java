package io.kbench.agent.produce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UniformRateLimiterTest {

    /** Drives the limiter as the producer loop does, with a clock the test moves. */
    private static List<Long> issue(UniformRateLimiter limiter, long[] clock, int count, long stepNanos) {
        List<Long> intended = new ArrayList<>();
        while (intended.size() < count) {
            long next = limiter.nextIntended(clock[0]);
            if (clock[0] < next) {
                clock[0] = next; // the producer would park until then
                continue;
            }
            limiter.advance(next);
            intended.add(next);
            clock[0] += stepNanos;
        }
        return intended;
    }

    @Test
    void handsOutIntendedTimesOneIntervalApart() {
        UniformRateLimiter limiter = new UniformRateLimiter(1_000);
        limiter.start(5_000_000L);
        long[] clock = {5_000_000L};

        List<Long> intended = issue(limiter, clock, 5, 0);

        assertEquals(List.of(5_000_000L, 6_000_000L, 7_000_000L, 8_000_000L, 9_000_000L), intended);
    }

    @Test
    void keepsIntendedTimesOnScheduleWhenSendsFallBehind() {
        UniformRateLimiter limiter = new UniformRateLimiter(1_000);
        limiter.start(0);
        long[] clock = {0};
        issue(limiter, clock, 2, 0);

        clock[0] = 50_000_000L; // a 50 ms stall: 48 sends are late
        List<Long> catchUp = issue(limiter, clock, 48, 1_000);

        // Every late message keeps its original slot: none is skipped, so the stall shows in intended-to-ack.
        for (int i = 0; i < catchUp.size(); i++) {
            assertEquals((i + 2) * 1_000_000L, catchUp.get(i));
        }
        assertTrue(catchUp.get(47) < clock[0], "all 48 were sent at once, behind schedule");
    }

    @Test
    void fractionalIntervalsDoNotAccumulateError() {
        UniformRateLimiter limiter = new UniformRateLimiter(3);
        limiter.start(0);
        long[] clock = {0};

        List<Long> intended = issue(limiter, clock, 3_001, 0);

        assertEquals(1_000_000_000_000L, intended.get(3_000)); // 3,000 messages at 3/s: exactly 1,000 s
    }

    @Test
    void rateChangeContinuesFromTheLastIntendedTime() {
        UniformRateLimiter limiter = new UniformRateLimiter(1_000);
        limiter.start(0);
        long[] clock = {0};
        issue(limiter, clock, 3, 0); // 0, 1 ms, 2 ms

        limiter.setRate(100, clock[0]);

        assertEquals(List.of(12_000_000L, 22_000_000L), issue(limiter, clock, 2, 0));
    }

    @Test
    void unthrottledHandsOutTheTimeOfAskingAndLeavingItOwesNoBacklog() {
        UniformRateLimiter limiter = new UniformRateLimiter(-1);
        limiter.start(0);
        assertTrue(limiter.unthrottled());
        assertEquals(42L, limiter.nextIntended(42L));
        limiter.advance(42L);

        limiter.setRate(1_000, 7_000_000L);

        long[] clock = {7_000_000L};
        assertEquals(List.of(7_000_000L, 8_000_000L), issue(limiter, clock, 2, 0));
    }
}
