package io.kbench.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.aggregator.Aggregator;
import io.kbench.aggregator.AggregatorConfig;
import io.kbench.broker.EmbeddedKafkaBroker;
import io.kbench.broker.ScramSecurity;
import io.kbench.protocol.KafkaClients;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.MemberRole;
import io.kbench.protocol.registry.RegistryView;
import io.kbench.protocol.topic.KbenchTopics;
import io.kbench.worker.WorkerMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.acl.AclBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole fleet on a secured broker (SASL/SCRAM, ACLs enforced): the controller, the worker daemon, its agents and
 * the aggregator each log in as their own user holding only the ACLs of {@link FleetAcls} (as docs/security.md lists
 * them). A real run completes; with one ACL taken away the run fails in one line naming the missing permission.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class SecuredFleetIT {

    private static final String PREFIX = "sec";
    private static final String WORKER = "w-sec";
    private static final List<String> COMPONENTS = List.of("controller", "worker", "agent", "aggregator");
    private static final ScramSecurity SECURITY = ScramSecurity.sha256("admin", "admin-secret");

    @TempDir
    static Path dir;

    private static EmbeddedKafkaBroker broker;
    private static Aggregator aggregator;
    private static Process worker;

    @BeforeAll
    static void securedFleet() throws Exception {
        broker = EmbeddedKafkaBroker.builder().scram(SECURITY).build().start();
        for (String user : COMPONENTS) {
            broker.addScramUser(user, user + "-secret");
        }
        // An administrator creates kbench's topics once, as docs/security.md says: any fleet command does.
        InProcessCli.Output created = InProcessCli.kbench(
                "workers",
                "-b",
                bootstrap(),
                "--command-config",
                properties("admin").toString(),
                "--topic-prefix",
                PREFIX);
        assertEquals(0, created.exit(), created.err());
        try (Admin admin = admin()) {
            List<AclBinding> grants = new ArrayList<>();
            for (FleetAcls acl : FleetAcls.minimal(PREFIX)) {
                grants.add(acl.binding(acl.component()));
            }
            admin.createAcls(grants).all().get(30, TimeUnit.SECONDS);
            // Grants take effect when the broker's authorizer has them, a moment after createAcls returns; a
            // component started before sees no topic it may describe and tries to create them.
            RealFleet.until(() -> appliedAcls(admin) >= grants.size(), java.time.Duration.ofSeconds(30));
            assertEquals(grants.size(), appliedAcls(admin), "the broker applied every grant");
        }
        aggregator = new Aggregator(AggregatorConfig.of(bootstrap())
                .withClientConfig(credentials("aggregator"))
                .withTopicPrefix(PREFIX)
                .withMemberId("agg-sec")
                .withStateDir(dir.resolve("state"))
                .withMetricsPort(-1));
        aggregator.start();
        worker = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        WorkerMain.class.getName(),
                        "--bootstrap-server",
                        bootstrap(),
                        "--command-config",
                        properties("worker").toString(),
                        "--client-config",
                        properties("agent").toString(),
                        "--topic-prefix",
                        PREFIX,
                        "--worker-id",
                        WORKER,
                        "--log-dir",
                        dir.resolve("agent-logs").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("worker.log").toFile())
                .start();
        awaitLiveWorker();
    }

    private static int appliedAcls(Admin admin) {
        try {
            return admin.describeAcls(org.apache.kafka.common.acl.AclBindingFilter.ANY)
                    .values()
                    .get(30, TimeUnit.SECONDS)
                    .size();
        } catch (Exception e) {
            throw new IllegalStateException("cannot list the broker's ACLs: " + e, e);
        }
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.descendants().forEach(ProcessHandle::destroyForcibly);
            worker.destroyForcibly();
        }
        if (aggregator != null) {
            aggregator.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Order(1)
    void aRunCompletesWithEachComponentHoldingOnlyItsOwnAcls() throws Exception {
        InProcessCli.Output run = run("secured");
        assertEquals(0, run.exit(), run.err() + "\nworker log:\n" + workerLog());
        assertTrue(run.out().contains("COMPLETE"), run.out());
    }

    /**
     * After the run the worker boots warm agent JVMs, which rehearse with the worker's own credentials: each joins a
     * group of its own on the control topic, which the broker allows only within the worker's ACLs. A group left
     * empty (joined, then left, nothing committed) is the proof that the rehearsal got through.
     */
    @Test
    @Order(2)
    void warmAgentJvmsRehearseWithinTheWorkersOwnAcls() throws Exception {
        List<Long> warm = new ArrayList<>();
        RealFleet.until(
                () -> {
                    warm.clear();
                    worker.descendants()
                            .filter(p -> p.info().commandLine().orElse("").contains("-Dkbench.agent.warm=true"))
                            .forEach(p -> warm.add(p.pid()));
                    return !warm.isEmpty();
                },
                Duration.ofSeconds(60));
        assertFalse(warm.isEmpty(), "the worker boots warm agent JVMs after a run:\n" + workerLog());
        List<String> groups = warm.stream()
                .map(pid -> PREFIX + "-worker-" + WORKER + "-rehearsal-" + pid)
                .toList();
        try (Admin admin = admin()) {
            BooleanSupplier rehearsed = () -> {
                try {
                    return admin.describeConsumerGroups(groups).all().get(10, TimeUnit.SECONDS).values().stream()
                            .allMatch(g -> g.groupState() == org.apache.kafka.common.GroupState.EMPTY);
                } catch (Exception notYet) {
                    return false;
                }
            };
            RealFleet.until(rehearsed, Duration.ofSeconds(60));
            assertTrue(
                    rehearsed.getAsBoolean(),
                    "each warm JVM joined and left its group " + groups + ": "
                            + admin.describeConsumerGroups(groups).all().get(10, TimeUnit.SECONDS));
            for (String group : groups) {
                assertEquals(
                        Map.of(),
                        admin.listConsumerGroupOffsets(group)
                                .partitionsToOffsetAndMetadata()
                                .get(10, TimeUnit.SECONDS),
                        group + " committed nothing");
            }
        }
    }

    @Test
    @Order(3)
    void withoutTheControllersWriteOnControlTheRunFailsInOneLineNamingIt() throws Exception {
        FleetAcls write = FleetAcls.minimal(PREFIX).stream()
                .filter(acl -> acl.component().equals("controller")
                        && acl.name().equals(PREFIX + ".control")
                        && acl.operation() == org.apache.kafka.common.acl.AclOperation.WRITE)
                .findFirst()
                .orElseThrow();
        try (Admin admin = admin()) {
            admin.deleteAcls(List.of(write.binding("controller").toFilter()))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        long start = System.nanoTime();
        InProcessCli.Output run = run("denied");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(2, run.exit(), run.err());
        List<String> lines = run.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "one line: " + run.err());
        assertTrue(
                lines.get(0).startsWith("kbench: not authorized to WRITE topic sec.control as User:controller ("),
                lines.get(0));
        assertTrue(lines.get(0).contains("--allow-principal User:controller --operation Write --topic sec.control"));
        assertFalse(run.err().contains("\tat "), "no stack trace");
        assertTrue(millis < 30_000, "said within 30 s, not after a timeout: " + millis + " ms");
    }

    private static InProcessCli.Output run(String name) throws IOException {
        Path workload = dir.resolve(name + ".yaml");
        Files.writeString(workload, """
                name: %s
                topics: 1
                partitionsPerTopic: 1
                messageSize: 128
                subscriptionsPerTopic: 1
                producersPerTopic: 1
                consumerPerSubscription: 1
                producerRate: 200
                warmupDurationSeconds: 1
                testDurationSeconds: 4
                statsWindowSeconds: 1
                """.formatted(name));
        return InProcessCli.kbench(
                "run",
                "-b",
                bootstrap(),
                "--command-config",
                properties("controller").toString(),
                "--topic-prefix",
                PREFIX,
                "--ready-timeout",
                "60",
                "-o",
                dir.resolve("results").toString(),
                workload.toString());
    }

    private static String bootstrap() {
        return broker.bootstrapServers();
    }

    private static Map<String, String> credentials(String user) {
        return user.equals("admin") ? SECURITY.adminClientConfig() : SECURITY.clientConfig(user, user + "-secret");
    }

    /** A component's client settings as a file, as its --command-config or --client-config takes them. */
    private static Path properties(String user) throws IOException {
        Path file = dir.resolve(user + ".properties");
        if (!Files.exists(file)) {
            Properties props = new Properties();
            props.putAll(credentials(user));
            try (var out = Files.newOutputStream(file)) {
                props.store(out, null);
            }
        }
        return file;
    }

    private static Admin admin() {
        return Admin.create(new java.util.HashMap<>(KafkaClients.base(bootstrap(), SECURITY.adminClientConfig())));
    }

    private static String workerLog() {
        try {
            return Files.readString(dir.resolve("worker.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static void awaitLiveWorker() throws InterruptedException {
        KbenchTopics topics = new KbenchTopics(PREFIX);
        try (KafkaConsumer<String, byte[]> reader =
                KafkaClients.readerConsumer(bootstrap(), SECURITY.adminClientConfig())) {
            BooleanSupplier live = () -> {
                try {
                    return RegistryView.read(reader, topics.registry(), new MessageCodec(), Duration.ofSeconds(5))
                            .live(MemberRole.WORKER, System.currentTimeMillis())
                            .stream()
                            .anyMatch(m -> m.heartbeat().memberId().equals(WORKER));
                } catch (RuntimeException notYet) {
                    return false;
                }
            };
            RealFleet.until(() -> live.getAsBoolean() || !worker.isAlive(), Duration.ofSeconds(60));
            assertTrue(live.getAsBoolean(), "worker " + WORKER + " is live:\n" + workerLog());
        }
    }
}
