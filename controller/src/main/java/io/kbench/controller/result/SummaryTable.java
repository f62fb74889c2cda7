package io.kbench.controller.result;

import io.kbench.protocol.message.LatencyKind;
import io.kbench.protocol.message.LatencyStats;
import io.kbench.protocol.message.RunSummary;
import java.io.PrintStream;
import java.util.Locale;

/** The readable summary printed at the end of a run. */
public final class SummaryTable {

    private SummaryTable() {}

    public static void print(PrintStream out, RunSummary s) {
        double seconds = Math.max(0, (s.measureEnd() - s.measureStart()) / 1000.0);
        out.printf(
                Locale.ROOT,
                "%n== %s  [%s]  %s, %.0f s measured, %d agents ==%n",
                s.runId(),
                s.status(),
                s.workloadName(),
                seconds,
                s.agents());
        out.printf(
                Locale.ROOT,
                "  publish  %,12.0f msg/s  %8.2f MB/s   errors %,d%n",
                s.rates().publishRate(),
                s.rates().publishMBps(),
                s.sendErrors());
        out.printf(
                Locale.ROOT,
                "  consume  %,12.0f msg/s  %8.2f MB/s   backlog %,d%n",
                s.rates().consumeRate(),
                s.rates().consumeMBps(),
                s.backlog());
        out.printf(
                Locale.ROOT,
                "  %-22s %9s %9s %9s %9s %9s %9s%n",
                "latency (ms)",
                "avg",
                "p50",
                "p99",
                "p99.9",
                "p99.99",
                "max");
        for (LatencyKind kind : LatencyKind.values()) {
            LatencyStats l = s.latencies().get(kind);
            if (l == null || l.count() == 0 || (kind == LatencyKind.END_TO_END_RAW && sameAsCorrected(s, l))) {
                continue;
            }
            out.printf(
                    Locale.ROOT,
                    "  %-22s %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f%n",
                    label(kind),
                    l.mean() / 1000,
                    l.p50() / 1000,
                    l.p99() / 1000,
                    l.p999() / 1000,
                    l.p9999() / 1000,
                    l.max() / 1000);
        }
        if (s.negativeEndToEnd() > 0) {
            out.printf(
                    Locale.ROOT,
                    "  clock skew: %,d end-to-end samples were negative (recorded as 0)%n",
                    s.negativeEndToEnd());
        }
        out.printf(Locale.ROOT, "  agents' CPU %.0f %% of one core%n", s.cpuPercent());
        // Facts the figures depend on (a backlog left unknown, agents still compiling): said here, not only in the
        // file.
        s.notes().forEach(note -> out.println("  note: " + note));
    }

    private static String label(LatencyKind kind) {
        return switch (kind) {
            case PUBLISH_LATENCY -> "publish";
            case PUBLISH_DELAY -> "publish delay";
            case INTENDED_LATENCY -> "intended-to-ack";
            case END_TO_END_LATENCY -> "end-to-end";
            case END_TO_END_RAW -> "end-to-end, raw clocks";
        };
    }

    /** No clock correction applied: the raw row would repeat the end-to-end one. */
    private static boolean sameAsCorrected(RunSummary s, LatencyStats raw) {
        LatencyStats corrected = s.latencies().get(LatencyKind.END_TO_END_LATENCY);
        return raw.equals(corrected);
    }
}
