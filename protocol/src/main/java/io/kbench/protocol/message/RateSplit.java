package io.kbench.protocol.message;

/**
 * How a run's total producer rate is shared: evenly, one share per producer. The controller's plan and an
 * agent receiving a {@link RateChange} must divide alike, or a rate change would leave the fleet at another total
 * than the plan's; so both call this one function.
 */
public final class RateSplit {

    private RateSplit() {}

    /**
     * One producer's rate in messages per second.
     *
     * @param totalRate every producer of the run together; {@code <= 0} means unthrottled (max-rate discovery)
     * @param producers producers in the run, at least 1
     * @return {@code totalRate / producers}, or 0 (unthrottled) when {@code totalRate <= 0}
     */
    public static double perProducer(double totalRate, int producers) {
        if (producers < 1) {
            throw new IllegalArgumentException("producers must be >= 1, got " + producers);
        }
        return totalRate > 0 ? totalRate / producers : 0;
    }
}
