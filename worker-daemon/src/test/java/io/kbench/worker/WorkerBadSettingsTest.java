package io.kbench.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code kbench worker} with control cluster settings that cannot work says so in exactly one line and exits 2,
 * within its stated time bound: no stack trace, no unsigned-mode notice before it, no minute of retries. No broker
 * is needed: nothing listens on port 1.
 */
class WorkerBadSettingsTest {

    @TempDir
    Path dir;

    record Result(int exit, List<String> lines, long millis) {}

    private Result worker(String... args) {
        StringWriter err = new StringWriter();
        long start = System.nanoTime();
        int exit = new CommandLine(new WorkerCommand())
                .setOut(new PrintWriter(new StringWriter()))
                .setErr(new PrintWriter(err))
                .execute(args);
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new Result(exit, err.toString().lines().filter(l -> !l.isBlank()).toList(), millis);
    }

    @Test
    @Timeout(30)
    void noBrokerAtLocalhostOneIsOneLineWithItsTimeBoundWithinFifteenSeconds() {
        Result result = worker("-b", "localhost:1", "--log-dir", dir.toString());
        assertEquals(2, result.exit(), result.lines().toString());
        assertEquals(
                List.of("kbench worker: no Kafka broker answered at localhost:1 (--bootstrap-server) within 10 s"),
                result.lines());
        assertTrue(result.millis() <= 15_000, "answered in " + result.millis() + " ms");
    }

    @Test
    void anUnresolvableHostIsOneLine() {
        Result result = worker("-b", "no-such-host.invalid:9092", "--log-dir", dir.toString());
        assertEquals(2, result.exit());
        assertEquals(
                List.of("kbench worker: cannot resolve host 'no-such-host.invalid' of --bootstrap-server"
                        + " no-such-host.invalid:9092"),
                result.lines());
    }

    @Test
    void anIncompleteJaasConfigIsOneLine() throws Exception {
        Path config = Files.writeString(
                dir.resolve("w.properties"),
                "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-256\nsasl.jaas.config="
                        + "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"w\";\n");
        Result result = worker("-b", "localhost:9092", "--command-config", config.toString());
        assertEquals(2, result.exit());
        assertEquals(
                List.of("kbench worker: --command-config " + config + ": sasl.jaas.config has no password=\"…\""
                        + " (sasl.mechanism=SCRAM-SHA-256 needs username and password)"),
                result.lines());
    }
}
