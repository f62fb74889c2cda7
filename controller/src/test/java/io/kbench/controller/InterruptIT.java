package io.kbench.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kbench.controller.command.KbenchMain;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C during a run stops every agent through StopRun and still writes what was measured, marked so. */
class InterruptIT {

    @TempDir
    Path dir;

    @Test
    void sigintStopsAgentsAndWritesAnInterruptedResult() throws Exception {
        Path workload = dir.resolve("long.yaml");
        Files.writeString(workload, """
                name: long-run
                topics: 1
                messageSize: 1024
                subscriptionsPerTopic: 1
                partitionsPerTopic: 2
                producersPerTopic: 1
                consumerPerSubscription: 1
                producerRate: 500
                warmupDurationSeconds: 0
                testDurationSeconds: 120
                statsWindowSeconds: 1
                """);
        Path results = dir.resolve("results");
        Process cli = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        KbenchMain.class.getName(),
                        "local",
                        "-o",
                        results.toString(),
                        "--log-dir",
                        dir.resolve("logs").toString(),
                        workload.toString()))
                .redirectErrorStream(true)
                .start();
        AtomicBoolean measuring = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(cli.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    System.out.println("[kbench] " + line);
                    if (line.contains("MEASURE")) {
                        measuring.set(true);
                    }
                }
            } catch (java.io.IOException e) {
                System.out.println("[kbench] output closed: " + e);
            }
        });
        reader.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!measuring.get() && cli.isAlive() && System.nanoTime() < deadline) {
                cli.waitFor(200, TimeUnit.MILLISECONDS);
            }
            assertTrue(measuring.get(), "the run reached its measurement phase");
            List<ProcessHandle> agents = cli.descendants().toList();
            assertTrue(!agents.isEmpty(), "agents run as child processes");

            new ProcessBuilder("kill", "-INT", Long.toString(cli.pid())).start().waitFor();

            assertTrue(cli.waitFor(40, TimeUnit.SECONDS), "kbench exits after Ctrl-C");
            assertEquals(130, cli.exitValue());
            for (ProcessHandle agent : agents) {
                assertTrue(
                        agent.onExit()
                                                .completeOnTimeout(agent, 5, TimeUnit.SECONDS)
                                                .get()
                                        != null
                                && !agent.isAlive(),
                        "agent " + agent.pid() + " stopped");
            }
            JsonNode result = LocalRunIT.onlyResult(results, "long-Kafka-");
            assertEquals("INTERRUPTED", result.get("kbench").get("status").asText());
            assertTrue(result.get("kbench").get("messagesSent").asLong() > 0, "what was measured is kept");
        } finally {
            cli.destroyForcibly();
            reader.join(5_000);
        }
    }
}
