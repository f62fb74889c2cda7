package io.kbench.controller.run;

import io.kbench.protocol.message.LatencyKind;
import io.kbench.protocol.message.LatencyStats;
import io.kbench.protocol.message.MemberHealth;
import io.kbench.protocol.message.MemberHeartbeat;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.WindowSummary;
import io.kbench.protocol.message.Workload;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the user sees while a run goes: a one-line progress bar with phase, time left, rates and p99 on a
 * terminal; plain lines, one per window, when output is not a terminal (CI logs, files).
 */
final class RunProgress {

    private static final int BAR = 24;

    private final PrintStream out;
    private final boolean terminal;
    /** Columns of the terminal the bar is drawn on (lines are cut to fit); unused when not a terminal. */
    private final int width;

    private final String runId;
    private final int agents;
    private final Map<String, Integer> perWorker;
    private final List<String> topics;
    private final String target;
    /** The workload's total producer rate, 0 for max-rate discovery. */
    private final double askedRate;

    private long startAt;
    private long warmupMs;
    private long measureMs;
    private WindowSummary last;
    private long lastDrawn;
    /** Aggregators seen not working, and since when (this clock): their return is told with the wait. */
    private final Map<String, Long> waitingFor = new java.util.HashMap<>();

    /**
     * @param perWorker agents per worker, as planned
     * @param topics the benchmark topics
     * @param target the cluster under test
     */
    RunProgress(
            PrintStream out,
            String runId,
            Workload workload,
            Map<String, Integer> perWorker,
            List<String> topics,
            String target) {
        this(
                out,
                runId,
                workload,
                perWorker,
                topics,
                target,
                System.console() != null && !"dumb".equals(System.getenv("TERM")) ? TerminalWidth.detect() : 0);
    }

    /** @param width the terminal's columns, or 0 when the output is not a terminal */
    RunProgress(
            PrintStream out,
            String runId,
            Workload workload,
            Map<String, Integer> perWorker,
            List<String> topics,
            String target,
            int width) {
        this.out = out;
        this.terminal = width > 0;
        this.width = width;
        this.runId = runId;
        this.perWorker = new java.util.LinkedHashMap<>(perWorker); // the plan's order, as printed
        this.topics = List.copyOf(topics);
        this.target = target;
        this.askedRate = workload.producerRate();
        this.agents = perWorker.values().stream().mapToInt(Integer::intValue).sum();
        out.printf(Locale.ROOT, "run %s: %s%n", runId, workload.name());
    }

    void planned() {
        out.printf(Locale.ROOT, "  %d agents on %s; topics %s on %s%n", agents, perWorker, topics, target);
    }

    void ready(int count) {
        if (terminal) {
            redraw(String.format(Locale.ROOT, "  agents ready: %d/%d", count, agents));
            if (count == agents) {
                out.println();
            }
        } else if (count == agents) {
            out.printf(Locale.ROOT, "  all %d agents ready%n", agents);
        }
    }

    void started(long startAt, long warmupMs, long measureMs) {
        this.startAt = startAt;
        this.warmupMs = warmupMs;
        this.measureMs = measureMs;
        clearLine();
        out.printf(
                Locale.ROOT,
                "  start barrier set; warm-up %d s, measurement %d s%n",
                warmupMs / 1000,
                measureMs / 1000);
    }

    void window(WindowSummary window) {
        last = window;
        if (!terminal) {
            out.println("  " + describe(window, System.currentTimeMillis()));
        }
        tick();
    }

    void note(String text) {
        clearLine();
        out.println("  " + text);
    }

    /** On a terminal, blanks a partly drawn line (the bar, agents ready) so a printed line starts clean. */
    private void clearLine() {
        if (terminal) {
            out.print("\r" + " ".repeat(width - 1) + "\r");
        }
    }

    /**
     * An aggregator's heartbeat: a change to rebalancing, restoring or unhealthy is told at once (windows and the
     * summary wait for it), and so is its return, with how long it took.
     */
    void member(MemberHeartbeat beat, long now) {
        if (beat.role() != io.kbench.protocol.message.MemberRole.AGGREGATOR) {
            return;
        }
        MemberHealth health = beat.health();
        String id = beat.memberId();
        Long since = waitingFor.get(id);
        if (health.isHealthy()) {
            if (since != null) {
                waitingFor.remove(id);
                note(String.format(
                        Locale.ROOT, "aggregator %s is working again after %.1f s", id, (now - since) / 1000.0));
            }
        } else if (since == null) {
            waitingFor.put(id, now);
            note("aggregator " + id + " is " + health.describe() + "; windows and results wait for it");
        }
    }

    void tick() {
        if (!terminal || startAt == 0) {
            return;
        }
        long now = System.currentTimeMillis();
        if (now - lastDrawn < 500) {
            return;
        }
        lastDrawn = now;
        long total = warmupMs + measureMs;
        long elapsed = Math.max(0, Math.min(total, now - startAt));
        // Narrow terminals get a shorter bar, so the phase and the time left still fit beside it.
        int bar = Math.max(5, Math.min(BAR, width - 25));
        int filled = total == 0 ? bar : (int) (bar * elapsed / total);
        String phase = now < startAt ? "starting" : now - startAt < warmupMs ? "warm-up" : "measure";
        String figures = last == null ? "" : "  " + figures(last);
        if (!waitingFor.isEmpty()) {
            figures = "  waiting for aggregator " + String.join(", ", waitingFor.keySet());
        }
        redraw(String.format(
                Locale.ROOT,
                "  [%s%s] %s %ds left%s",
                "#".repeat(filled),
                "-".repeat(bar - filled),
                phase,
                (total - elapsed) / 1000,
                figures));
    }

    /** Draws {@code line} over the current one, cut to the terminal's width and padded over what was there. */
    private void redraw(String line) {
        String fitted = TerminalWidth.fit(line, width);
        out.print("\r" + fitted + " ".repeat(width - 1 - fitted.length()));
    }

    private String describe(WindowSummary w, long now) {
        long left = Math.max(0, (startAt + warmupMs + measureMs - now) / 1000);
        return String.format(Locale.ROOT, "%-13s %4ds left  %s", w.phase(), left, figures(w));
    }

    /**
     * A window's figures. A measurement window whose producers published more than the summary's 1 % below the
     * asked rate says so beside the rate: messages count in the phase of their intended send time, so producers
     * that fall behind their schedule read far below what they acknowledge (100,000 msg/s asked on 2 cores read 0
     * while ~30,000 were acknowledged, for sends intended in the warm-up), and a bare rate would look like a stall.
     */
    private String figures(WindowSummary w) {
        LatencyStats publish = w.latencies().getOrDefault(LatencyKind.PUBLISH_LATENCY, LatencyStats.EMPTY);
        LatencyStats e2e = w.latencies().getOrDefault(LatencyKind.END_TO_END_LATENCY, LatencyStats.EMPTY);
        double published = w.rates().publishRate();
        String behind = w.phase() == Phase.MEASURE && askedRate > 0 && published < askedRate * 0.99
                ? String.format(
                        Locale.ROOT,
                        ", %.0f %% of the %,.0f asked: behind schedule",
                        published / askedRate * 100,
                        askedRate)
                : "";
        return String.format(
                Locale.ROOT,
                "pub %,.0f msg/s (%.1f MB/s%s)  cons %,.0f msg/s  backlog %,d  p99 pub %.1f ms  p99 e2e %.1f ms",
                published,
                w.rates().publishMBps(),
                behind,
                w.rates().consumeRate(),
                w.backlog(),
                publish.p99() / 1000.0,
                e2e.p99() / 1000.0);
    }
}
