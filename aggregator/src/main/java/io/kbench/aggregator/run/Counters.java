package io.kbench.aggregator.run;

import io.kbench.protocol.message.Rates;
import io.kbench.protocol.message.StatsReport;

/**
 * Summed counters as a {@code long[]}: compact in memory and in checkpoints, where per-agent counters of a
 * thousand agents add up.
 */
final class Counters {

    static final int SENT = 0;
    static final int BYTES_SENT = 1;
    static final int SEND_ERRORS = 2;
    static final int RECEIVED = 3;
    static final int BYTES_RECEIVED = 4;
    static final int NEGATIVE_END_TO_END = 5;
    static final int CPU_NANOS = 6;
    /** Sends intended in another phase (warm-up messages acked in the measurement): for the backlog only. */
    static final int SENT_OUTSIDE_PHASE = 7;
    /** The agents' JIT compilation time (ms): a measurement during which they still compile is still warming up. */
    static final int COMPILE_MILLIS = 8;
    /** The agents' JVMs' garbage-collection time (ms) and collections: their own pauses are in their latencies. */
    static final int GC_MILLIS = 9;

    static final int GC_COUNT = 10;

    static final int SIZE = 11;

    private static final double MB = 1_000_000.0;

    private Counters() {}

    static long[] empty() {
        return new long[SIZE];
    }

    static void add(long[] target, StatsReport report) {
        target[SENT] += report.messagesSent();
        target[BYTES_SENT] += report.bytesSent();
        target[SEND_ERRORS] += report.sendErrors();
        target[RECEIVED] += report.messagesReceived();
        target[BYTES_RECEIVED] += report.bytesReceived();
        target[NEGATIVE_END_TO_END] += report.negativeEndToEnd();
        target[CPU_NANOS] += report.cpuNanos();
        target[SENT_OUTSIDE_PHASE] += report.sentOutsidePhase();
        target[COMPILE_MILLIS] += report.compileMillis();
        target[GC_MILLIS] += report.gcMillis();
        target[GC_COUNT] += report.gcCount();
    }

    /** A checkpointed array of an older or newer length is padded or cut to this build's. */
    static long[] normalized(long[] counters) {
        long[] copy = empty();
        if (counters != null) {
            System.arraycopy(counters, 0, copy, 0, Math.min(counters.length, SIZE));
        }
        return copy;
    }

    /** Rates over {@code spanMs}; a span below 1 ms counts as 1 ms so a single instant still has a rate. */
    static Rates rates(long[] c, long spanMs) {
        double seconds = Math.max(spanMs, 1) / 1000.0;
        return new Rates(
                c[SENT] / seconds,
                c[SEND_ERRORS] / seconds,
                c[RECEIVED] / seconds,
                c[BYTES_SENT] / MB / seconds,
                c[BYTES_RECEIVED] / MB / seconds);
    }

    /** Process CPU as a percentage of one core over {@code spanMs}. */
    static double cpuPercent(long[] c, long spanMs) {
        return c[CPU_NANOS] / (Math.max(spanMs, 1) * 1_000_000.0) * 100.0;
    }
}
