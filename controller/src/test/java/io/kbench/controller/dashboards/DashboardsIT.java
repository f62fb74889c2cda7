package io.kbench.controller.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kbench.controller.command.KbenchMain;
import io.kbench.protocol.topic.KbenchTopics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Grafana dashboards in {@code dashboards/} against a real run: a real Prometheus (Debian's package, which
 * {@code .ci/run} installs) scrapes the aggregator and worker daemon of a {@code kbench local} run, and every panel's
 * PromQL, with Grafana's variables filled in as Grafana fills them, must parse and return data. A dashboard that
 * names a metric the code does not expose, or a suffix Micrometer does not write, fails here, not in front of a
 * user.
 */
class DashboardsIT {

    private static final Logger LOGGER = LoggerFactory.getLogger(DashboardsIT.class);

    /** Failsafe runs in the module's directory; the dashboards live at the repository's root. */
    private static final Path DASHBOARDS =
            Path.of("..", "dashboards").toAbsolutePath().normalize();

    private static final List<String> DASHBOARD_FILES = List.of("kbench-run.json", "kbench-fleet.json");
    private static final String DATASOURCE_UID = "${DS_PROMETHEUS}";

    /** Grafana's built-in variables, as Grafana fills them for a 15-minute range over 1 s scrapes. */
    private static final Map<String, String> BUILT_INS =
            Map.of("__rate_interval", "15s", "__interval", "2s", "__range", "1m");

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::[^}]*)?}|\\$(\\w+)");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((?:(.*),)?\\s*(\\w+)\\s*\\)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PUBLISH_RATE = "kbench_publish_messages_per_second";

    @TempDir
    Path dir;

    @Test
    void everyPanelNamesItsDataSourceUnitAndDescription() throws IOException {
        List<String> problems = new ArrayList<>();
        for (String file : DASHBOARD_FILES) {
            JsonNode dashboard = JSON.readTree(DASHBOARDS.resolve(file).toFile());
            if (dashboard.path("schemaVersion").asInt() < 37) {
                problems.add(file + ": schemaVersion " + dashboard.path("schemaVersion") + " < 37");
            }
            Map<String, JsonNode> variables = new LinkedHashMap<>();
            dashboard
                    .path("templating")
                    .path("list")
                    .forEach(v -> variables.put(v.path("name").asText(), v));
            JsonNode ds = variables.get("DS_PROMETHEUS");
            if (ds == null
                    || !ds.path("type").asText().equals("datasource")
                    || !ds.path("query").asText().equals("prometheus")) {
                problems.add(file + ": no datasource variable DS_PROMETHEUS of type prometheus");
            }
            for (String name : List.of("run_id", "worker")) {
                JsonNode variable = variables.get(name);
                if (variable == null
                        || !variable.path("type").asText().equals("query")
                        || !LABEL_VALUES
                                .matcher(variable.path("definition").asText())
                                .matches()
                        || !variable.path("datasource").path("uid").asText().equals(DATASOURCE_UID)) {
                    problems.add(file + ": no label_values query variable " + name + " on " + DATASOURCE_UID);
                }
            }
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : panels(dashboard)) {
                String where = file + " › " + panel.path("title").asText("(untitled)");
                if (!ids.add(panel.path("id").asInt())) {
                    problems.add(where + ": duplicate panel id " + panel.path("id"));
                }
                if (panel.path("type").asText().equals("row")) {
                    continue;
                }
                if (panel.path("description").asText().isBlank()) {
                    problems.add(where + ": no description");
                }
                if (panel.path("fieldConfig")
                        .path("defaults")
                        .path("unit")
                        .asText()
                        .isBlank()) {
                    problems.add(where + ": no unit");
                }
                if (!panel.path("datasource").path("uid").asText().equals(DATASOURCE_UID)) {
                    problems.add(where + ": data source is " + panel.path("datasource") + ", not " + DATASOURCE_UID);
                }
                if (panel.path("targets").isEmpty()) {
                    problems.add(where + ": no query");
                }
                for (JsonNode target : panel.path("targets")) {
                    if (target.path("expr").asText().isBlank()
                            || !target.path("datasource").path("uid").asText().equals(DATASOURCE_UID)) {
                        problems.add(where + " › " + target.path("refId").asText() + ": no expr on " + DATASOURCE_UID);
                    }
                }
            }
        }
        assertTrue(problems.isEmpty(), "dashboard problems:\n  " + String.join("\n  ", problems));
    }

    @Test
    void composePrometheusConfigPassesPromtool() throws Exception {
        Path promtool = PrometheusTools.ensureInstalled().promtool();
        Path log = dir.resolve("promtool.log");
        int exit = run(
                List.of(
                        promtool.toString(),
                        "check",
                        "config",
                        DASHBOARDS.resolve("prometheus.yml").toString()),
                Map.of(),
                Duration.ofSeconds(60),
                log);
        assertEquals(0, exit, "promtool check config dashboards/prometheus.yml:\n" + Files.readString(log));
    }

    @Test
    void everyPanelQueryParsesAndReturnsDataDuringALocalRun() throws Exception {
        PrometheusTools tools = PrometheusTools.ensureInstalled();
        int brokerPort = freePort();
        int aggregatorPort = freePort();
        int workerPort = freePort();
        int prometheusPort = freePort();
        Path workload = dir.resolve("dashboards.yaml");
        Files.writeString(workload, """
                name: dashboards
                topics: 1
                partitionsPerTopic: 4
                messageSize: 512
                subscriptionsPerTopic: 1
                consumerPerSubscription: 1
                producersPerTopic: 2
                producerRate: 2000
                warmupDurationSeconds: 2
                testDurationSeconds: 25
                statsWindowSeconds: 2
                """);
        CompletableFuture<Integer> localRun = new CompletableFuture<>();
        Thread runner = new Thread(
                () -> {
                    try {
                        localRun.complete(KbenchMain.commandLine()
                                .execute(
                                        "local",
                                        "--port",
                                        String.valueOf(brokerPort),
                                        "--aggregator-metrics-port",
                                        String.valueOf(aggregatorPort),
                                        "--worker-metrics-port",
                                        String.valueOf(workerPort),
                                        "-o",
                                        dir.resolve("results").toString(),
                                        "--log-dir",
                                        dir.resolve("logs").toString(),
                                        workload.toString()));
                    } catch (RuntimeException | Error e) {
                        localRun.completeExceptionally(e);
                    }
                },
                "kbench-local");
        runner.start();
        List<String> failures = new ArrayList<>();
        try (Prometheus prometheus =
                Prometheus.start(tools, dir.resolve("prometheus"), prometheusPort, aggregatorPort, workerPort)) {
            // The fleet (broker, aggregator, daemon) takes a few seconds to start; its targets are down until then.
            // Waiting stops early once the run's gauges arrive: a target still down by then will not come up.
            List<String> notUp = new ArrayList<>();
            poll(Duration.ofSeconds(60), () -> {
                notUp.clear();
                notUp.addAll(prometheus.targetsNotUp());
                return notUp.isEmpty() || prometheus.hasFiniteValue(PUBLISH_RATE)
                        ? Optional.of(true)
                        : Optional.empty();
            });
            failures.addAll(notUp);
            // Skip counters exist at 0 from start-up; one real skip makes the skipped-records panel show a change.
            sendUndecodableStatsReport(brokerPort);
            if (poll(
                            Duration.ofSeconds(60),
                            () -> prometheus.hasFiniteValue(PUBLISH_RATE) ? Optional.of(true) : Optional.empty())
                    .isEmpty()) {
                failures.add("no " + PUBLISH_RATE + " from the aggregator within 60 s of the targets being up");
            }
            // Both daemons' real output, mid-run (the run's gauges, a worker with live agents), passes promtool.
            failures.addAll(promtoolCheckMetrics(tools, "aggregator", aggregatorPort));
            failures.addAll(promtoolCheckMetrics(tools, "worker daemon", workerPort));
            // Rates over 15 s need a few scrapes of the run: ask every query again each round until each has
            // answered once. The run's series vanish when it ends, so rounds stop then.
            Map<String, String> unanswered = new LinkedHashMap<>();
            Set<String> answered = new HashSet<>();
            poll(Duration.ofSeconds(30), () -> {
                checkEveryQuery(prometheus).forEach((query, problem) -> {
                    if (problem.isEmpty()) {
                        answered.add(query);
                        unanswered.remove(query);
                    } else if (!answered.contains(query)) {
                        unanswered.put(query, problem.get());
                    }
                });
                return unanswered.isEmpty() || localRun.isDone() ? Optional.of(true) : Optional.empty();
            });
            unanswered.forEach((query, problem) -> failures.add(query + " → " + problem));
            LOGGER.info("{} dashboard queries answered, {} did not", answered.size(), unanswered.size());
        } finally {
            // Whatever happened above, the run ends on its own (its deadline): wait for it, bounded.
            int exit = localRun.get(120, TimeUnit.SECONDS);
            if (exit != 0) {
                failures.add("kbench local exited " + exit + " (see its output above)");
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " failures:\n  " + String.join("\n  ", failures));
    }

    /**
     * {@code promtool check metrics} (Prometheus' linter: HELP on every family, naming conventions, labels) on what
     * the endpoint on {@code port} serves now; one failure line per problem.
     */
    private List<String> promtoolCheckMetrics(PrometheusTools tools, String daemon, int port) throws Exception {
        HttpResponse<String> scrape = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (scrape.statusCode() != 200) {
            return List.of("the " + daemon + "'s /metrics answered " + scrape.statusCode());
        }
        Path text = dir.resolve(daemon.replace(' ', '-') + "-metrics.txt");
        Files.writeString(text, scrape.body());
        Path log = dir.resolve(daemon.replace(' ', '-') + "-promtool.log");
        Process process = new ProcessBuilder(tools.promtool().toString(), "check", "metrics")
                .redirectInput(text.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return List.of("promtool check metrics on the " + daemon + "'s output did not finish within 60 s");
        }
        List<String> problems = new ArrayList<>();
        if (process.exitValue() != 0 || !Files.readString(log).isBlank()) {
            problems.add("promtool check metrics on the " + daemon + "'s /metrics (exit " + process.exitValue()
                    + "):\n    " + String.join("\n    ", Files.readAllLines(log)));
        }
        for (String family : List.of("jvm_memory_used_bytes", "process_cpu_usage", "process_uptime_seconds")) {
            if (!scrape.body().contains("# TYPE " + family + " ")) {
                problems.add("the " + daemon + "'s /metrics has no " + family);
            }
        }
        return problems;
    }

    /**
     * Every query variable and every panel query of both dashboards, with variables resolved the way Grafana
     * resolves them, each with what is wrong with it (empty when it answered).
     */
    private static Map<String, Optional<String>> checkEveryQuery(Prometheus prometheus)
            throws IOException, InterruptedException {
        Map<String, Optional<String>> checked = new LinkedHashMap<>();
        for (String file : DASHBOARD_FILES) {
            JsonNode dashboard = JSON.readTree(DASHBOARDS.resolve(file).toFile());
            Map<String, String> values = new LinkedHashMap<>(BUILT_INS);
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                if (!variable.path("type").asText().equals("query")) {
                    continue;
                }
                String name = variable.path("name").asText();
                String definition = variable.path("definition").asText();
                List<String> found = prometheus.labelValues(definition, values);
                checked.put(
                        file + " › variable " + name + ": " + definition,
                        found.isEmpty()
                                ? Optional.of("found no values with " + substitute(definition, values))
                                : Optional.empty());
                // Grafana joins a multi-value selection into a regex alternation; "All" would be .*.
                values.put(
                        name,
                        found.isEmpty()
                                ? ".*"
                                : found.stream().map(DashboardsIT::regexQuote).collect(Collectors.joining("|")));
            }
            for (JsonNode panel : panels(dashboard)) {
                for (JsonNode target : panel.path("targets")) {
                    String expr = target.path("expr").asText();
                    String sent = substitute(expr, values);
                    String query = file + " › " + panel.path("title").asText() + " › "
                            + target.path("refId").asText() + ": " + expr;
                    checked.put(query, prometheus.check(sent).map(problem -> problem + " (sent: " + sent + ")"));
                }
            }
        }
        return checked;
    }

    /** Panels in order, rows' nested panels (collapsed rows hold theirs) included. */
    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    private static String substitute(String text, Map<String, String> values) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            // An unknown variable stays as written: Prometheus then reports the query as broken.
            m.appendReplacement(out, Matcher.quoteReplacement(values.getOrDefault(name, m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A label value as a regex inside a PromQL string: regex metacharacters escaped, backslashes doubled. */
    private static String regexQuote(String value) {
        return value.replaceAll("([.+*?^$()\\[\\]{}|\\\\])", "\\\\\\\\$1");
    }

    private static void sendUndecodableStatsReport(int brokerPort) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + brokerPort);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(
                            new KbenchTopics(KbenchTopics.DEFAULT_PREFIX).metrics(),
                            "dashboards-it-no-such-run",
                            "not a kbench envelope".getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /** Polls {@code attempt} until it yields a value or {@code timeout} passes. */
    private static <T> Optional<T> poll(Duration timeout, Attempt<T> attempt) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> result = attempt.get();
            if (result.isPresent() || System.nanoTime() > deadline) {
                return result;
            }
            LockSupport.parkNanos(500_000_000L); // the poll interval, not a wait for something to happen
        }
    }

    @FunctionalInterface
    private interface Attempt<T> {
        Optional<T> get() throws Exception;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Runs a command to completion within {@code timeout}, its output to {@code log}; returns the exit code. */
    private static int run(List<String> command, Map<String, String> env, Duration timeout, Path log)
            throws IOException, InterruptedException {
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            fail(String.join(" ", command) + " did not finish within " + timeout + "; output:\n" + tail(log));
        }
        return process.exitValue();
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /**
     * The Prometheus binaries, from the PATH. Tests never change the host: {@code .ci/run} installs Debian's
     * {@code prometheus} package (which brings {@code promtool}); without it this test fails with one line saying
     * how to install it.
     */
    private record PrometheusTools(Path prometheus, Path promtool) {

        static final String INSTALL_HINT = "install Debian's prometheus package (it brings promtool; .ci/run does),"
                + " or put Prometheus 2.x's prometheus and promtool on the PATH";

        static PrometheusTools ensureInstalled() {
            return new PrometheusTools(
                    onPath("prometheus")
                            .orElseThrow(() -> new AssertionError("prometheus is not on the PATH: " + INSTALL_HINT)),
                    onPath("promtool")
                            .orElseThrow(() -> new AssertionError("promtool is not on the PATH: " + INSTALL_HINT)));
        }

        private static Optional<Path> onPath(String name) {
            String path = System.getenv().getOrDefault("PATH", "") + ":/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
            return Stream.of(path.split(":"))
                    .filter(d -> !d.isBlank())
                    .map(d -> Path.of(d, name))
                    .filter(Files::isExecutable)
                    .findFirst();
        }
    }

    /** A Prometheus server on loopback, scraping the run's aggregator and worker daemon every second. */
    private static final class Prometheus implements AutoCloseable {

        private final Process process;
        private final Path log;
        private final String base;
        private final HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        /** The endpoint that checks a query's syntax without running it: {@code parse_query} in newer versions. */
        private String parseEndpoint;

        private Prometheus(Process process, Path log, int port) {
            this.process = process;
            this.log = log;
            this.base = "http://127.0.0.1:" + port;
        }

        static Prometheus start(PrometheusTools tools, Path dir, int port, int aggregatorPort, int workerPort)
                throws Exception {
            Files.createDirectories(dir);
            Path config = dir.resolve("prometheus.yml");
            // Job names as in dashboards/prometheus.yml, which docker-compose.yml uses.
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                      scrape_timeout: 1s
                      evaluation_interval: 1s
                    scrape_configs:
                      - job_name: kbench-aggregator
                        static_configs:
                          - targets: ["127.0.0.1:%d"]
                      - job_name: kbench-worker
                        static_configs:
                          - targets: ["127.0.0.1:%d"]
                    """.formatted(aggregatorPort, workerPort));
            Path checkLog = dir.resolve("promtool.log");
            int check = run(
                    List.of(tools.promtool().toString(), "check", "config", config.toString()),
                    Map.of(),
                    Duration.ofSeconds(60),
                    checkLog);
            assertEquals(0, check, "promtool rejects the test's Prometheus config:\n" + tail(checkLog));
            Path log = dir.resolve("prometheus.log");
            Process process = new ProcessBuilder(
                            tools.prometheus().toString(),
                            "--config.file=" + config,
                            "--storage.tsdb.path=" + dir.resolve("data"),
                            "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            Prometheus prometheus = new Prometheus(process, log, port);
            try {
                if (poll(Duration.ofSeconds(30), prometheus::ready).isEmpty()) {
                    fail("Prometheus did not become ready on port " + port + " within 30 s:\n" + tail(log));
                }
                prometheus.parseEndpoint = prometheus.findParseEndpoint();
                return prometheus;
            } catch (Exception | Error e) {
                prometheus.close();
                throw e;
            }
        }

        private Optional<Boolean> ready() {
            if (!process.isAlive()) {
                throw new AssertionError("Prometheus exited with " + process.exitValue() + ":\n" + tailOrNothing());
            }
            try {
                return request(HttpRequest.newBuilder(URI.create(base + "/-/ready"))
                                                .GET())
                                        .statusCode()
                                == 200
                        ? Optional.of(true)
                        : Optional.empty();
            } catch (IOException e) {
                return Optional.empty(); // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }

        private String findParseEndpoint() throws IOException, InterruptedException {
            for (String endpoint : List.of("/api/v1/parse_query", "/api/v1/format_query")) {
                if (post(endpoint, Map.of("query", "up")).statusCode() != 404) {
                    return endpoint;
                }
            }
            return null; // a parse error then shows as bad_data from /api/v1/query
        }

        /** One line per scrape target that is not up yet (a fresh server has not scraped at all). */
        List<String> targetsNotUp() throws IOException, InterruptedException {
            JsonNode targets = JSON.readTree(get("/api/v1/targets", Map.of()).body())
                    .path("data")
                    .path("activeTargets");
            List<String> notUp = new ArrayList<>();
            for (JsonNode target : targets) {
                if (!target.path("health").asText().equals("up")) {
                    notUp.add("Prometheus target "
                            + target.path("labels").path("job").asText() + " ("
                            + target.path("scrapeUrl").asText() + ") is "
                            + target.path("health").asText() + ": "
                            + target.path("lastError").asText());
                }
            }
            if (targets.isEmpty()) {
                notUp.add("Prometheus has no active targets yet");
            }
            return notUp;
        }

        boolean hasFiniteValue(String expr) throws IOException, InterruptedException {
            JsonNode answer =
                    JSON.readTree(get("/api/v1/query", Map.of("query", expr)).body());
            return finiteValues(answer.path("data")) > 0;
        }

        /** The values of a {@code label_values(selector, label)} variable, as Grafana asks Prometheus for them. */
        List<String> labelValues(String definition, Map<String, String> values)
                throws IOException, InterruptedException {
            Matcher m = LABEL_VALUES.matcher(definition);
            if (!m.matches()) {
                return List.of();
            }
            Map<String, String> params = new LinkedHashMap<>();
            long now = System.currentTimeMillis() / 1000;
            params.put("start", String.valueOf(now - 300));
            params.put("end", String.valueOf(now));
            if (m.group(1) != null) {
                params.put("match[]", substitute(m.group(1).strip(), values));
            }
            JsonNode answer = JSON.readTree(
                    get("/api/v1/label/" + m.group(2) + "/values", params).body());
            List<String> found = new ArrayList<>();
            answer.path("data").forEach(v -> found.add(v.asText()));
            return found;
        }

        /** Why {@code expr} fails as a panel query (does not parse, errors, returns nothing finite), if it does. */
        Optional<String> check(String expr) throws IOException, InterruptedException {
            if (parseEndpoint != null) {
                HttpResponse<String> parsed = post(parseEndpoint, Map.of("query", expr));
                if (parsed.statusCode() != 200) {
                    return Optional.of("does not parse: "
                            + JSON.readTree(parsed.body()).path("error").asText());
                }
            }
            HttpResponse<String> response = post("/api/v1/query", Map.of("query", expr));
            JsonNode answer = JSON.readTree(response.body());
            if (!answer.path("status").asText().equals("success")) {
                return Optional.of(answer.path("errorType").asText() + ": "
                        + answer.path("error").asText());
            }
            JsonNode data = answer.path("data");
            if (data.path("result").isEmpty()) {
                return Optional.of("returned no data");
            }
            return finiteValues(data) > 0 ? Optional.empty() : Optional.of("returned only NaN or infinite values");
        }

        private static long finiteValues(JsonNode data) {
            JsonNode result = data.path("result");
            Stream<JsonNode> samples =
                    switch (data.path("resultType").asText()) {
                        case "scalar" -> Stream.of(result);
                        case "vector" -> stream(result).map(series -> series.path("value"));
                        case "matrix" -> stream(result).flatMap(series -> stream(series.path("values")));
                        default -> Stream.empty();
                    };
            return samples.map(sample -> sample.path(1).asText())
                    .filter(v -> {
                        try {
                            return Double.isFinite(Double.parseDouble(v));
                        } catch (NumberFormatException e) {
                            return false; // "NaN", "+Inf" parse; anything else is not a number at all
                        }
                    })
                    .count();
        }

        private static Stream<JsonNode> stream(JsonNode array) {
            List<JsonNode> items = new ArrayList<>();
            array.forEach(items::add);
            return items.stream();
        }

        private HttpResponse<String> get(String path, Map<String, String> params)
                throws IOException, InterruptedException {
            String query = params.isEmpty() ? "" : "?" + form(params);
            return request(
                    HttpRequest.newBuilder(URI.create(base + path + query)).GET());
        }

        private HttpResponse<String> post(String path, Map<String, String> params)
                throws IOException, InterruptedException {
            return request(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form(params))));
        }

        private HttpResponse<String> request(HttpRequest.Builder request) throws IOException, InterruptedException {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        }

        private static String form(Map<String, String> params) {
            return params.entrySet().stream()
                    .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
        }

        private String tailOrNothing() {
            try {
                return tail(log);
            } catch (IOException e) {
                return "(cannot read " + log + ": " + e.getMessage() + ")";
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                LOGGER.warn("Prometheus did not stop within 10 s of SIGTERM; killing it");
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
