package io.kbench.local;

import io.kbench.aggregator.Aggregator;
import io.kbench.aggregator.AggregatorConfig;
import io.kbench.broker.EmbeddedKafkaBroker;
import io.kbench.protocol.KafkaClients;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.MemberRole;
import io.kbench.protocol.registry.RegistryView;
import io.kbench.protocol.topic.KbenchTopics;
import io.kbench.worker.WorkerConfig;
import io.kbench.worker.WorkerDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a run needs, inside this process: an embedded broker (both the control cluster and the cluster
 * under test), an aggregator and one worker daemon. Agents are still real JVMs the daemon starts. The controller
 * reaches the fleet only through Kafka, like any other: {@link #bootstrapServers()} is all it needs.
 */
public final class LocalFleet implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(LocalFleet.class);

    private final String topicPrefix;
    private final Path stateDir;
    private final EmbeddedKafkaBroker broker;
    private final Aggregator aggregator;
    private final WorkerDaemon worker;

    private LocalFleet(
            EmbeddedKafkaBroker broker, Aggregator aggregator, WorkerDaemon worker, String topicPrefix, Path stateDir) {
        this.topicPrefix = topicPrefix;
        this.stateDir = stateDir;
        this.broker = broker;
        this.aggregator = aggregator;
        this.worker = worker;
    }

    /**
     * What a local fleet is made of.
     *
     * @param capacity how many agents the local worker may run
     * @param logDir agents' output files
     * @param port the embedded broker's port; {@code null} for a free one
     * @param aggregatorMetricsPort the aggregator's Prometheus port: -1 none, 0 any free one
     * @param workerMetricsPort the worker daemon's Prometheus port: -1 none, 0 any free one
     * @param otherTarget a cluster under test other than the embedded broker ({@code --target-bootstrap}), which the
     *     local worker must allow its agents to load; {@code null} for none
     * @param payloadDir where the local worker takes payload files from (the directory the workloads' payload files
     *     were found in); {@code null} for the worker's default
     * @param warmAgents the local worker's {@code --warm-agents}: agent JVMs booted after a run for the next one;
     *     0 when there is no next run (they would be started only to be stopped)
     * @param firstRunJvms agent JVMs the first run starts with default settings (one agent each, no JVM options):
     *     the local worker boots them as warm JVMs as soon as it starts, so that they boot and rehearse while the
     *     fleet and the controller get ready instead of after the run is planned; 0 boots none
     */
    public record Settings(
            String topicPrefix,
            int capacity,
            Path logDir,
            Integer port,
            int aggregatorMetricsPort,
            int workerMetricsPort,
            String otherTarget,
            Path payloadDir,
            int warmAgents,
            int firstRunJvms) {
        public Settings {
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
            }
            if (firstRunJvms < 0 || firstRunJvms > capacity) {
                throw new IllegalArgumentException(
                        "firstRunJvms must be between 0 and the capacity " + capacity + ", got " + firstRunJvms);
            }
            java.util.Objects.requireNonNull(topicPrefix, "topicPrefix");
            java.util.Objects.requireNonNull(logDir, "logDir");
        }
    }

    public static LocalFleet start(Settings settings) throws Exception {
        String topicPrefix = settings.topicPrefix();
        Path logDir = settings.logDir();
        Files.createDirectories(logDir);
        EmbeddedKafkaBroker.Builder builder = EmbeddedKafkaBroker.builder();
        if (settings.port() != null) {
            builder.port(settings.port());
        }
        EmbeddedKafkaBroker broker = builder.build().start();
        Path stateDir = Files.createTempDirectory("kbench-aggregator-");
        Aggregator aggregator = null;
        WorkerDaemon worker = null;
        try {
            String bootstrap = broker.bootstrapServers();
            aggregator = new Aggregator(AggregatorConfig.of(bootstrap)
                    .withTopicPrefix(topicPrefix)
                    .withMemberId("local-aggregator")
                    .withStateDir(stateDir)
                    .withMetricsPort(settings.aggregatorMetricsPort()));
            aggregator.start();
            List<String> targets = new ArrayList<>(List.of(bootstrap.split(",")));
            if (settings.otherTarget() != null) {
                targets.addAll(List.of(settings.otherTarget().split(",")));
            }
            WorkerConfig.Builder config = WorkerConfig.builder(bootstrap)
                    .topicPrefix(topicPrefix)
                    .workerId("local")
                    .maxAgents(settings.capacity())
                    .allowedTargets(targets.stream().map(String::strip).toList())
                    .metricsPort(settings.workerMetricsPort())
                    .logDir(logDir)
                    .heartbeatInterval(Duration.ofSeconds(1))
                    .stopGrace(Duration.ofSeconds(5))
                    .warmAgents(settings.warmAgents());
            if (settings.payloadDir() != null) {
                config.payloadDir(settings.payloadDir());
            }
            // The agents' class data beside this JVM's, in the user's cache: trained once, not once per directory.
            LocalClassData.directory().ifPresent(config::classDataDir);
            worker = new WorkerDaemon(config.build());
            worker.start();
            int firstRunJvms = settings.firstRunJvms();
            worker.supervisor().ifPresent(s -> s.bootWarmAgents(firstRunJvms));
            awaitRegistered(bootstrap, topicPrefix);
            return new LocalFleet(broker, aggregator, worker, topicPrefix, stateDir);
        } catch (Exception | Error e) {
            closeQuietly(worker);
            closeQuietly(aggregator);
            broker.close();
            deleteTree(stateDir);
            throw e;
        }
    }

    /**
     * Both members heartbeat right after they start; a run may begin once the registry shows them working (the
     * aggregator's Streams running, not rebalancing), so a local run does not start by waiting for it.
     */
    private static void awaitRegistered(String bootstrap, String topicPrefix) throws InterruptedException {
        MessageCodec codec = new MessageCodec();
        KbenchTopics topics = new KbenchTopics(topicPrefix);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (KafkaConsumer<String, byte[]> reader = KafkaClients.readerConsumer(bootstrap, Map.of())) {
            while (System.nanoTime() < deadline) {
                RegistryView view = RegistryView.read(reader, topics.registry(), codec, Duration.ofSeconds(10));
                long now = System.currentTimeMillis();
                if (!view.usable(MemberRole.WORKER, now).isEmpty()
                        && !view.usable(MemberRole.AGGREGATOR, now).isEmpty()) {
                    return;
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
        throw new IllegalStateException("the local worker and aggregator did not register as working within 60 s");
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** The prefix of kbench's topics on the embedded broker. */
    public String topicPrefix() {
        return topicPrefix;
    }

    /** The aggregator's Prometheus port, or -1 when it serves none. */
    public int aggregatorMetricsPort() {
        return aggregator.metricsPort();
    }

    /** The worker daemon's Prometheus port, if it serves one. */
    public Optional<Integer> workerMetricsPort() {
        return worker.metricsPort();
    }

    @Override
    public void close() {
        closeQuietly(worker);
        closeQuietly(aggregator);
        broker.close();
        deleteTree(stateDir);
    }

    /** The aggregator's state is only this run's: nothing of it should outlive the process. */
    private static void deleteTree(Path dir) {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (java.io.IOException e) {
            LOGGER.warn("cannot delete {}: {}", dir, e.toString());
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOGGER.warn("closing {} failed: {}", closeable.getClass().getSimpleName(), e.toString());
        }
    }
}
