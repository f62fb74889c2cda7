package io.kbench.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code deploy/helm/kbench} linted and rendered by a real helm ({@code .ci/run} installs one into
 * {@code .ci/tools/}; else the one on the PATH): the kinds a fleet needs, workers on labelled nodes, the
 * aggregator's state on a volume, secrets mounted rather than passed, and a short signing key refused. Every
 * rendered manifest is checked offline against the Kubernetes API's schemas (and the ServiceMonitor CRD's), strictly:
 * {@code deploy/helm/validate-manifests.cjs} on node, with the schema packages {@code .ci/run} installs into
 * {@code .ci/tools/kubeschema}.
 */
class HelmChartIT {

    private static final Path CHART = Path.of(System.getProperty("kbench.chart", "../deploy/helm/kbench"));
    private static final Path VALIDATOR =
            Path.of(System.getProperty("kbench.manifest.validator", "../deploy/helm/validate-manifests.cjs"));
    private static final Path SCHEMAS = Path.of(System.getProperty("kbench.kubeschema", "../.ci/tools/kubeschema"));
    private static final Pattern KIND = Pattern.compile("(?m)^kind: (\\w+)$");

    private record Helm(int exit, String output) {}

    private static String onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        return null;
    }

    private static String helm() {
        Path tools = Path.of(System.getProperty("kbench.helm", "../.ci/tools/helm"));
        return Files.isExecutable(tools) ? tools.toString() : onPath("helm");
    }

    private static Helm run(List<String> command, String input) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " hung");
        return new Helm(process.exitValue(), output);
    }

    private static Helm helm(String... args) throws IOException, InterruptedException {
        String helm = helm();
        assumeTrue(helm != null, "no helm: .ci/run installs it into .ci/tools/helm");
        List<String> command = new ArrayList<>(List.of(helm));
        command.addAll(Arrays.asList(args));
        return run(command, "");
    }

    /** The strict schema check of rendered manifests: exit 0 and "ok Kind/name" per document when all are valid. */
    private static Helm validate(String manifests) throws IOException, InterruptedException {
        String node = onPath("node");
        boolean installed = Files.isDirectory(SCHEMAS.resolve("node_modules/kubernetes-models"));
        if (node == null || !installed) {
            String missing = node == null ? "no node" : "no schemas in " + SCHEMAS;
            // CI runs .ci/run, which installs both: there a missing validator is a failure, not a skip.
            assertFalse("true".equals(System.getenv("CI")), missing + " although .ci/run should have installed it");
            assumeTrue(false, missing + ": .ci/run installs the manifest schemas into .ci/tools/kubeschema");
        }
        return run(List.of(node, VALIDATOR.toString(), SCHEMAS.toString()), manifests);
    }

    /** Asserts every rendered document passes the strict schema check, named by kind and name. */
    private static void assertSchemaValid(String manifests) throws IOException, InterruptedException {
        Helm check = validate(manifests);
        assertEquals(0, check.exit(), check.output());
        int documents =
                kinds(manifests).values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(
                documents,
                check.output().lines().filter(l -> l.startsWith("ok ")).count(),
                check.output());
    }

    private static Map<String, Integer> kinds(String manifests) {
        Map<String, Integer> kinds = new TreeMap<>();
        Matcher m = KIND.matcher(manifests);
        while (m.find()) {
            kinds.merge(m.group(1), 1, Integer::sum);
        }
        return kinds;
    }

    /** The rendered document of a kind (the first one). */
    private static String document(String manifests, String kind) {
        for (String doc : manifests.split("(?m)^---$")) {
            if (doc.contains("\nkind: " + kind + "\n")) {
                return doc;
            }
        }
        throw new AssertionError("no " + kind + " in:\n" + manifests);
    }

    @Test
    @Timeout(60)
    void lintsCleanStrictly() throws Exception {
        Helm lint = helm("lint", "--strict", CHART.toString());
        assertEquals(0, lint.exit(), lint.output());
        assertTrue(lint.output().contains("1 chart(s) linted, 0 chart(s) failed"), lint.output());
    }

    @Test
    @Timeout(60)
    void rendersTheFleetWithDefaults() throws Exception {
        Helm template = helm("template", "fleet", CHART.toString());
        assertEquals(0, template.exit(), template.output());
        // No key, no client settings: no Secret; no CLI run unless asked; scrape annotations, not a ServiceMonitor.
        assertEquals(Map.of("DaemonSet", 1, "Service", 1, "StatefulSet", 1), kinds(template.output()));
        String workers = document(template.output(), "DaemonSet");
        assertTrue(workers.contains("nodeSelector:\n        kbench.io/worker: \"true\""), workers);
        assertTrue(workers.contains("- --worker-id=$(NODE_NAME)"), workers);
        assertTrue(workers.contains("prometheus.io/scrape: \"true\""), workers);
        String aggregator = document(template.output(), "StatefulSet");
        assertTrue(aggregator.contains("volumeClaimTemplates:"), aggregator);
        assertTrue(aggregator.contains("- --state-dir=/var/lib/kbench/aggregator"), aggregator);
        assertTrue(aggregator.contains("mountPath: /var/lib/kbench/aggregator"), aggregator);
        assertSchemaValid(template.output());
    }

    @Test
    @Timeout(60)
    void rendersSecretsAJobAndAServiceMonitorWhenAsked() throws Exception {
        Helm template = helm(
                "template",
                "fleet",
                CHART.toString(),
                "--set",
                "signing.key=0123456789abcdef-key",
                "--set",
                "kafka.clientProperties=security.protocol=SSL",
                "--set",
                "cli.enabled=true",
                "--set",
                "metrics.serviceMonitor.enabled=true");
        assertEquals(0, template.exit(), template.output());
        assertEquals(
                Map.of("DaemonSet", 1, "Job", 1, "Secret", 2, "Service", 2, "ServiceMonitor", 1, "StatefulSet", 1),
                kinds(template.output()));
        // The key travels as a mounted file, never on a command line; signed fleets refuse unsigned records.
        assertFalse(template.output().contains("0123456789abcdef-key"), "the key in clear");
        for (String kind : List.of("DaemonSet", "StatefulSet", "Job")) {
            String doc = document(template.output(), kind);
            assertTrue(doc.contains("- --secret-file=/etc/kbench/signing/secret"), doc);
            assertTrue(doc.contains("- --command-config=/etc/kbench/client/client.properties"), doc);
            assertTrue(doc.contains("secretName: fleet-kbench-signing"), doc);
        }
        assertTrue(document(template.output(), "DaemonSet").contains("- --require-signed"));
        String job = document(template.output(), "Job");
        assertTrue(job.contains("restartPolicy: Never"), job);
        assertTrue(job.contains("- \"run\"") && job.contains("- \"workloads/quick-start.yaml\""), job);
        assertSchemaValid(template.output());
    }

    @Test
    @Timeout(60)
    void schemaCheckRejectsAMisspelledFieldAndAWrongTypeNamingTheManifest() throws Exception {
        Helm template = helm("template", "fleet", CHART.toString());
        assertEquals(0, template.exit(), template.output());
        assertTrue(template.output().contains("nodeSelector:"), template.output());
        String broken = template.output().replace("nodeSelector:", "nodeSelecter:")
                + String.join(
                        "\n",
                        "---",
                        "apiVersion: apps/v1",
                        "kind: Deployment",
                        "metadata: {name: broken}",
                        "spec:",
                        "  replicas: two",
                        "  selector: {matchLabels: {app: broken}}",
                        "  template:",
                        "    metadata: {labels: {app: broken}}",
                        "    spec: {containers: [{name: c, image: kbench}]}",
                        "");
        Helm check = validate(broken);
        assertEquals(1, check.exit(), check.output());
        assertTrue(
                check.output()
                        .contains("invalid DaemonSet/fleet-kbench-worker: /spec/template/spec must NOT have additional"
                                + " properties 'nodeSelecter'"),
                check.output());
        assertTrue(
                check.output().contains("invalid Deployment/broken: /spec/replicas must be integer"), check.output());
        assertTrue(check.output().contains("ok StatefulSet/fleet-kbench-aggregator"), check.output());
    }

    @Test
    @Timeout(60)
    void refusesASigningKeyShorterThanSixteenBytes() throws Exception {
        Helm template = helm("template", "fleet", CHART.toString(), "--set", "signing.key=short");
        assertTrue(template.exit() != 0, template.output());
        assertTrue(template.output().contains("signing.key must be at least 16 bytes"), template.output());
    }
}
