package io.kbench.controller.mode;

import io.kbench.controller.config.InputError;
import io.kbench.protocol.message.Workload;
import java.util.Locale;

/**
 * Whether a run's agent JVMs stop their C2 compiler as the warm-up ends ({@code --agent-c2-after-warmup}; the agent
 * side is {@code StartRun.stopC2AfterWarmup}).
 *
 * <p>{@link #AUTO} stops it when the run loads at a fixed rate of at most {@value #AUTO_MAX_RATE_PER_AGENT} msg/s
 * per agent after a warm-up. There, C2 is still compiling Kafka's client one method at a time long after a minute's
 * warm-up (14 agent JVMs at 2,000 msg/s per producer: 63 % of the measurement), and on a loaded host its compiles
 * show as the cluster's latency, while what it would still speed up costs little at such a rate. Max-rate discovery
 * and backlog mode keep it: their producers or consumers run as fast as they can, where the compiled code's speed is
 * the result. So does a run without warm-up, which asked to measure cold.
 */
public enum C2AfterWarmup {
    AUTO,
    KEEP,
    STOP;

    /** The highest message rate per agent (produced or consumed, msg/s) at which {@link #AUTO} stops C2. */
    public static final double AUTO_MAX_RATE_PER_AGENT = 10_000;

    /** The option's value as the user gave it (any case), or an error naming it. */
    public static C2AfterWarmup parse(String value) {
        if (value != null) {
            for (C2AfterWarmup choice : values()) {
                if (choice.name().equalsIgnoreCase(value.strip())) {
                    return choice;
                }
            }
        }
        throw new InputError("--agent-c2-after-warmup must be auto, keep or stop, got '" + value + "'");
    }

    /**
     * What a run of {@code workload} does.
     *
     * @param warmupMs the run's warm-up (after any {@code --warmup})
     */
    public Decision decide(Workload workload, long warmupMs) {
        return switch (this) {
            case KEEP -> new Decision(false, "--agent-c2-after-warmup=keep");
            case STOP -> new Decision(true, "--agent-c2-after-warmup=stop");
            case AUTO -> auto(workload, warmupMs);
        };
    }

    private static Decision auto(Workload workload, long warmupMs) {
        if (workload.discoversMaxRate()) {
            return new Decision(false, "max-rate discovery runs its producers as fast as they go");
        }
        if (workload.consumerBacklogSizeGB() > 0) {
            return new Decision(false, "backlog mode drains as fast as the consumers read");
        }
        if (warmupMs <= 0) {
            return new Decision(false, "no warm-up");
        }
        double perAgent = maxRatePerAgent(workload);
        String rate = String.format(Locale.ROOT, "%,.0f msg/s per agent", perAgent);
        if (perAgent > AUTO_MAX_RATE_PER_AGENT) {
            return new Decision(
                    false, rate + " (above " + String.format(Locale.ROOT, "%,.0f", AUTO_MAX_RATE_PER_AGENT) + ")");
        }
        return new Decision(true, "a fixed rate of at most " + rate);
    }

    /**
     * The highest rate any one agent sends or reads: a producer's share of {@code producerRate}, or a consumer's
     * share of its topic's (each subscription reads all of it, split over its consumers).
     */
    static double maxRatePerAgent(Workload workload) {
        double perTopic = workload.producerRate() / Math.max(workload.topicCount(), 1);
        double producer = workload.totalProducers() == 0 ? 0 : workload.producerRate() / workload.totalProducers();
        double consumer = workload.totalConsumers() == 0 ? 0 : perTopic / workload.consumerPerSubscription();
        return Math.max(producer, consumer);
    }

    /**
     * @param stops whether the agents stop C2 as the warm-up ends
     * @param why for the console and the result file
     */
    public record Decision(boolean stops, String why) {

        /** The line the console shows before the run. */
        public String line() {
            return stops
                    ? "agents stop compiling with C2 as the warm-up ends (" + why
                            + "; --agent-c2-after-warmup=keep keeps it)"
                    : "agents keep compiling with C2 (" + why + ")";
        }
    }
}
