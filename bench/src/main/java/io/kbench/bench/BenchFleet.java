package io.kbench.bench;

import io.kbench.aggregator.Aggregator;
import io.kbench.aggregator.AggregatorConfig;
import io.kbench.controller.config.BenchmarkFiles.LoadedDriver;
import io.kbench.controller.config.BenchmarkFiles.LoadedWorkload;
import io.kbench.controller.config.DriverConfig;
import io.kbench.controller.mode.C2AfterWarmup;
import io.kbench.controller.run.ControlPlane;
import io.kbench.controller.run.RunCoordinator;
import io.kbench.controller.run.RunOutcome;
import io.kbench.controller.run.RunRequest;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.Workload;
import io.kbench.worker.WorkerConfig;
import io.kbench.worker.WorkerDaemon;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What {@code kbench local} runs — embedded broker, aggregator and one worker daemon in this JVM, agents as real
 * JVMs, the controller's {@link RunCoordinator} — built here so a benchmark can run many points on one broker
 * and wait between them until a point's deleted topics are gone from disk.
 */
final class BenchFleet implements AutoCloseable {

    /** The driver used by every fleet benchmark: tuned settings (configs/kafka-digital-twin.yaml). */
    static final DriverConfig DIGITAL_TWIN = new DriverConfig(
            "kafka-digital-twin",
            DriverConfig.KAFKA_DRIVER_CLASS,
            1,
            true,
            "min.insync.replicas=1\n",
            "default.api.timeout.ms=120000\nrequest.timeout.ms=30000\n",
            "acks=all\nenable.idempotence=true\nmax.in.flight.requests.per.connection=5\nbatch.size=65536\n"
                    + "linger.ms=5\ncompression.type=lz4\nbuffer.memory=67108864\n",
            "auto.offset.reset=earliest\nenable.auto.commit=false\nmax.poll.records=500\n");

    private final BenchBroker broker;
    private final Aggregator aggregator;
    private final WorkerDaemon worker;
    private final ControlPlane control;
    private final Path logDir;
    private final DriverConfig driver;

    BenchFleet(Path logDir) throws Exception {
        this(logDir, List.of(), WorkerConfig.DEFAULT_WARM_AGENTS);
    }

    /**
     * @param consumerSettings {@code key=value} lines added to the driver's consumer settings (for example
     *     {@code group.protocol=consumer}, to time the consumers' group join both ways)
     * @param warmAgents the daemon's {@code --warm-agents} ({@code kbench worker}'s default unless a bench is told
     *     otherwise)
     */
    BenchFleet(Path logDir, List<String> consumerSettings, int warmAgents) throws Exception {
        this.logDir = logDir;
        StringBuilder consumer = new StringBuilder(DIGITAL_TWIN.consumerConfig());
        consumerSettings.forEach(line -> consumer.append(line).append('\n'));
        this.driver = new DriverConfig(
                DIGITAL_TWIN.name(),
                DIGITAL_TWIN.driverClass(),
                DIGITAL_TWIN.replicationFactor(),
                DIGITAL_TWIN.reset(),
                DIGITAL_TWIN.topicConfig(),
                DIGITAL_TWIN.commonConfig(),
                DIGITAL_TWIN.producerConfig(),
                consumer.toString());
        Files.createDirectories(logDir);
        broker = new BenchBroker();
        aggregator = new Aggregator(AggregatorConfig.of(broker.bootstrap())
                .withMemberId("bench-aggregator")
                .withMetricsPort(-1)
                .withStateDir(Files.createTempDirectory("kbench-bench-aggregator-")));
        aggregator.start();
        worker = new WorkerDaemon(WorkerConfig.builder(broker.bootstrap())
                .topicPrefix(broker.topics().prefix())
                .workerId("local")
                .maxAgents(64)
                .logDir(logDir)
                .heartbeatInterval(Duration.ofSeconds(1))
                .stopGrace(Duration.ofSeconds(5))
                .warmAgents(warmAgents)
                .build());
        worker.start();
        control = new ControlPlane(broker.bootstrap(), Map.of(), broker.topics(), new MessageCodec(), Optional.empty());
    }

    BenchBroker broker() {
        return broker;
    }

    ControlPlane control() {
        return control;
    }

    /**
     * Runs a workload as {@code kbench local} would (topics created, then deleted), then waits until the deleted
     * topics' files are gone so the next point starts on a quiet disk.
     */
    RunOutcome run(Workload workload, Path outputDir, PrintStream progress) throws InterruptedException {
        return run(workload, outputDir, progress, List.of());
    }

    /** As {@link #run(Workload, Path, PrintStream)}, with options for every agent JVM ({@code --agent-jvm-option}). */
    RunOutcome run(Workload workload, Path outputDir, PrintStream progress, List<String> agentJvmOptions)
            throws InterruptedException {
        return run(workload, outputDir, progress, agentJvmOptions, C2AfterWarmup.AUTO);
    }

    /** As {@link #run(Workload, Path, PrintStream, List)}, with {@code --agent-c2-after-warmup}. */
    RunOutcome run(
            Workload workload,
            Path outputDir,
            PrintStream progress,
            List<String> agentJvmOptions,
            C2AfterWarmup agentC2AfterWarmup)
            throws InterruptedException {
        RunCoordinator coordinator = new RunCoordinator(control, progress, new AtomicBoolean());
        RunOutcome outcome = coordinator.run(new RunRequest(
                new LoadedWorkload(Path.of(workload.name() + ".yaml"), workload),
                new LoadedDriver(Path.of("configs/kafka-digital-twin.yaml"), driver),
                broker.bootstrap(),
                Map.of(),
                0,
                List.of(),
                outputDir,
                false,
                null,
                null,
                Duration.ofSeconds(90),
                null,
                null,
                agentJvmOptions,
                agentC2AfterWarmup));
        List<String> topics = new ArrayList<>();
        for (int i = 0; i < workload.topicCount(); i++) {
            topics.add("kbench-" + outcome.runId() + "-" + i);
        }
        broker.awaitDeleted(topics);
        return outcome;
    }

    /** A scaling-table workload: one topic, 1 KB messages from the payload file, rates as OMB totals. */
    static Workload workload(
            String name,
            int partitions,
            int producers,
            int consumers,
            double ratePerProducer,
            int agentsPerJvm,
            int warmupSeconds,
            int testSeconds) {
        return Workload.builder()
                .name(name)
                .topics(1)
                .partitionsPerTopic(partitions)
                .messageSize(1024)
                .useRandomizedPayloads(false)
                .payloadFile(
                        Path.of("payload/payload-1Kb.data").toAbsolutePath().toString())
                .subscriptionsPerTopic(consumers > 0 ? 1 : 0)
                .producersPerTopic(producers)
                .consumerPerSubscription(consumers)
                .producerRate(ratePerProducer * producers)
                .consumerBacklogSizeGB(0.0)
                .testDurationSeconds(testSeconds)
                .warmupDurationSeconds(warmupSeconds)
                .agentsPerJvm(agentsPerJvm)
                .statsWindowSeconds(5)
                .build();
    }

    Path logDir() {
        return logDir;
    }

    @Override
    public void close() {
        control.close();
        worker.close();
        aggregator.close();
        broker.close();
    }
}
