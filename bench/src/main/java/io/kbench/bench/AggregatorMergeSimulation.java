package io.kbench.bench;

import io.kbench.aggregator.run.RunAccumulator;
import io.kbench.aggregator.run.RunCheckpoints;
import io.kbench.protocol.Decoded;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.LatencyKind;
import io.kbench.protocol.message.MessageType;
import io.kbench.protocol.message.RunSpec;
import io.kbench.protocol.message.RunSummary;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StatsReport;
import io.kbench.protocol.message.WindowSummary;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The merge cost of one very large run in one Streams task, without Kafka (bench/aggregator.sh --simulate N): N
 * synthetic agents (half producers with three histograms, half consumers with one) report every second through the
 * aggregator's own {@link RunAccumulator}, as its task does (decode, duplicate check, fold into the run and its
 * window, after decoding its envelope). Prints the cost per report, of closing a window of N agents, and of the checkpoint the task writes at
 * each punctuation (its time and size, which grow with N), then the summary. docs/architecture.md (aggregation at
 * scale) uses these figures. Options: {@code --simulate 10000}, {@code --windows 3} (10 s windows).
 */
final class AggregatorMergeSimulation {

    private static final int INTERVAL_MS = 1000;
    private static final int WINDOW_SECONDS = 10;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private AggregatorMergeSimulation() {}

    /** This thread's CPU time: the host is shared, so wall-clock time would count other processes' turns. */
    private static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }

    static void run(Args a) {
        int agents = a.intOpt("--simulate", 10_000);
        int windows = a.intOpt("--windows", 3);
        long measureMs = (long) windows * WINDOW_SECONDS * 1000;
        List<String> ids = AggregatorBench.agentIds(agents);
        long startAt = 1_000_000_000_000L;
        RunSpec spec = AggregatorBench.spec(ids, measureMs, INTERVAL_MS, startAt);
        Map<LatencyKind, String> producerHist = AggregatorBench.histograms(new Random(1), true);
        Map<LatencyKind, String> consumerHist = AggregatorBench.histograms(new Random(2), false);
        System.out.println(Bench.header("aggregator: merge cost of one run of " + agents + " agents in one task"));
        Bench.println(
                "%,d agents, one report per agent per %d ms, %d s windows, %d windows (%,d reports); RunAccumulator"
                        + " alone, no Kafka; times are this thread's CPU time",
                agents, INTERVAL_MS, WINDOW_SECONDS, windows, (long) agents * measureMs / INTERVAL_MS);
        MessageCodec codec = new MessageCodec();
        // Twice: the first pass warms the JIT, the second is measured.
        for (int pass = 0; pass < 2; pass++) {
            boolean measured = pass == 1;
            RunAccumulator run = new RunAccumulator("sim", startAt);
            run.applySpec(spec, startAt);
            run.applyStart(new StartRun(startAt, 0, measureMs, startAt + measureMs + 60_000), startAt);
            long foldNanos = 0;
            long closeNanos = 0;
            long checkpointNanos = 0;
            long checkpointBytes = 0;
            int checkpoints = 0;
            long reports = 0;
            List<WindowSummary> published = new ArrayList<>();
            int ticks = (int) (measureMs / INTERVAL_MS);
            for (int k = 0; k < ticks; k++) {
                long start = startAt + (long) k * INTERVAL_MS;
                long end = start + INTERVAL_MS;
                boolean last = k == ticks - 1;
                List<byte[]> tick = new ArrayList<>(agents);
                for (int i = 0; i < agents; i++) {
                    StatsReport r =
                            AggregatorBench.report(i, ids.get(i), k, start, end, last, producerHist, consumerHist);
                    tick.add(codec.encode("sim", r, null));
                }
                long t0 = cpu();
                for (byte[] bytes : tick) {
                    // As the task does: the envelope (Jackson), then the report into the run.
                    StatsReport r =
                            (StatsReport) ((Decoded.Ok) codec.decodeLean(bytes, MessageType.STATS_REPORT)).message();
                    if (run.apply(r.agentId() + "/" + k, r, end) != RunAccumulator.Outcome.ACCEPTED) {
                        throw new IllegalStateException("report " + k + " of " + r.agentId() + " not accepted");
                    }
                }
                long t1 = cpu();
                List<WindowSummary> closed = last ? run.closeAllWindows() : run.closeDueWindows(end, Duration.ZERO);
                published.addAll(closed);
                long t2 = cpu();
                // The task checkpoints a dirty run at every punctuation (500 ms): here once per tick.
                byte[] checkpoint = RunCheckpoints.write(run.checkpoint());
                run.foldedLogKeys().clear();
                long t3 = cpu();
                reports += agents;
                foldNanos += t1 - t0;
                closeNanos += t2 - t1;
                checkpointNanos += t3 - t2;
                checkpointBytes = Math.max(checkpointBytes, checkpoint.length);
                checkpoints++;
            }
            long t0 = cpu();
            RunSummary summary = run.summarize(startAt + measureMs, published);
            long summaryNanos = cpu() - t0;
            if (summary.agents() != agents || summary.messagesSent() != (long) (agents / 2) * 200 * ticks) {
                throw new IllegalStateException("summary does not add up: " + summary.agents() + " agents, "
                        + summary.messagesSent() + " messages sent");
            }
            if (measured) {
                Bench.println(
                        "  decode + fold: %.1f µs per report (%,.0f reports/s per core), %,d windows published",
                        foldNanos / 1e3 / reports, reports * 1e9 / foldNanos, published.size());
                Bench.println(
                        "  window close: %.1f ms per window of %,d agents; checkpoint: %.1f ms each, up to %.1f MB"
                                + " (%,d written)",
                        closeNanos / 1e6 / Math.max(1, published.size()),
                        agents,
                        checkpointNanos / 1e6 / checkpoints,
                        checkpointBytes / 1e6,
                        checkpoints);
                Bench.println(
                        "  summary: %.1f ms; %s, %,d messages sent, publish p99 %,d µs; records: window %.2f MB,"
                                + " summary %.2f MB (topics default to 1 MB)",
                        summaryNanos / 1e6,
                        summary.status(),
                        summary.messagesSent(),
                        (long) summary.latencies()
                                .get(LatencyKind.PUBLISH_LATENCY)
                                .p99(),
                        codec.encode("sim", published.get(0), null).length / 1e6,
                        codec.encode("sim", summary, null).length / 1e6);
            }
        }
    }
}
