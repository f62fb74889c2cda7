package io.kbench.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.worker.control.GlobPattern;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class WorkerCommandTest {

    @Test
    void readsEveryOption(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "0123456789abcdef0123\n");
        Path props = Files.writeString(dir.resolve("client.properties"), "security.protocol=SSL\n");
        Path target = Files.writeString(dir.resolve("target.properties"), "ssl.truststore.location=t.p12\n");
        WorkerConfig config = WorkerCommand.parse(
                "--bootstrap-server",
                "ctl:9092",
                "--command-config",
                props.toString(),
                "--topic-prefix",
                "team1",
                "--worker-id",
                "w7",
                "--max-agents",
                "5",
                "--secret-file",
                secret.toString(),
                "--allow-target",
                "*.test:9092,lab:9092",
                "--allow-target",
                "127.0.0.1:1",
                "--jvm-options=-Xmx*,-XX:+UseZGC",
                "--metrics-port",
                "9400",
                "--log-dir",
                dir.toString(),
                "--payload-dir",
                dir.resolve("payloads").toString(),
                "--client-config",
                target.toString(),
                "--allow-client-config",
                "transaction.timeout.ms,some.*",
                "--require-signed",
                "--warm-agents",
                "3");
        assertEquals("ctl:9092", config.bootstrapServers());
        assertEquals("SSL", config.clientConfig().get("security.protocol"));
        assertEquals("team1", config.topicPrefix());
        assertEquals("w7", config.workerId());
        assertEquals(5, config.maxAgents());
        assertTrue(config.secret().isPresent());
        assertEquals(
                List.of("*.test:9092", "lab:9092", "127.0.0.1:1"),
                config.allowedTargets().stream().map(GlobPattern::pattern).toList());
        assertEquals(
                List.of("-Xmx*", "-XX:+UseZGC"),
                config.allowedJvmOptions().stream().map(GlobPattern::pattern).toList());
        assertEquals(9400, config.metricsPort());
        assertEquals(dir, config.logDir());
        assertEquals(Optional.of(dir.resolve("payloads")), config.payloadDir());
        assertEquals(Map.of("ssl.truststore.location", "t.p12"), config.targetClientConfig());
        List<String> allowed =
                config.allowedClientConfig().stream().map(GlobPattern::pattern).toList();
        assertTrue(allowed.containsAll(List.of("transaction.timeout.ms", "some.*", "acks")), allowed.toString());
        assertTrue(config.requireSigned());
        assertEquals(3, config.warmAgents());
    }

    @Test
    void keepsWarmAgentsByDefaultAndZeroKeepsNone() throws Exception {
        assertEquals(
                WorkerConfig.DEFAULT_WARM_AGENTS,
                WorkerCommand.parse("--bootstrap-server", "ctl:9092").warmAgents());
        assertEquals(
                0,
                WorkerCommand.parse("--bootstrap-server", "ctl:9092", "--warm-agents", "0")
                        .warmAgents());
        assertEquals(0, WorkerConfig.builder("ctl:9092").build().warmAgents(), "embedded daemons keep none");
        StringWriter err = new StringWriter();
        int code = new CommandLine(new WorkerCommand())
                .setErr(new PrintWriter(err))
                .execute("--bootstrap-server", "ctl:9092", "--warm-agents", "-1");
        assertEquals(2, code);
        assertTrue(
                err.toString().contains("warmAgents (--warm-agents) must be between 0 and 256, got -1"),
                err.toString());
    }

    @Test
    void emptyPayloadDirRefusesPayloadFiles() throws Exception {
        assertEquals(
                Optional.empty(),
                WorkerCommand.parse("--bootstrap-server", "ctl:9092", "--payload-dir=")
                        .payloadDir());
        assertEquals(
                Optional.of(Path.of("payload").toAbsolutePath()),
                WorkerCommand.parse("--bootstrap-server", "ctl:9092").payloadDir());
    }

    @Test
    void requireSignedWithoutSecretExitsWithTwoInOneLine() {
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        int code = new CommandLine(new WorkerCommand())
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute("--bootstrap-server", "ctl:9092", "--require-signed");
        assertEquals(2, code);
        assertEquals(
                "kbench worker: requireSigned is set but there is no secret (--secret-file): this worker would act on"
                        + " anything written to kbench.control",
                err.toString().strip());
    }

    @Test
    void badOptionValueExitsWithTwoAndSaysWhy() {
        StringWriter err = new StringWriter();
        int code = new CommandLine(new WorkerCommand())
                .setErr(new PrintWriter(err))
                .execute("--bootstrap-server", "ctl:9092", "--max-agents", "0");
        assertEquals(2, code);
        assertTrue(err.toString().contains("maxAgents must be >= 1, got 0"), err.toString());
    }

    @Test
    void missingBootstrapServerIsAUsageError() {
        StringWriter err = new StringWriter();
        int code = new CommandLine(new WorkerCommand())
                .setErr(new PrintWriter(err))
                .execute();
        assertEquals(2, code);
        assertFalse(err.toString().isBlank());
    }
}
