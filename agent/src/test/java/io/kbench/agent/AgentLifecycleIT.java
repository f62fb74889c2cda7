package io.kbench.agent;

import static io.kbench.agent.testkit.MetricsReader.lastReportsFrom;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.agent.testkit.AgentProcess;
import io.kbench.agent.testkit.Launches;
import io.kbench.agent.testkit.MetricsReader;
import io.kbench.agent.testkit.Topics;
import io.kbench.broker.junit.KafkaCluster;
import io.kbench.broker.junit.KafkaClusterExtension;
import io.kbench.protocol.AgentIo;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.AgentFailed;
import io.kbench.protocol.message.AgentLaunch;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StatsReport;
import io.kbench.protocol.message.StopRun;
import io.kbench.protocol.topic.KbenchTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** How an agent JVM ends: every way of stopping gives a last report; every bad task a reasoned failure. */
@ExtendWith(KafkaClusterExtension.class)
class AgentLifecycleIT {

    private static final String PREFIX = "life";
    private static final String METRICS = new KbenchTopics(PREFIX).metrics();
    private static String bootstrap;

    @TempDir
    Path dir;

    @BeforeAll
    static void topics(KafkaCluster kafka) throws Exception {
        bootstrap = kafka.bootstrapServers();
        Topics.create(bootstrap, "life:2", METRICS + ":3");
    }

    /** Two agents packed in one JVM (agentsPerJvm = 2), running, then ended by {@code stop}. */
    private void runThenStop(String runId, Consumer<AgentProcess> stop, int expectedExit) {
        try (AgentProcess agent = AgentProcess.start();
                MetricsReader reader = new MetricsReader(bootstrap, METRICS, runId)) {
            agent.send(
                    runId,
                    Launches.launch(
                            runId,
                            bootstrap,
                            PREFIX,
                            Launches.producer("p0", bootstrap, "life", 1_000, 200),
                            Launches.consumer("c0", bootstrap, "life", "g-" + runId)));
            agent.awaitReady(2, Duration.ofSeconds(40));
            assertEquals(
                    List.of("c0", "p0"), agent.readyAgents().stream().sorted().toList());
            agent.send(runId, new StartRun(System.currentTimeMillis(), 0, 60_000, 0));
            reader.readUntil(
                    reports -> reports.stream().anyMatch(r -> r.agentId().equals("c0") && r.messagesReceived() > 0),
                    Duration.ofSeconds(20));

            long stopAt = System.nanoTime();
            stop.accept(agent);
            int exit = agent.awaitExit(Duration.ofSeconds(10));
            long stopMs = (System.nanoTime() - stopAt) / 1_000_000;

            assertEquals(expectedExit, exit, agent::describe);
            assertTrue(stopMs <= 2_000, "the JVM ended " + stopMs + " ms after the stop, wanted <= 2,000 ms");
            List<StatsReport> reports = reader.readUntil(lastReportsFrom("p0", "c0"), Duration.ofSeconds(10));
            for (String id : List.of("p0", "c0")) {
                StatsReport last = reports.stream()
                        .filter(r -> r.agentId().equals(id))
                        .reduce((a, b) -> b)
                        .orElseThrow();
                assertTrue(last.last(), id + "'s final report is its last one");
                assertEquals(Phase.MEASURE, last.phase());
            }
            assertEquals(List.of(), agent.failures());
        }
    }

    @Test
    void closingStdinEndsTheAgentWithinTwoSecondsAfterALastReport() {
        runThenStop("stdin-1", AgentProcess::closeStdin, AgentIo.EXIT_OK);
    }

    @Test
    void stopRunEndsTheAgentWithALastReport() {
        runThenStop(
                "stop-1", agent -> agent.send("stop-1", new StopRun(StopRun.Reason.OPERATOR, "test")), AgentIo.EXIT_OK);
    }

    @Test
    void sigtermEndsTheAgentWithALastReport() {
        runThenStop("term-1", agent -> agent.process().destroy(), 143);
    }

    /** Starts an agent on {@code launchLine}; returns its failure event after asserting the exit code. */
    private AgentFailed failedLaunch(String launchLine, int expectedExit, Duration within) {
        try (AgentProcess agent = AgentProcess.start()) {
            long started = System.nanoTime();
            agent.sendLine(launchLine);
            assertEquals(expectedExit, agent.awaitExit(within.plusSeconds(10)), agent::describe);
            assertTrue(
                    Duration.ofNanos(System.nanoTime() - started).compareTo(within) <= 0,
                    "failure took longer than " + within);
            assertEquals(1, agent.failures().size(), agent::describe);
            AgentFailed failed = agent.failures().get(0);
            assertEquals(expectedExit, failed.exitCode());
            List<String> stderr = agent.stderr();
            assertEquals(failed.reason(), stderr.get(stderr.size() - 1), "the reason is the last stderr line");
            assertEquals(List.of(), agent.readyAgents());
            return failed;
        }
    }

    private static String line(AgentLaunch launch) {
        MessageCodec codec = new MessageCodec();
        return codec.encodeLine(codec.envelope(launch.runId(), launch, null));
    }

    private static AgentLaunch producerLaunch(String runId, io.kbench.protocol.message.AgentTask task) {
        return Launches.launch(runId, bootstrap, PREFIX, task);
    }

    @Test
    void aNegativeMessageSizeIsABadTask() {
        AgentFailed failed = failedLaunch(
                line(producerLaunch("bad-1", Launches.producer("p0", bootstrap, "life", 10, -1))),
                AgentIo.EXIT_BAD_TASK,
                Duration.ofSeconds(15));
        assertTrue(failed.reason().contains("messageSize must be > 0, got -1"), failed.reason());
        assertEquals(List.of("p0"), failed.agentIds());
        assertEquals("w1", failed.workerId());
    }

    @Test
    void aMissingPayloadFileIsABadTask() {
        String missing = dir.resolve("payload-1Kb.data").toString();
        AgentFailed failed = failedLaunch(
                line(producerLaunch(
                        "bad-2",
                        Launches.producer(
                                "p0",
                                bootstrap,
                                "life",
                                10,
                                1024,
                                new io.kbench.protocol.message.PayloadSpec(missing, false, 0, 0),
                                Map.of()))),
                AgentIo.EXIT_BAD_TASK,
                Duration.ofSeconds(15));
        assertTrue(failed.reason().contains("payload.payloadFile '" + missing + "' does not exist"), failed.reason());
    }

    @Test
    void aPayloadFileOfAnotherSizeIsABadTask() throws Exception {
        Path file = Files.write(dir.resolve("payload-100b.data"), new byte[100]);
        AgentFailed failed = failedLaunch(
                line(producerLaunch(
                        "bad-3",
                        Launches.producer(
                                "p0",
                                bootstrap,
                                "life",
                                10,
                                1024,
                                new io.kbench.protocol.message.PayloadSpec(file.toString(), false, 0, 0),
                                Map.of()))),
                AgentIo.EXIT_BAD_TASK,
                Duration.ofSeconds(15));
        assertTrue(failed.reason().contains("is 100 bytes but messageSize is 1024"), failed.reason());
    }

    @Test
    void anUnknownKeyDistributorIsABadTask() {
        String launch = line(producerLaunch("bad-4", Launches.producer("p0", bootstrap, "life", 10, 100)))
                .replace("\"KEY_ROUND_ROBIN\"", "\"ZIPFIAN\"");
        AgentFailed failed = failedLaunch(launch, AgentIo.EXIT_BAD_TASK, Duration.ofSeconds(15));
        assertTrue(failed.reason().contains("tasks[0].keyDistributor: unknown value 'ZIPFIAN'"), failed.reason());
        assertEquals(List.of("p0"), failed.agentIds(), "the failure is attributed even when the task does not bind");
    }

    @Test
    void anUnreachableBootstrapFailsWithinFifteenSeconds() {
        AgentFailed failed = failedLaunch(
                line(producerLaunch("bad-5", Launches.producer("p0", "127.0.0.1:1", "life", 10, 100))),
                AgentIo.EXIT_FAILED,
                Duration.ofSeconds(17));
        assertTrue(failed.reason().contains("bootstrap.servers=127.0.0.1:1"), failed.reason());
        assertTrue(failed.reason().contains("reachable"), failed.reason());
    }
}
