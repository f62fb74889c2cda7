package io.kbench.controller.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kbench.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders each kind of report in headless Chromium, from result files of a real run ({@code src/test/resources/
 * report/}: {@code kbench sweep --local --producers 1,2,3 --consumers 1 --rate-per-producer 500 --duration 15} of
 * the quick-start workload at 4 partitions: the sweep's file, its 3-producer point's result, and its 1-producer
 * point's result without its {@code kbench} section, as OMB writes results).
 * Each page must draw every chart with the file's data points, raise no script error, and make no request.
 */
class ReportRenderIT {

    private static final Path FIXTURES = Path.of("src/test/resources/report").toAbsolutePath();
    private static final Pattern MARKER =
            Pattern.compile("<pre id=\"kbench-rendered\"[^>]*data-done=\"true\"[^>]*>(.*?)</pre>", Pattern.DOTALL);
    private static final List<String> KINDS =
            List.of("publishLatency", "publishDelay", "endToEndLatency", "intendedLatency");

    /** The fixtures: a kbench run's result, an OMB result, a sweep's file. */
    private static final String RUN = "quick-start-1000-Kafka-";

    private static final String OMB = "omb-";
    private static final String SWEEP = "sweep-";

    @TempDir
    Path work;

    @BeforeAll
    static void chromiumIsThere() {
        Chromium.binary();
    }

    @Test
    void aRunReportDrawsEveryWindowAndTheWholeDistribution() throws Exception {
        Path run = fixture(RUN);
        JsonNode result = Json.WIRE.readTree(run.toFile());
        int windows = result.path("publishRate").size();
        assertTrue(windows >= 3, "the fixture has windows: " + windows);

        JsonNode rendered = render(Reports.write(List.of(run), work, false).report());

        assertEquals("run", rendered.path("kind").asText());
        JsonNode charts = rendered.path("charts");
        assertEquals(List.of(windows, windows, windows), counts(charts, "rates"), "publish, consume, backlog");
        for (String kind : KINDS) {
            assertEquals(
                    List.of(windows, windows, windows), counts(charts, "over-time-" + kind), kind + " p50/99/99.9");
            List<Integer> curve = counts(charts, "distribution-" + kind);
            assertEquals(1, curve.size(), kind);
            assertEquals(
                    RunView.distribution(ReportInput.read(run), LatencyKinds.valueOf(kindName(kind)))
                            .size(),
                    curve.get(0),
                    kind + ": every point of the merged histogram's percentile curve");
            assertTrue(curve.get(0) > 20, kind + " curve points: " + curve);
        }
        int agents = result.path("kbench").path("perAgent").size();
        assertTrue(agents >= 4, "3 producers and a consumer: " + agents);
        assertEquals(List.of(agents, agents), counts(charts, "per-agent-0"));
        assertEquals(List.of(windows), counts(charts, "cpu"));
    }

    @Test
    void aComparisonOverlaysAKbenchRunAndAnOmbResult() throws Exception {
        Path kbench = fixture(RUN);
        Path omb = fixture(OMB);
        int kbenchWindows =
                Json.WIRE.readTree(kbench.toFile()).path("publishRate").size();
        int ombWindows = Json.WIRE.readTree(omb.toFile()).path("publishRate").size();

        Reports.Written written = Reports.write(List.of(kbench, omb), work, false);
        JsonNode rendered = render(written.report());

        assertEquals("compare", rendered.path("kind").asText());
        JsonNode charts = rendered.path("charts");
        assertEquals(
                List.of(kbenchWindows, kbenchWindows, kbenchWindows, ombWindows, ombWindows, ombWindows),
                counts(charts, "rates"));
        assertEquals(6, counts(charts, "over-time-publishLatency").size(), "both runs' p50, p99, p99.9");
        assertEquals(
                List.of(kbenchWindows, kbenchWindows, kbenchWindows),
                counts(charts, "over-time-intendedLatency"),
                "OMB records no intended-to-ack latency: only the kbench run's");
        assertEquals(2, counts(charts, "distribution-endToEndLatency").size());
        assertTrue(
                counts(charts, "distribution-endToEndLatency").get(1) >= 100,
                "the OMB file's quantile map: " + counts(charts, "distribution-endToEndLatency"));
        String dom = Files.readString(work.resolve("dom.html"));
        assertTrue(dom.contains("publish rate (msg/s)") && dom.contains(" %)"), "the table of deltas");
    }

    @Test
    void aSweepReportDrawsEachPointWithItsGrade() throws Exception {
        Path sweep = fixture(SWEEP);
        JsonNode points = Json.WIRE.readTree(sweep.toFile()).path("points");

        JsonNode rendered = render(Reports.write(List.of(sweep), work, false).report());

        assertEquals("sweep", rendered.path("kind").asText());
        for (String chart : List.of("sweep-efficiency", "sweep-growth", "sweep-cpu", "sweep-throughput")) {
            assertEquals(List.of(points.size()), counts(rendered.path("charts"), chart), chart);
        }
        String dom = Files.readString(work.resolve("dom.html"));
        for (JsonNode p : points) {
            assertTrue(dom.contains("grade-" + p.path("efficiencyGrade").asText()), "grade shown: " + p);
        }
    }

    @Test
    void aRequestFromThePageIsCaught() throws Exception {
        // The check can fail: the same page with one image from the network reports the blocked request.
        Path report = Reports.write(List.of(fixture(RUN)), work, false).report();
        String html = Files.readString(report)
                .replace(
                        "<main id=\"report\"></main>",
                        "<main id=\"report\"></main><img src=\"http://example.invalid/x.png\">");
        Path tampered = work.resolve("tampered.html");
        Files.writeString(tampered, html);

        JsonNode rendered = marker(Chromium.dumpDom(tampered, work).dom());

        assertTrue(rendered.path("problems").toString().contains("blocked request"), rendered.toString());
    }

    @Test
    void percentileFilesHoldTheMergedHistogramInHdrHistogramsFormat() throws Exception {
        Path run = fixture(RUN);
        JsonNode latencies = Json.WIRE.readTree(run.toFile()).path("kbench").path("latencies");

        Reports.Written written = Reports.write(List.of(run), work, true);

        assertEquals(
                4, written.percentileFiles().size(), written.percentileFiles().toString());
        Path publish = written.percentileFiles().stream()
                .filter(f -> f.getFileName().toString().endsWith("-publishLatency.hgrm"))
                .findFirst()
                .orElseThrow();
        List<String> lines = Files.readAllLines(publish, StandardCharsets.UTF_8);
        assertTrue(lines.get(0).trim().startsWith("Value") && lines.get(0).contains("1/(1-Percentile)"), lines.get(0));
        Matcher total = Pattern.compile("Total count\\s*=\\s*(\\d+)").matcher(String.join("\n", lines));
        assertTrue(total.find(), "HdrHistogram's footer");
        assertEquals(latencies.path("publishLatencyMicros").path("count").asLong(), Long.parseLong(total.group(1)));
        double p50Ms = lines.stream()
                .filter(l -> l.trim().split("\\s+").length == 4 && l.contains("0.500000000000"))
                .map(l -> Double.parseDouble(l.trim().split("\\s+")[0]))
                .findFirst()
                .orElseThrow();
        double expected = latencies.path("publishLatencyMicros").path("p50").asDouble() / 1000;
        assertEquals(expected, p50Ms, expected * 0.002 + 0.001, "the p50 row, in ms");
    }

    private JsonNode render(Path report) throws IOException, InterruptedException {
        assertTrue(Files.size(report) > 900_000, "ECharts is inlined: " + Files.size(report));
        String html = Files.readString(report);
        assertFalse(Pattern.compile("<script[^>]+src=").matcher(html).find(), "no external script");
        assertFalse(Pattern.compile("<link[^>]+href=").matcher(html).find(), "no external style");
        Chromium.Page page = Chromium.dumpDom(report, work);
        Files.writeString(work.resolve("dom.html"), page.dom());
        JsonNode rendered = marker(page.dom());
        assertEquals(0, rendered.path("problems").size(), "no script error, no request: " + rendered.path("problems"));
        List<String> console = page.log()
                .lines()
                .filter(l -> l.contains("CONSOLE") || l.contains("Uncaught"))
                .toList();
        assertEquals(List.of(), console, "no console message");
        assertTrue(rendered.path("charts").size() > 0, "charts drawn: " + rendered);
        return rendered;
    }

    private static JsonNode marker(String dom) throws IOException {
        Matcher m = MARKER.matcher(dom);
        assertTrue(
                m.find(),
                "the page wrote its marker of rendered points; DOM: " + dom.substring(0, Math.min(2000, dom.length())));
        String text = m.group(1)
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&");
        return Json.WIRE.readTree(text);
    }

    private static List<Integer> counts(JsonNode charts, String id) {
        assertTrue(charts.has(id), "chart " + id + " drawn; charts: " + charts);
        List<Integer> out = new ArrayList<>();
        charts.get(id).forEach(n -> out.add(n.asInt()));
        return out;
    }

    private static String kindName(String key) {
        return switch (key) {
            case "publishLatency" -> "PUBLISH";
            case "publishDelay" -> "PUBLISH_DELAY";
            case "endToEndLatency" -> "END_TO_END";
            default -> "INTENDED";
        };
    }

    private static Path fixture(String prefix) throws IOException {
        try (var files = Files.list(FIXTURES)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix))
                    .filter(f -> f.getFileName().toString().endsWith(".json"))
                    .findFirst()
                    .orElseThrow(() -> new IOException("no fixture " + prefix + "*.json in " + FIXTURES));
        }
    }
}
