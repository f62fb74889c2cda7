package io.kbench.agent.produce;

/**
 * Hands out the <em>intended</em> send time of each message: {@code start + i / rate}, whatever happened to the
 * sends before. A producer that falls behind (a stalled broker, a full buffer) sends late messages at once to
 * catch up, and each one keeps its original intended time, so the intended-to-ack latency includes the stall:
 * coordinated omission is accounted, not hidden. All times are {@link System#nanoTime()} readings; the limiter
 * never reads a clock itself, which makes it exact to test.
 *
 * <p>Not thread-safe: one per producer thread. A rate {@code <= 0} (or not finite) means unthrottled: the
 * intended time is the time of asking.
 */
public final class UniformRateLimiter {

    private double intervalNanos;
    private long base;
    private long index;
    private long lastIntended;
    private boolean issuedAny;

    /** @param ratePerSecond messages per second; {@code <= 0} means unthrottled */
    public UniformRateLimiter(double ratePerSecond) {
        this.intervalNanos = intervalOf(ratePerSecond);
    }

    /** Starts the schedule: the first intended time is {@code startNanos}. */
    public void start(long startNanos) {
        base = startNanos;
        index = 0;
        issuedAny = false;
    }

    public boolean unthrottled() {
        return intervalNanos == 0;
    }

    /** The intended time of the next message; for an unthrottled limiter, {@code nowNanos}. Does not consume it. */
    public long nextIntended(long nowNanos) {
        if (intervalNanos == 0) {
            return nowNanos;
        }
        // Multiplying instead of adding keeps a fractional interval (e.g. 3 msg/s) free of accumulated error.
        return base + Math.round(index * intervalNanos);
    }

    /** Consumes the slot {@link #nextIntended} returned. */
    public void advance(long intendedNanos) {
        lastIntended = intendedNanos;
        issuedAny = true;
        if (intervalNanos != 0) {
            index++;
        }
    }

    /**
     * Changes the rate from the next message on. The schedule continues from the last intended time at the new
     * interval; leaving unthrottled mode starts it at {@code nowNanos}, so no backlog is owed for the time
     * without a schedule.
     */
    public void setRate(double ratePerSecond, long nowNanos) {
        double newInterval = intervalOf(ratePerSecond);
        if (newInterval == 0) {
            intervalNanos = 0;
            return;
        }
        if (intervalNanos == 0) {
            base = nowNanos;
        } else if (issuedAny) {
            base = lastIntended + Math.round(newInterval);
        } else {
            base = nextIntended(nowNanos);
        }
        index = 0;
        intervalNanos = newInterval;
    }

    private static double intervalOf(double ratePerSecond) {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            return 0;
        }
        return 1e9 / ratePerSecond;
    }
}
