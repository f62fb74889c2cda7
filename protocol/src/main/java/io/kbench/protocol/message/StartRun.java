package io.kbench.protocol.message;

/**
 * The start barrier: every agent starts its load at {@code startAt} (epoch ms), warms up for {@code
 * warmupMs}, measures for {@code measureMs}, and stops by {@code deadlineAt} whatever else happens.
 *
 * @param stopC2AfterWarmup whether the agents' JVMs stop compiling with C2, the JIT's optimizing compiler, as the
 *     warm-up ends (what C2 compiled stays; what it has not yet compiled runs as C1 compiled it): at a low fixed
 *     rate its compiles would go on through the measurement and show as latency. Absent (a controller of an
 *     earlier release) reads as false
 */
public record StartRun(long startAt, long warmupMs, long measureMs, long deadlineAt, Boolean stopC2AfterWarmup)
        implements Message {

    public StartRun {
        stopC2AfterWarmup = stopC2AfterWarmup != null && stopC2AfterWarmup;
    }

    /** A start whose agents keep C2 throughout. */
    public StartRun(long startAt, long warmupMs, long measureMs, long deadlineAt) {
        this(startAt, warmupMs, measureMs, deadlineAt, false);
    }

    /** {@link #stopC2AfterWarmup()} as a primitive. */
    public boolean stopsC2AfterWarmup() {
        return stopC2AfterWarmup;
    }
}
