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

/**
 * Ctrl-C during a run stops every agent through StopRun and still writes what was measured, marked so. The signal
 * goes to the whole process group, as a terminal's Ctrl-C does: the agents get it too, and the output must not call
 * the agents it stopped "failed".
 */
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
        // In a session (and process group) of its own, like a command started from a shell: the group's SIGINT
        // below must not reach this test's JVM.
        Process cli = new ProcessBuilder(List.of(
                        "setsid",
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
        List<String> printed = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(cli.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    System.out.println("[kbench] " + line);
                    printed.add(line);
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

            // setsid made the JVM a session leader (pid = process group id) when it did not need to fork.
            Process pgid = new ProcessBuilder("ps", "-o", "pgid=", "-p", Long.toString(cli.pid())).start();
            String group = new String(pgid.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            assertEquals(Long.toString(cli.pid()), group, "kbench leads its own process group");
            new ProcessBuilder("kill", "-INT", "--", "-" + group).start().waitFor();

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
            reader.join(5_000);
            List<String> failed =
                    printed.stream().filter(line -> line.contains("failed")).toList();
            assertTrue(failed.isEmpty(), "agents stopped by Ctrl-C are not reported failed: " + failed);
        } finally {
            cli.destroyForcibly();
            reader.join(5_000);
        }
    }
}
