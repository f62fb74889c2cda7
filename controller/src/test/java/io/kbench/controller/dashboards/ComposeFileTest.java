package io.kbench.controller.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.aggregator.metrics.MetricsHttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code docker-compose.yml} as Compose reads it (anchors, aliases and merge keys resolved; no Docker engine
 * needed): each daemon has a health check probing {@code /health} on its own metrics port, the cli service waits
 * for every daemon to be healthy, and the probe command itself, run with bash as the container runs it, answers
 * as the real endpoint does.
 */
class ComposeFileTest {

    /** Tests run in the module's directory; the compose file lives at the repository's root. */
    private static final Path COMPOSE =
            Path.of("..", "docker-compose.yml").toAbsolutePath().normalize();

    private static final List<String> DAEMONS = List.of("aggregator", "worker-1", "worker-2");

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(COMPOSE));
        return (Map<String, Map<String, Object>>) compose.get("services");
    }

    @SuppressWarnings("unchecked")
    private static List<String> healthCheck(Map<String, Object> service) {
        Map<String, Object> check = (Map<String, Object>) service.get("healthcheck");
        return check == null ? List.of() : (List<String>) check.get("test");
    }

    @SuppressWarnings("unchecked")
    private static String metricsPort(Map<String, Object> service) {
        return ((List<String>) service.get("command"))
                .stream()
                        .filter(arg -> arg.startsWith("--metrics-port="))
                        .map(arg -> arg.substring("--metrics-port=".length()))
                        .findFirst()
                        .orElse("none");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyDaemonIsHealthCheckedAndTheCliWaitsForThem() throws IOException {
        Map<String, Map<String, Object>> services = services();
        List<String> problems = new ArrayList<>();
        for (String daemon : DAEMONS) {
            Map<String, Object> service = services.get(daemon);
            List<String> test = healthCheck(service);
            String probe = String.join(" ", test);
            if (test.isEmpty() || !test.get(0).equals("CMD")) {
                problems.add(daemon + ": healthcheck.test is not a CMD list: " + test);
            } else if (!probe.contains("/dev/tcp/127.0.0.1/" + metricsPort(service) + " ")
                    || !probe.contains("GET /health ")) {
                problems.add(daemon + ": healthcheck does not probe /health on --metrics-port=" + metricsPort(service)
                        + ": " + probe);
            }
        }
        Map<String, Object> dependsOn =
                (Map<String, Object>) services.get("cli").get("depends_on");
        for (String needed : List.of("kafka", "aggregator", "worker-1", "worker-2")) {
            Object condition = dependsOn == null || !(dependsOn.get(needed) instanceof Map<?, ?> entry)
                    ? null
                    : entry.get("condition");
            if (!"service_healthy".equals(condition)) {
                problems.add("cli: depends_on." + needed + ".condition is " + condition + ", not service_healthy");
            }
        }
        assertTrue(problems.isEmpty(), COMPOSE + ":\n  " + String.join("\n  ", problems));
    }

    @Test
    void theProbeAnswersAsTheEndpointDoes() throws Exception {
        Map<String, Object> aggregator = services().get("aggregator");
        List<String> test = healthCheck(aggregator);
        String composePort = "/" + metricsPort(aggregator) + " ";
        AtomicBoolean ready = new AtomicBoolean();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        List<String> probe;
        try (MetricsHttpServer server = new MetricsHttpServer(registry, 0, ready::get)) {
            probe = test.subList(1, test.size()).stream()
                    .map(arg -> arg.replace(composePort, "/" + server.port() + " "))
                    .toList();
            assertEquals(1, run(probe), "unhealthy while starting: " + probe);
            ready.set(true);
            assertEquals(0, run(probe), "healthy once ready: " + probe);
        }
        assertNotEquals(0, run(probe), "unhealthy when nothing listens");
    }

    private static int run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish within 10 s");
        }
        return process.exitValue();
    }
}
