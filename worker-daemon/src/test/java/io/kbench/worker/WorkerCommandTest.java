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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class WorkerCommandTest {

    @Test
    void readsEveryOption(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "0123456789abcdef0123\n");
        Path props = Files.writeString(dir.resolve("client.properties"), "security.protocol=SSL\n");
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
                dir.toString());
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
