package io.kbench.aggregator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.protocol.SkipReason;
import io.kbench.protocol.message.LatencyKind;
import io.kbench.protocol.message.LatencyStats;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.Rates;
import io.kbench.protocol.message.RunStatus;
import io.kbench.protocol.message.RunSummary;
import io.kbench.protocol.message.WindowSummary;
import io.kbench.testing.TestClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class AggregatorMetricsTest {

    private static WindowSummary window() {
        LatencyStats publish = new LatencyStats(100, 1_500, 1_000, 1_200, 2_000, 2_500, 3_000, 3_500, 4_000);
        return new WindowSummary(
                "r1",
                0,
                1_000,
                Phase.MEASURE,
                new Rates(1_000, 2, 900, 1.0, 0.9),
                1_000,
                900,
                2,
                100,
                Map.of(LatencyKind.PUBLISH_LATENCY, publish),
                Map.of("w1", new Rates(1_000, 0, 0, 1.0, 0)),
                Map.of(),
                42.5,
                3,
                false);
    }

    private static RunSummary finished() {
        return new RunSummary(
                "r1",
                "wl",
                "kafka",
                null,
                null,
                RunStatus.COMPLETE,
                null,
                0,
                1_000,
                Rates.ZERO,
                0,
                0,
                0,
                null,
                0,
                0,
                0,
                0,
                null,
                null,
                null,
                null,
                null,
                0,
                1,
                1_000,
                null,
                List.of());
    }

    @Test
    void servesLiveGaugesInBaseUnitsAndRemovesThemAfterTheRun() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AggregatorMetrics metrics = new AggregatorMetrics(registry, clock, Duration.ofMinutes(2));
        metrics.windowClosed("wl", window());
        metrics.recordSkipped("corrupt", "garbage");

        String text;
        AtomicBoolean ready = new AtomicBoolean();
        try (MetricsHttpServer server = new MetricsHttpServer(registry, 0, ready::get)) {
            assertEquals(503, get(server, "/health").statusCode(), "not ready yet");
            ready.set(true);
            assertEquals(200, get(server, "/health").statusCode());
            HttpResponse<String> response = get(server, "/metrics");
            assertEquals(200, response.statusCode());
            text = response.body();
        }

        String run = "run_id=\"r1\",workload=\"wl\"";
        assertTrue(text.contains("kbench_publish_messages_per_second{" + run + "} 1000.0"), text);
        assertTrue(text.contains("kbench_publish_bytes_per_second{" + run + "} 1000000.0"), text);
        assertTrue(text.contains("kbench_publish_errors_per_second{" + run + "} 2.0"), text);
        assertTrue(text.contains("kbench_backlog_messages{" + run + "} 100.0"), text);
        assertTrue(
                text.contains("kbench_latency_seconds{kind=\"publish\",percentile=\"99\"," + run + "} 0.0025"), text);
        assertTrue(
                text.contains("kbench_latency_seconds{kind=\"publish\",percentile=\"100\"," + run + "} 0.004"), text);
        assertTrue(
                text.contains("kbench_worker_publish_messages_per_second{run_id=\"r1\",worker=\"w1\",workload=\"wl\"}"
                        + " 1000.0"),
                text);
        assertTrue(text.contains("kbench_agents_reporting{" + run + "} 3.0"), text);
        assertTrue(text.contains("kbench_agents_cpu_ratio{" + run + "} 0.425"), text);
        assertTrue(text.contains("kbench_aggregator_records_skipped_total{reason=\"corrupt\"} 1.0"), text);
        assertTrue(text.contains("kbench_aggregator_runs_live 1.0"), text);
        assertTrue(text.contains("# HELP kbench_publish_messages_per_second "), text);
        assertFalse(text.contains("quantile="), "quantile is a summary's label: " + text);

        metrics.runFinished(finished());
        clock.advance(Duration.ofSeconds(119));
        metrics.expireFinishedRuns();
        assertTrue(registry.scrape().contains("kbench_publish_messages_per_second{"), "kept for a while after the run");

        clock.advance(Duration.ofSeconds(2));
        metrics.expireFinishedRuns();
        String after = registry.scrape();
        assertFalse(after.contains("run_id=\"r1\""), after);
        assertTrue(after.contains("kbench_aggregator_runs_finished_total{status=\"complete\"} 1.0"), after);
        assertTrue(after.contains("kbench_aggregator_runs_live 0.0"), after);
    }

    @Test
    void countersExistAtZeroFromStartUp() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new AggregatorMetrics(registry, java.time.Clock.systemUTC(), Duration.ofMinutes(2));
        String text = registry.scrape();
        for (SkipReason reason : SkipReason.values()) {
            assertTrue(
                    text.contains("kbench_aggregator_records_skipped_total{reason=\"" + reason.label() + "\"} 0.0"),
                    text);
        }
        for (RunStatus status : RunStatus.values()) {
            assertTrue(
                    text.contains("kbench_aggregator_runs_finished_total{status=\""
                            + status.name().toLowerCase(Locale.ROOT) + "\"} 0.0"),
                    text);
        }
        assertTrue(text.contains("kbench_aggregator_runs_live 0.0"), text);
        assertTrue(text.contains("kbench_aggregator_reports_replayed_total 0.0"), text);
    }

    private static HttpResponse<String> get(MetricsHttpServer server, String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
