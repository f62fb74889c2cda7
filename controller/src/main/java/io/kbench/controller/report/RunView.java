package io.kbench.controller.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.kbench.controller.config.InputError;
import io.kbench.protocol.histogram.HistogramCodec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * One run's figures as the report's page draws them, from a kbench or an OMB result file: series on a time axis in
 * seconds, latencies in ms, the percentile distribution of each latency kind, per-agent and per-worker rates, and
 * the facts (status, workload, driver, versions, host).
 */
final class RunView {

    /** OMB's stats period: its result file places series entry i at i × 10 s and records no period of its own. */
    static final double OMB_PERIOD_SECONDS = 10;

    /** HdrHistogram's default for {@code outputPercentileDistribution}: 5 ticks per half distance. */
    private static final int TICKS_PER_HALF_DISTANCE = 5;

    private RunView() {}

    static Map<String, Object> of(ReportInput input) {
        JsonNode r = input.root();
        JsonNode k = r.path("kbench");
        boolean kbench = input.kind() == ReportInput.Kind.KBENCH_RUN;
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("label", input.stem());
        view.put("file", input.file().getFileName().toString());
        view.put("origin", kbench ? "kbench" : "OMB");
        view.put("status", kbench ? k.path("status").asText("unknown") : "not recorded (OMB result)");
        view.put(
                "statusReason",
                kbench && k.hasNonNull("statusReason") ? k.get("statusReason").asText() : null);
        view.put("notes", texts(k.path("notes")));

        List<Double> times = times(input);
        view.put(
                "timeAxis",
                kbench
                        ? "seconds from the first window's start (kbench.windows)"
                        : "seconds: entry i at (i + 1) × " + (int) OMB_PERIOD_SECONDS + " s (OMB's stats period)");
        view.put("publishRate", points(times, numbers(r.path("publishRate"), 1)));
        view.put("consumeRate", points(times, numbers(r.path("consumeRate"), 1)));
        view.put("backlog", points(times, numbers(r.path("backlog"), 1)));
        view.put("cpuPercent", points(times, fromWindows(k, w -> w.path("cpuPercent"))));

        Map<String, Object> overTime = new LinkedHashMap<>();
        Map<String, Object> distribution = new LinkedHashMap<>();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put(
                "publishRate", kbench ? k.path("rates").path("publishRate").asDouble() : mean(r.path("publishRate")));
        summary.put(
                "consumeRate", kbench ? k.path("rates").path("consumeRate").asDouble() : mean(r.path("consumeRate")));
        summary.put("cpuPercent", kbench ? k.path("cpuPercent").asDouble() : null);
        for (LatencyKinds kind : LatencyKinds.values()) {
            Map<String, Object> series = new LinkedHashMap<>();
            for (String pct : new String[] {"50pct", "99pct", "999pct"}) {
                List<Double> values = kind.seriesPrefix == null
                        ? fromWindows(k, w -> w.path("intendedLatencyMillis").path(pct))
                        : numbers(r.path(kind.seriesPrefix + pct), kind.perMs);
                if (!values.isEmpty()) {
                    series.put(pct, points(times, values));
                }
            }
            if (!series.isEmpty()) {
                overTime.put(kind.key(), series);
            }
            List<double[]> curve = distribution(input, kind);
            if (!curve.isEmpty()) {
                distribution.put(kind.key(), curve);
            }
            summary.put(kind.key(), aggregated(input, kind));
        }
        view.put("latencyOverTime", overTime);
        view.put("distribution", distribution);
        view.put("summary", summary);
        view.put("perAgent", rates(k.path("perAgent")));
        view.put("perWorker", rates(k.path("perWorker")));
        view.put("facts", facts(input));
        return view;
    }

    /** Each series entry's time: the end of its window, in seconds from the first window's start. */
    private static List<Double> times(ReportInput input) {
        int n = input.root().path("publishRate").size();
        List<Double> out = new ArrayList<>(n);
        JsonNode windows = input.root().path("kbench").path("windows");
        if (input.kind() == ReportInput.Kind.KBENCH_RUN) {
            if (windows.size() != n) {
                throw new InputError(input.file() + ": field 'kbench.windows' has " + windows.size()
                        + " entries but 'publishRate' has " + n + "; each series entry needs its window");
            }
            long origin = n == 0 ? 0 : windows.get(0).path("start").asLong();
            for (JsonNode w : windows) {
                out.add((w.path("start").asLong() + w.path("lengthMs").asLong() - origin) / 1000.0);
            }
            return out;
        }
        for (int i = 0; i < n; i++) {
            out.add((i + 1) * OMB_PERIOD_SECONDS);
        }
        return out;
    }

    /** [[t, y], …], as ECharts takes a value axis; a series shorter than the time axis is cut to its length. */
    private static List<double[]> points(List<Double> times, List<Double> values) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < Math.min(times.size(), values.size()); i++) {
            if (values.get(i) != null) {
                out.add(new double[] {times.get(i), values.get(i)});
            }
        }
        return out;
    }

    private static List<Double> numbers(JsonNode array, double divisor) {
        List<Double> out = new ArrayList<>();
        array.forEach(v -> out.add(v.isNumber() ? v.asDouble() / divisor : null));
        return out;
    }

    private static List<Double> fromWindows(JsonNode k, java.util.function.Function<JsonNode, JsonNode> field) {
        List<Double> out = new ArrayList<>();
        for (JsonNode w : k.path("windows")) {
            JsonNode v = field.apply(w);
            if (!v.isNumber()) {
                return List.of(); // an older kbench result: no such figure per window
            }
            out.add(v.asDouble());
        }
        return out;
    }

    private static Double mean(JsonNode array) {
        double sum = 0;
        int n = 0;
        for (JsonNode v : array) {
            if (v.isNumber()) {
                sum += v.asDouble();
                n++;
            }
        }
        return n == 0 ? null : sum / n;
    }

    /**
     * The percentile curve: x = 1 / (1 − q) (HdrHistogram's plot), y in ms. From the merged histogram when the
     * result keeps it, else from the file's quantile map.
     */
    static List<double[]> distribution(ReportInput input, LatencyKinds kind) {
        Histogram histogram = histogram(input, kind);
        List<double[]> out = new ArrayList<>();
        if (histogram != null) {
            for (HistogramIterationValue v : histogram.percentiles(TICKS_PER_HALF_DISTANCE)) {
                double q = v.getPercentileLevelIteratedTo() / 100.0;
                if (q >= 1) {
                    break;
                }
                out.add(new double[] {1 / (1 - q), v.getValueIteratedTo() / 1000.0});
            }
            return out;
        }
        JsonNode quantiles = kind.aggregatedPrefix == null
                ? input.root().path("kbench").path("intendedToAckLatencyQuantilesMillis")
                : input.root().path(kind.aggregatedPrefix + "Quantiles");
        double perMs = kind.aggregatedPrefix == null ? 1 : kind.perMs;
        for (Iterator<Map.Entry<String, JsonNode>> it = quantiles.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            double q;
            try {
                q = Double.parseDouble(e.getKey()) / 100.0;
            } catch (NumberFormatException bad) {
                throw new InputError(input.file() + ": field '" + kind.aggregatedPrefix + "Quantiles' has key '"
                        + e.getKey() + "', not a percentile");
            }
            if (q < 1 && e.getValue().isNumber()) {
                out.add(new double[] {1 / (1 - q), e.getValue().asDouble() / perMs});
            }
        }
        out.sort(java.util.Comparator.comparingDouble(p -> p[0]));
        return out;
    }

    /** The run's merged histogram of a kind, if the result keeps it ({@code kbench.histogramsMicros}). */
    static Histogram histogram(ReportInput input, LatencyKinds kind) {
        JsonNode encoded = input.root().path("kbench").path("histogramsMicros").path(kind.key());
        if (!encoded.isTextual()) {
            return null;
        }
        try {
            Histogram histogram = HistogramCodec.decode(encoded.asText());
            return histogram.getTotalCount() == 0 ? null : histogram;
        } catch (IllegalArgumentException e) {
            throw new InputError(
                    input.file() + ": field 'kbench.histogramsMicros." + kind.key() + "' is " + e.getMessage());
        }
    }

    /** p50, p99, p99.9 in ms over the whole run. */
    private static Map<String, Double> aggregated(ReportInput input, LatencyKinds kind) {
        Map<String, Double> out = new LinkedHashMap<>();
        JsonNode r = input.root();
        if (kind.aggregatedPrefix != null) {
            for (String pct : new String[] {"50pct", "99pct", "999pct"}) {
                JsonNode v = r.path(kind.aggregatedPrefix + pct);
                out.put(pct, v.isNumber() ? v.asDouble() / kind.perMs : null);
            }
            return out;
        }
        JsonNode micros = r.path("kbench").path("latencies").path(kind.key() + "Micros");
        out.put("50pct", micros.has("p50") ? micros.get("p50").asDouble() / 1000 : null);
        out.put("99pct", micros.has("p99") ? micros.get("p99").asDouble() / 1000 : null);
        out.put("999pct", micros.has("p999") ? micros.get("p999").asDouble() / 1000 : null);
        return out;
    }

    /** [[id, publish msg/s, consume msg/s], …] from {@code kbench.perAgent} or {@code kbench.perWorker}. */
    private static List<Object[]> rates(JsonNode byId) {
        List<Object[]> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = byId.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.add(new Object[] {
                e.getKey(),
                e.getValue().path("publishRate").asDouble(),
                e.getValue().path("consumeRate").asDouble()
            });
        }
        out.sort(java.util.Comparator.comparing(row -> (String) row[0]));
        return out;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    /** {@code "a<sep>b"} of two fields of {@code node}, or {@code null} when it has no {@code a}. */
    private static String pair(JsonNode node, String a, String b, String sep) {
        return node.has(a) ? node.path(a).asText() + sep + node.path(b).asText() : null;
    }

    /** [[name, value], …]: what was run, on what, with which versions. */
    private static List<String[]> facts(ReportInput input) {
        JsonNode r = input.root();
        JsonNode k = r.path("kbench");
        List<String[]> out = new ArrayList<>();
        fact(out, "workload", r.path("workload"));
        fact(out, "driver", r.path("driver"));
        fact(out, "message size (bytes)", r.path("messageSize"));
        fact(out, "topics × partitions", pair(r, "topics", "partitions", " × "));
        fact(out, "producers / consumers per topic", pair(r, "producersPerTopic", "consumersPerTopic", " / "));
        fact(out, "run id", k.path("runId"));
        fact(out, "requested producer rate (msg/s)", k.path("requestedProducerRate"));
        fact(out, "discovered rate (msg/s)", k.path("discoveredRate"));
        fact(out, "messages sent / received", pair(k, "messagesSent", "messagesReceived", " / "));
        fact(out, "send errors", k.path("sendErrors"));
        fact(out, "agents", k.path("agents"));
        fact(out, "window (s)", k.path("windowSeconds"));
        fact(
                out,
                "windows left out of the series",
                k.has("windowsLeftOut")
                        ? Integer.toString(k.path("windowsLeftOut").size())
                        : null);
        fact(out, "clock offsets (ms)", clockOffsets(k.path("clockOffsets")));
        JsonNode raw = k.path("latencies").path("endToEndLatencyRawMicros");
        if (k.has("clockOffsets") && raw.has("p99")) {
            fact(
                    out,
                    "end-to-end p99, raw clocks (ms)",
                    String.format(Locale.ROOT, "%.2f", raw.path("p99").asDouble() / 1000));
        }
        fact(out, "agents' C2 after the warm-up", k.path("agentC2AfterWarmup"));
        JsonNode env = k.path("environment");
        fact(out, "kbench", env.path("kbenchVersion"));
        fact(out, "Java", env.path("javaVersion"));
        fact(out, "Kafka clients", env.path("kafkaClientsVersion"));
        fact(out, "OS", env.path("os"));
        fact(
                out,
                "controller host",
                env.has("controllerHost")
                        ? env.path("controllerHost").asText() + " ("
                                + env.path("controllerCores").asText() + " cores)"
                        : null);
        return out;
    }

    /** {@code w1 -0.76 ± 4.64, w2 -50.47 ± 2.56} from {@code kbench.clockOffsets}, or null. */
    private static String clockOffsets(JsonNode offsets) {
        if (!offsets.isObject() || offsets.isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        offsets.fields()
                .forEachRemaining(e -> parts.add(String.format(
                        Locale.ROOT,
                        "%s %+.2f ± %.2f",
                        e.getKey(),
                        e.getValue().path("offsetMillis").asDouble(),
                        e.getValue().path("uncertaintyMillis").asDouble())));
        return String.join(", ", parts);
    }

    private static void fact(List<String[]> out, String name, JsonNode value) {
        if (value != null && !value.isMissingNode() && !value.isNull()) {
            fact(out, name, value.asText());
        }
    }

    private static void fact(List<String[]> out, String name, String value) {
        if (value != null) {
            out.add(new String[] {name, value});
        }
    }
}
