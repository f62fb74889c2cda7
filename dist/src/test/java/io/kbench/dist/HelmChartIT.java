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
 * aggregator's state on a volume, secrets mounted rather than passed, and a short signing key refused.
 */
class HelmChartIT {

    private static final Path CHART = Path.of(System.getProperty("kbench.chart", "../deploy/helm/kbench"));
    private static final Pattern KIND = Pattern.compile("(?m)^kind: (\\w+)$");

    private record Helm(int exit, String output) {}

    private static String helm() {
        Path tools = Path.of(System.getProperty("kbench.helm", "../.ci/tools/helm"));
        if (Files.isExecutable(tools)) {
            return tools.toString();
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "helm"))) {
                return Path.of(dir, "helm").toString();
            }
        }
        return null;
    }

    private static Helm helm(String... args) throws IOException, InterruptedException {
        String helm = helm();
        assumeTrue(helm != null, "no helm: .ci/run installs it into .ci/tools/helm");
        List<String> command = new ArrayList<>(List.of(helm));
        command.addAll(Arrays.asList(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "helm " + String.join(" ", args) + " hung");
        return new Helm(process.exitValue(), output);
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
    }

    @Test
    @Timeout(60)
    void refusesASigningKeyShorterThanSixteenBytes() throws Exception {
        Helm template = helm("template", "fleet", CHART.toString(), "--set", "signing.key=short");
        assertTrue(template.exit() != 0, template.output());
        assertTrue(template.output().contains("signing.key must be at least 16 bytes"), template.output());
    }
}
