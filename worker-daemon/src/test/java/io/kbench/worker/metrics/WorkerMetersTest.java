package io.kbench.worker.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.protocol.SkipReason;
import io.kbench.protocol.message.AssignmentRejected;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class WorkerMetersTest {

    @Test
    void prometheusShowsEveryMeterWithWorkerTag() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        WorkerMeters meters = new WorkerMeters(registry, "w1", () -> 3, () -> 1.5, () -> 2);
        meters.agentsSpawned(3);
        meters.agentsFailed(1);
        meters.assignmentRejected(AssignmentRejected.Reason.OVER_CAPACITY);
        meters.recordSkipped(SkipReason.CORRUPT);

        String scrape = registry.scrape();
        assertTrue(scrape.contains("kbench_worker_agents_running{worker=\"w1\"} 3"), scrape);
        assertTrue(scrape.contains("kbench_worker_agents_warm{worker=\"w1\"} 2"), scrape);
        assertTrue(scrape.contains("kbench_worker_agents_spawned_total{worker=\"w1\"} 3"), scrape);
        assertTrue(scrape.contains("kbench_worker_agents_failed_total{worker=\"w1\"} 1"), scrape);
        assertTrue(
                scrape.contains("kbench_worker_assignments_rejected_total{reason=\"over_capacity\",worker=\"w1\"} 1"),
                scrape);
        assertTrue(scrape.contains("kbench_worker_records_skipped_total{reason=\"corrupt\",worker=\"w1\"} 1"), scrape);
        assertTrue(scrape.contains("kbench_worker_records_skipped_total{reason=\"unsigned\",worker=\"w1\"} 0"), scrape);
        assertTrue(scrape.contains("kbench_worker_heartbeat_age_seconds{worker=\"w1\"} 1.5"), scrape);
    }

    @Test
    void endpointServesTheScrape() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new WorkerMeters(registry, "w2", () -> 0, () -> 0.0);
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        java.util.concurrent.atomic.AtomicBoolean ready = new java.util.concurrent.atomic.AtomicBoolean();
        try (MetricsServer server = MetricsServer.start(registry, port, ready::get)) {
            HttpResponse<String> starting = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertTrue(starting.statusCode() == 503, "health before ready: " + starting.statusCode());
            ready.set(true);
            HttpResponse<String> health = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertTrue(health.statusCode() == 200 && health.body().equals("ok\n"), "health: " + health.statusCode());
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertTrue(response.statusCode() == 200, "status " + response.statusCode());
            assertTrue(response.body().contains("kbench_worker_agents_running{worker=\"w2\"} 0"), response.body());
        }
    }
}
