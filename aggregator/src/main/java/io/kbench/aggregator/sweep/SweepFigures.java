package io.kbench.aggregator.sweep;

import io.kbench.protocol.message.LatencyKind;
import io.kbench.protocol.message.LatencyStats;
import io.kbench.protocol.message.RunSummary;
import io.kbench.protocol.message.SweepSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The scaling figures of a sweep, each point against the sweep's smallest-scale run (docs/architecture.md,
 * Measurement): throughput efficiency {@code (T_n / T_1) / (n / 1)} with {@code n = scale_n / scale_1},
 * latency growth {@code (p99_n − p99_1) / p99_1} of publish latency, and messages per second per 1 % CPU.
 * A figure whose denominator is zero is 0 (JSON has no NaN).
 */
public final class SweepFigures {

    /** What a sweep keeps of one run. */
    public record Input(
            String runId,
            double scale,
            double throughput,
            double publishMBps,
            double p99PublishLatencyUs,
            double p99EndToEndLatencyUs,
            double cpuPercent) {
        public Input {
            Objects.requireNonNull(runId, "runId");
            if (!(scale > 0) || Double.isInfinite(scale)) {
                throw new IllegalArgumentException("scale of run " + runId + " must be > 0, got " + scale);
            }
        }

        /** The sweep input of a run summary; the summary must carry a sweep scale. */
        public static Input of(RunSummary summary) {
            LatencyStats publish = summary.latencies().getOrDefault(LatencyKind.PUBLISH_LATENCY, LatencyStats.EMPTY);
            LatencyStats endToEnd =
                    summary.latencies().getOrDefault(LatencyKind.END_TO_END_LATENCY, LatencyStats.EMPTY);
            return new Input(
                    summary.runId(),
                    summary.sweepScale(),
                    summary.rates().publishRate(),
                    summary.rates().publishMBps(),
                    publish.p99(),
                    endToEnd.p99(),
                    summary.cpuPercent());
        }
    }

    private SweepFigures() {}

    /** Points sorted by scale (then run id), each with its figures against the smallest-scale point. */
    public static SweepSummary compute(String sweepId, List<Input> inputs) {
        List<Input> sorted = new ArrayList<>(inputs);
        sorted.sort(Comparator.comparingDouble(Input::scale).thenComparing(Input::runId));
        List<SweepSummary.Point> points = new ArrayList<>();
        if (sorted.isEmpty()) {
            return new SweepSummary(sweepId, points);
        }
        Input base = sorted.get(0);
        for (Input point : sorted) {
            double n = point.scale() / base.scale();
            double efficiency = ratio(ratio(point.throughput(), base.throughput()), n);
            double growth = ratio(point.p99PublishLatencyUs() - base.p99PublishLatencyUs(), base.p99PublishLatencyUs());
            points.add(new SweepSummary.Point(
                    point.runId(),
                    point.scale(),
                    point.throughput(),
                    point.publishMBps(),
                    point.p99PublishLatencyUs(),
                    point.p99EndToEndLatencyUs(),
                    point.cpuPercent(),
                    efficiency,
                    growth,
                    ratio(point.throughput(), point.cpuPercent())));
        }
        return new SweepSummary(sweepId, points);
    }

    private static double ratio(double numerator, double denominator) {
        return denominator == 0 ? 0 : numerator / denominator;
    }
}
