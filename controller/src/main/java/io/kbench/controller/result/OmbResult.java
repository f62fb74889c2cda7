package io.kbench.controller.result;

import io.kbench.protocol.histogram.HistogramCodec;
import io.kbench.protocol.message.LatencyKind;
import io.kbench.protocol.message.LatencyStats;
import io.kbench.protocol.message.RunSpec;
import io.kbench.protocol.message.RunSummary;
import io.kbench.protocol.message.WindowSummary;
import io.kbench.protocol.message.Workload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;

/**
 * The result file: every field of OMB's {@code TestResult} with OMB's names and units — publish and end-to-end
 * latency in milliseconds, publish delay in microseconds (percentiles whole numbers, the average a fraction, as
 * OMB writes them), rates per stats window — plus a {@code kbench} section with what OMB does not have.
 *
 * <p>OMB's per-window series hold only windows of the full {@code statsWindowSeconds}: OMB's chart script plots
 * entry {@code i} at {@code i × 10 s}, so a run's short last window would be drawn as a full one (with rates over
 * its short span). Such windows stay in the run's totals and aggregated figures; {@code kbench.windows} gives each
 * series entry's start and length, and {@code kbench.windowsLeftOut} the windows left out, for a true time axis.
 */
public final class OmbResult {

    /** OMB's quantiles for the {@code aggregated*Quantiles} maps. */
    private static final double[] QUANTILES = quantiles();

    private OmbResult() {}

    public static Map<String, Object> build(RunSpec spec, RunSummary summary, Map<String, Object> extras) {
        Workload w = spec.workload();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("workload", spec.workloadName());
        r.put("driver", spec.driverName());
        r.put("messageSize", (long) w.messageSize());
        r.put("topics", w.topicCount());
        r.put("partitions", w.partitionsPerTopic());
        r.put("producersPerTopic", w.producersPerTopic());
        r.put("consumersPerTopic", w.subscriptionsPerTopic() * w.consumerPerSubscription());

        long windowMs = spec.windowSeconds() * 1000L;
        List<WindowSummary> windows = fullWindows(summary.windows(), windowMs);
        r.put("publishRate", series(windows, x -> x.rates().publishRate()));
        r.put("publishErrorRate", series(windows, x -> x.rates().publishErrorRate()));
        r.put("consumeRate", series(windows, x -> x.rates().consumeRate()));
        r.put("backlog", windows.stream().map(WindowSummary::backlog).toList());

        windowLatencies(r, "publishLatency", windows, LatencyKind.PUBLISH_LATENCY, false);
        windowLatencies(r, "publishDelayLatency", windows, LatencyKind.PUBLISH_DELAY, true);
        aggregated(r, "aggregatedPublishLatency", summary, LatencyKind.PUBLISH_LATENCY, false);
        aggregated(r, "aggregatedPublishDelayLatency", summary, LatencyKind.PUBLISH_DELAY, true);
        r.put("aggregatedPublishLatencyQuantiles", quantileMap(summary, LatencyKind.PUBLISH_LATENCY, false));
        r.put("aggregatedPublishDelayLatencyQuantiles", quantileMap(summary, LatencyKind.PUBLISH_DELAY, true));
        windowLatencies(r, "endToEndLatency", windows, LatencyKind.END_TO_END_LATENCY, false);
        r.put("aggregatedEndToEndLatencyQuantiles", quantileMap(summary, LatencyKind.END_TO_END_LATENCY, false));
        aggregated(r, "aggregatedEndToEndLatency", summary, LatencyKind.END_TO_END_LATENCY, false);

        Map<String, Object> kbench = kbenchSection(spec, summary);
        kbench.put("windowSeconds", spec.windowSeconds());
        kbench.put("windows", describe(windows));
        kbench.put(
                "windowsLeftOut",
                describe(summary.windows().stream()
                        .filter(window -> !isFull(window, windowMs))
                        .toList()));
        kbench.put("environment", RunEnvironment.current());
        kbench.putAll(extras);
        r.put("kbench", kbench);
        return r;
    }

    private static Map<String, Object> kbenchSection(RunSpec spec, RunSummary s) {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("runId", s.runId());
        k.put("status", s.status().name());
        k.put("statusReason", s.statusReason());
        k.put("notes", s.notes());
        k.put("missingAgents", s.missingAgents());
        k.put("sweepId", s.sweepId());
        k.put("sweepScale", s.sweepScale());
        k.put("measureStart", s.measureStart());
        k.put("measureEnd", s.measureEnd());
        k.put("requestedProducerRate", spec.workload().producerRate());
        k.put("discoveredRate", spec.workload().discoversMaxRate() ? s.rates().publishRate() : null);
        k.put("rates", s.rates());
        k.put("messagesSent", s.messagesSent());
        k.put("bytesSent", s.bytesSent());
        k.put("messagesReceived", s.messagesReceived());
        k.put("bytesReceived", s.bytesReceived());
        k.put("sendErrors", s.sendErrors());
        k.put("errorsByType", s.errorsByType());
        k.put("backlog", s.backlog());
        k.put("clockSkewNegativeEndToEnd", s.negativeEndToEnd());
        k.put("cpuPercent", s.cpuPercent());
        k.put("agents", s.agents());
        Map<String, Object> latencies = new LinkedHashMap<>();
        s.latencies().forEach((kind, stats) -> latencies.put(kind.wireName() + "Micros", stats));
        k.put("latencies", latencies);
        k.put("intendedToAckLatencyQuantilesMillis", quantileMap(s, LatencyKind.INTENDED_LATENCY, false));
        // The merged histograms themselves (HdrHistogram's compressed encoding, base64, µs): any quantile can be
        // recomputed later, and `kbench report --hgrm` exports them as percentile files.
        Map<String, String> histograms = new TreeMap<>();
        s.histograms().forEach((kind, encoded) -> histograms.put(kind.wireName(), encoded));
        k.put("histogramsMicros", histograms);
        k.put("perWorker", s.perWorker());
        k.put("perAgent", s.perAgent());
        k.put("spec", spec);
        return k;
    }

    /** The windows OMB's series may hold: those of the full window length, in order. */
    static List<WindowSummary> fullWindows(List<WindowSummary> windows, long windowMs) {
        return windows.stream().filter(w -> isFull(w, windowMs)).toList();
    }

    private static boolean isFull(WindowSummary w, long windowMs) {
        return w.windowEnd() - w.windowStart() >= windowMs;
    }

    private static List<Map<String, Object>> describe(List<WindowSummary> windows) {
        List<Map<String, Object>> out = new ArrayList<>(windows.size());
        for (WindowSummary w : windows) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("start", w.windowStart());
            entry.put("lengthMs", w.windowEnd() - w.windowStart());
            entry.put("phase", w.phase().name());
            // What OMB's series lack: the intended-to-ack latency per window (ms, as OMB's latencies) and CPU.
            LatencyStats intended = w.latencies().getOrDefault(LatencyKind.INTENDED_LATENCY, LatencyStats.EMPTY);
            Map<String, Object> intendedMs = new LinkedHashMap<>();
            intendedMs.put("50pct", intended.p50() / 1000.0);
            intendedMs.put("99pct", intended.p99() / 1000.0);
            intendedMs.put("999pct", intended.p999() / 1000.0);
            entry.put("intendedLatencyMillis", intendedMs);
            entry.put("cpuPercent", w.cpuPercent());
            entry.put("agentsReporting", w.agentsReporting());
            out.add(entry);
        }
        return out;
    }

    private static List<Double> series(List<WindowSummary> windows, ToDoubleFunction<WindowSummary> value) {
        List<Double> out = new ArrayList<>(windows.size());
        windows.forEach(w -> out.add(value.applyAsDouble(w)));
        return out;
    }

    private static void windowLatencies(
            Map<String, Object> r, String prefix, List<WindowSummary> windows, LatencyKind kind, boolean micros) {
        String[] names = {"Avg", "50pct", "75pct", "95pct", "99pct", "999pct", "9999pct", "99999pct", "Max"};
        for (String name : names) {
            List<Object> values = new ArrayList<>();
            for (WindowSummary w : windows) {
                LatencyStats stats = w.latencies().getOrDefault(kind, LatencyStats.EMPTY);
                values.add(unit(pick(stats, name), micros, name));
            }
            r.put(prefix + name, values);
        }
    }

    private static void aggregated(
            Map<String, Object> r, String prefix, RunSummary s, LatencyKind kind, boolean micros) {
        LatencyStats stats = s.latencies().getOrDefault(kind, LatencyStats.EMPTY);
        String[] names = {"Avg", "50pct", "75pct", "95pct", "99pct", "999pct", "9999pct", "99999pct", "Max"};
        Histogram histogram = histogram(s, kind);
        for (String name : names) {
            double value = name.equals("99999pct") && histogram != null
                    ? histogram.getValueAtPercentile(99.999)
                    : pick(stats, name);
            r.put(prefix + name, unit(value, micros, name));
        }
    }

    private static double pick(LatencyStats s, String name) {
        return switch (name) {
            case "Avg" -> s.mean();
            case "50pct" -> s.p50();
            case "75pct" -> s.p75();
            case "95pct" -> s.p95();
            case "99pct" -> s.p99();
            case "999pct" -> s.p999();
            case "9999pct", "99999pct" -> s.p9999();
            default -> s.max();
        };
    }

    /**
     * OMB: publish and end-to-end latency in ms (double); publish delay in µs, its percentiles whole ({@code long})
     * and its average a {@code double} (OMB's {@code publishDelayLatencyAvg} is the histogram's mean, in µs).
     */
    static Object unit(double micros, boolean keepMicros, String name) {
        if (!keepMicros) {
            return micros / 1000.0;
        }
        return name.equals("Avg") ? (Object) micros : (Object) Math.round(micros);
    }

    private static Map<Double, Object> quantileMap(RunSummary s, LatencyKind kind, boolean micros) {
        Map<Double, Object> out = new TreeMap<>();
        Histogram histogram = histogram(s, kind);
        if (histogram == null || histogram.getTotalCount() == 0) {
            return out;
        }
        for (double q : QUANTILES) {
            double value = histogram.getValueAtPercentile(q);
            out.put(q, micros ? (Object) Math.round(value) : (Object) (value / 1000.0));
        }
        return out;
    }

    private static Histogram histogram(RunSummary s, LatencyKind kind) {
        String encoded = s.histograms().get(kind);
        if (encoded == null) {
            return null;
        }
        try {
            return HistogramCodec.decode(encoded);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static double[] quantiles() {
        // OMB's percentiles: 1..99 in steps of 1, then 99.9, 99.99, 99.999 and 100.
        double[] q = new double[99 + 4];
        for (int i = 1; i <= 99; i++) {
            q[i - 1] = i;
        }
        q[99] = 99.9;
        q[100] = 99.99;
        q[101] = 99.999;
        q[102] = 100;
        return q;
    }
}
