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
import io.kbench.protocol.registry.RegistryView;
import io.kbench.protocol.topic.KbenchTopics;
import io.kbench.worker.testing.ControlPublisher;
import io.kbench.worker.testing.Poll;
import io.kbench.worker.testing.Tasks;
import io.kbench.worker.testing.TopicTail;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A daemon started as its own process (WorkerMain), killed with SIGKILL while it runs agents. */
@ExtendWith(KafkaClusterExtension.class)
class WorkerKillIT {

    private static final Duration WAIT = Duration.ofSeconds(45);

    @Test
    void agentsOfAKilledDaemonAreGoneThreeSecondsLater(KafkaCluster kafka, @TempDir Path dir) throws Exception {
        String bootstrap = kafka.bootstrapServers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic("bench", 1, (short) 1)))
                    .all()
                    .get();
        }
        KbenchTopics topics = new KbenchTopics("kill");
        Process daemon = new ProcessBuilder(
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
                        "w-kill",
                        "--log-dir",
                        dir.resolve("logs").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("daemon.log").toFile())
                .start();
        try (KafkaConsumer<String, byte[]> reader = KafkaClients.readerConsumer(bootstrap, Map.of());
                ControlPublisher control = new ControlPublisher(bootstrap, topics.control());
                TopicTail events = new TopicTail(bootstrap, topics.events())) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                Poll.untilNoError(() -> admin.listTopics().names().get().contains(topics.registry()), WAIT);
            }
            // Registered means listening: the daemon heartbeats only once it reads the control topic.
            Poll.until(
                    () -> RegistryView.read(reader, topics.registry(), new MessageCodec(), Duration.ofSeconds(5))
                            .live(MemberRole.WORKER, System.currentTimeMillis())
                            .size(),
                    n -> n == 1,
                    WAIT);
            control.send(
                    "run-k",
                    Tasks.producers("w-kill", "k", 2, bootstrap, "bench", 5, System.currentTimeMillis() + 60_000));
            Set<Long> pids = events.await(AgentSpawned.class, s -> true, 2, WAIT).stream()
                    .map(AgentSpawned::pid)
                    .collect(Collectors.toSet());
            events.await(AgentReady.class, r -> true, 2, WAIT);
            assertTrue(pids.stream().allMatch(WorkerKillIT::alive), "agents run before the kill");

            daemon.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertTrue(daemon.waitFor(5, TimeUnit.SECONDS));
            long killedAt = System.nanoTime();

            Poll.until(() -> pids.stream().noneMatch(WorkerKillIT::alive), Duration.ofSeconds(3));
            assertTrue(Duration.ofNanos(System.nanoTime() - killedAt).toMillis() <= 3_500);
            assertEquals(137, daemon.exitValue());
        } finally {
            daemon.destroyForcibly();
            // Should the test fail half-way, leave no agent behind on the build machine.
            ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().orElse("").contains(dir.toString())
                            || p.info().commandLine().orElse("").contains("w-kill"))
                    .forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
