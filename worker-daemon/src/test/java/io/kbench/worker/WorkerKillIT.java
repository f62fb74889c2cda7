package io.kbench.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.broker.junit.KafkaCluster;
import io.kbench.broker.junit.KafkaClusterExtension;
import io.kbench.protocol.KafkaClients;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.AgentReady;
import io.kbench.protocol.message.AgentSpawned;
import io.kbench.protocol.message.MemberRole;
import io.kbench.protocol.message.StopRun;
import io.kbench.protocol.registry.RegistryView;
import io.kbench.protocol.topic.KbenchTopics;
import io.kbench.worker.supervise.WarmAgents;
import io.kbench.worker.testing.ControlPublisher;
import io.kbench.worker.testing.Poll;
import io.kbench.worker.testing.Tasks;
import io.kbench.worker.testing.TopicTail;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon started as its own process (WorkerMain), killed with SIGKILL while it runs agents, and while warm agent
 * JVMs wait for its next run.
 */
@ExtendWith(KafkaClusterExtension.class)
class WorkerKillIT {

    private static final Duration WAIT = Duration.ofSeconds(45);

    @Test
    void agentsOfAKilledDaemonAreGoneThreeSecondsLater(KafkaCluster kafka, @TempDir Path dir) throws Exception {
        String bootstrap = kafka.bootstrapServers();
        createBenchTopic(bootstrap);
        Process daemon = startDaemon(bootstrap, "w-kill", dir);
        try (ControlPublisher control = new ControlPublisher(bootstrap, TOPICS.control());
                TopicTail events = new TopicTail(bootstrap, TOPICS.events())) {
            Set<Long> pids = twoProducersReady(bootstrap, "w-kill", "run-k", control, events);
            assertTrue(pids.stream().allMatch(WorkerKillIT::alive), "agents run before the kill");

            killAndExpectGoneWithinThreeSeconds(daemon, pids);
        } finally {
            leaveNothingBehind(daemon, dir, "w-kill");
        }
    }

    @Test
    void warmAgentJvmsOfAKilledDaemonAreGoneThreeSecondsLater(KafkaCluster kafka, @TempDir Path dir) throws Exception {
        String bootstrap = kafka.bootstrapServers();
        createBenchTopic(bootstrap);
        Process daemon = startDaemon(bootstrap, "w-warm", dir); // kbench worker's defaults: warm agent JVMs on
        try (ControlPublisher control = new ControlPublisher(bootstrap, TOPICS.control());
                TopicTail events = new TopicTail(bootstrap, TOPICS.events())) {
            Set<Long> ran = twoProducersReady(bootstrap, "w-warm", "run-w", control, events);
            control.send("run-w", new StopRun(StopRun.Reason.COMPLETED, "done"));
            Poll.until(() -> ran.stream().noneMatch(WorkerKillIT::alive), WAIT);

            // The run is over: the daemon boots as many agent JVMs for the next run, each waiting on its stdin.
            Path pidDir = dir.resolve("logs").resolve("pids").resolve("w-warm");
            Set<Long> warm = Poll.until(() -> warmPids(pidDir), found -> found.size() == 2, WAIT);
            assertTrue(warm.stream().allMatch(WorkerKillIT::alive), "warm JVMs before the kill: " + warm);
            // Killed while they wait between runs (booted and rehearsed: their CPU time stands still). One killed
            // while it still boots ends once its main thread reads stdin, a boot's time later.
            awaitIdle(warm);

            killAndExpectGoneWithinThreeSeconds(daemon, warm);
        } finally {
            leaveNothingBehind(daemon, dir, "w-warm");
        }
    }

    private static final KbenchTopics TOPICS = new KbenchTopics("kill");

    /**
     * Once {@code workerId}'s daemon listens, gives it a run of two producers and waits until both are ready; their
     * JVMs' pids. The class shares one broker: only this daemon's events count.
     */
    private static Set<Long> twoProducersReady(
            String bootstrap, String workerId, String runId, ControlPublisher control, TopicTail events)
            throws Exception {
        awaitRegistered(bootstrap, workerId);
        control.send(
                runId, Tasks.producers(workerId, "k", 2, bootstrap, "bench", 5, System.currentTimeMillis() + 60_000));
        Set<Long> pids = events.await(AgentSpawned.class, s -> s.workerId().equals(workerId), 2, WAIT).stream()
                .map(AgentSpawned::pid)
                .collect(Collectors.toSet());
        events.await(AgentReady.class, r -> r.workerId().equals(workerId), 2, WAIT);
        return pids;
    }

    private static void createBenchTopic(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            if (!admin.listTopics().names().get().contains("bench")) {
                admin.createTopics(List.of(new NewTopic("bench", 1, (short) 1)))
                        .all()
                        .get();
            }
        }
    }

    /** {@code kbench worker} as its own process, with its defaults but for the ids and directories. */
    private static Process startDaemon(String bootstrap, String workerId, Path dir) throws Exception {
        return new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx128m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        WorkerMain.class.getName(),
                        "--bootstrap-server",
                        bootstrap,
                        "--topic-prefix",
                        "kill",
                        "--worker-id",
                        workerId,
                        "--log-dir",
                        dir.resolve("logs").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("daemon.log").toFile())
                .start();
    }

    /**
     * Registered means listening: the daemon heartbeats only once it reads the control topic. By id: the class
     * shares one broker, where an earlier test's killed daemon still looks live for a while.
     */
    private static void awaitRegistered(String bootstrap, String workerId) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Poll.untilNoError(() -> admin.listTopics().names().get().contains(TOPICS.registry()), WAIT);
        }
        try (KafkaConsumer<String, byte[]> reader = KafkaClients.readerConsumer(bootstrap, Map.of())) {
            Poll.until(
                    () -> RegistryView.read(reader, TOPICS.registry(), new MessageCodec(), Duration.ofSeconds(5))
                            .live(MemberRole.WORKER, System.currentTimeMillis())
                            .stream()
                            .anyMatch(m -> m.id().equals(workerId)),
                    live -> live,
                    WAIT);
        }
    }

    /** SIGKILL (no shutdown hook runs); every pid must be gone within 3 s, as it sees its stdin close. */
    private static void killAndExpectGoneWithinThreeSeconds(Process daemon, Set<Long> pids) throws Exception {
        daemon.destroyForcibly();
        assertTrue(daemon.waitFor(5, TimeUnit.SECONDS));
        long killedAt = System.nanoTime();
        Poll.until(() -> pids.stream().noneMatch(WorkerKillIT::alive), Duration.ofSeconds(3));
        assertTrue(Duration.ofNanos(System.nanoTime() - killedAt).toMillis() <= 3_500);
        assertEquals(137, daemon.exitValue());
    }

    /** Waits until none of {@code pids} used more than 50 ms of CPU over a second. */
    private static void awaitIdle(Set<Long> pids) {
        long[] sampledAt = {System.nanoTime()};
        Map<Long, Long> sampled = cpuMillis(pids);
        Poll.until(
                () -> {
                    if (System.nanoTime() - sampledAt[0] < 1_000_000_000L) {
                        return false; // not a second yet since the last sample
                    }
                    Map<Long, Long> now = cpuMillis(pids);
                    boolean idle = pids.stream().allMatch(pid -> now.get(pid) - sampled.get(pid) <= 50);
                    sampled.putAll(now);
                    sampledAt[0] = System.nanoTime();
                    return idle;
                },
                done -> done,
                WAIT);
    }

    private static Map<Long, Long> cpuMillis(Set<Long> pids) {
        Map<Long, Long> cpu = new java.util.HashMap<>();
        for (long pid : pids) {
            cpu.put(
                    pid,
                    ProcessHandle.of(pid)
                            .flatMap(p -> p.info().totalCpuDuration())
                            .map(Duration::toMillis)
                            .orElse(0L));
        }
        return cpu;
    }

    /** The pids whose pid file says they are warm agent JVMs. */
    private static Set<Long> warmPids(Path pidDir) {
        try (Stream<Path> files = Files.exists(pidDir) ? Files.list(pidDir) : Stream.empty()) {
            return files.filter(f -> read(f).strip().equals(WarmAgents.PID_DESCRIPTION))
                    .map(f -> Long.parseLong(f.getFileName().toString().replaceFirst("\\.pid$", "")))
                    .collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return ""; // deleted meanwhile
        }
    }

    /** Should a test fail half-way, leave no agent behind on the build machine. */
    private static void leaveNothingBehind(Process daemon, Path dir, String workerId) {
        daemon.destroyForcibly();
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(dir.toString())
                        || p.info().commandLine().orElse("").contains(workerId))
                .forEach(ProcessHandle::destroyForcibly);
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
