package io.kbench.worker;

import io.kbench.protocol.AccessDenied;
import io.kbench.protocol.AgentIo;
import io.kbench.protocol.ClusterCheck;
import io.kbench.protocol.KafkaClients;
import io.kbench.protocol.security.ControlSigner;
import io.kbench.protocol.topic.KbenchTopics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kbench worker}: runs a worker daemon until SIGTERM or SIGINT, then stops its agents and leaves the
 * registry. Exit codes: 0 after a clean stop, 1 when it cannot start after reaching the cluster, 2 for bad options
 * and for control cluster settings that cannot work (an unresolvable host, an incomplete SASL/JAAS configuration,
 * no broker answering within 10 s), each said in one line.
 */
@Command(
        name = "worker",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the always-on worker daemon of this host: heartbeats into the registry, takes assignments from the"
                    + " control topic and supervises the agent JVMs it starts for them.",
            "A daemon never runs a command from a topic: agents are started from this JVM's java.home and class"
                    + " path; an assignment may only add JVM options and client tuning settings from allow lists,"
                    + " and name payload files inside --payload-dir."
        })
public final class WorkerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-b", "--bootstrap-server"},
            paramLabel = "HOST:PORT",
            defaultValue = "${env:KBENCH_BOOTSTRAP:-localhost:9092}",
            description = "Control cluster (kbench's own topics), host:port,... Default: ${DEFAULT-VALUE} (env"
                    + " KBENCH_BOOTSTRAP).")
    String bootstrapServer;

    @Option(
            names = "--command-config",
            paramLabel = "FILE",
            description = "Kafka client properties for the control cluster (TLS/SASL), as Kafka's tools take them.")
    Path commandConfig;

    @Option(
            names = "--topic-prefix",
            paramLabel = "PREFIX",
            defaultValue = KbenchTopics.DEFAULT_PREFIX,
            description = "Prefix of kbench's topics (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(names = "--worker-id", paramLabel = "ID", description = "This worker's id (default: the host name).")
    String workerId;

    @Option(
            names = "--max-agents",
            paramLabel = "N",
            description = "Capacity: agents this daemon may run at once (default: cores × "
                    + WorkerConfig.DEFAULT_AGENTS_PER_CORE + ").")
    Integer maxAgents;

    @Option(
            names = "--secret-file",
            paramLabel = "FILE",
            description = "Shared secret: only signed control records are acted on.")
    Path secretFile;

    @Option(
            names = "--allow-target",
            paramLabel = "PATTERN",
            split = ",",
            description = "Bootstrap servers agents may load, '*' as a wildcard, repeatable"
                    + " (default: only the control cluster).")
    List<String> allowTargets = new ArrayList<>();

    @Option(
            names = "--jvm-options",
            paramLabel = "PATTERN",
            split = ",",
            description = "Allow list of JVM options an assignment may ask for, '*' as a wildcard; write"
                    + " --jvm-options=-Xmx* (default: heap, stack and GC choices).")
    List<String> jvmOptions;

    @Option(names = "--require-signed", description = "Refuse to start without --secret-file (exit 2).")
    boolean requireSigned;

    @Option(
            names = "--payload-dir",
            paramLabel = "DIR",
            defaultValue = WorkerConfig.DEFAULT_PAYLOAD_DIR,
            description = "The only directory agents may read payload files from; an assignment names a file"
                    + " relative to it. --payload-dir= (empty) refuses every payload file"
                    + " (default: ${DEFAULT-VALUE} in the working directory).")
    String payloadDir;

    @Option(
            names = "--client-config",
            paramLabel = "FILE",
            description = "Kafka client properties for the cluster under test (TLS, SASL, interceptors), merged over"
                    + " every agent's client settings; they win. The only source of class-, file- and"
                    + " credential-valued settings.")
    Path clientConfig;

    @Option(
            names = "--allow-client-config",
            paramLabel = "KEY",
            split = ",",
            description = "A tuning setting an assignment may set beyond the default allow list, '*' as a wildcard,"
                    + " repeatable. Settings naming classes, files, URLs or credentials stay refused.")
    List<String> allowClientConfig = new ArrayList<>();

    @Option(
            names = "--metrics-port",
            defaultValue = "-1",
            paramLabel = "PORT",
            description = "Port of the Prometheus /metrics and /health endpoints; 0 takes a free port, -1 serves"
                    + " none (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(
            names = "--agent-metadata-timeout",
            paramLabel = "SECONDS",
            description = "How long each agent waits for its topics' metadata from the cluster under test, counted"
                    + " from when it first asks, before it fails the run (1-600; default: "
                    + AgentIo.DEFAULT_METADATA_TIMEOUT_MS / 1000 + ").")
    Integer agentMetadataTimeoutSeconds;

    @Option(
            names = "--warm-agents",
            paramLabel = "N",
            defaultValue = "" + WorkerConfig.DEFAULT_WARM_AGENTS,
            description = "After a run, keep as many agent JVMs booted and waiting for the next run as this daemon"
                    + " started for it (one agent each, no JVM options from the assignment), at most N; the next"
                    + " run's agents then start without booting a JVM. 0 keeps none (default: ${DEFAULT-VALUE}).")
    int warmAgents;

    @Option(
            names = "--clock-skew-ms",
            paramLabel = "MS",
            description = "For tests: play a host whose clock is off by MS (either sign): added to this daemon's"
                    + " clock probes and to its agents' clocks. The estimated offset (kbench workers) and the"
                    + " end-to-end correction should then undo it.")
    Long clockSkewMillis;

    @Option(
            names = "--log-dir",
            paramLabel = "DIR",
            description = "Agents' output and pid files (default: <java.io.tmpdir>/kbench-worker).")
    Path logDir;

    /** For picocli and for the {@code kbench} CLI, which mounts this as a subcommand. */
    public WorkerCommand() {}

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        WorkerConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException | IOException | java.io.UncheckedIOException e) {
            err.println("kbench worker: " + e.getMessage());
            return 2;
        }
        if (!ClusterCheck.beforeStart(
                "kbench worker",
                config.bootstrapServers(),
                config.clientConfig(),
                commandConfig,
                config.unsignedWarning(),
                err)) {
            return 2;
        }
        WorkerDaemon daemon = new WorkerDaemon(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    daemon.close();
                    stopped.countDown();
                },
                "kbench-worker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            daemon.start();
        } catch (TimeoutException | RuntimeException e) {
            // A broker's refusal (ACLs, credentials) is a setting to fix: one line naming it, exit 2.
            java.util.Optional<String> denied = AccessDenied.explain(e, null, config.clientConfig());
            err.println("kbench worker: "
                    + denied.orElseGet(() -> "cannot start against " + config.bootstrapServers() + ": "
                            + (e.getMessage() == null ? e.toString() : e.getMessage())));
            Runtime.getRuntime().removeShutdownHook(hook);
            daemon.close();
            return denied.isPresent() ? 2 : 1;
        }
        stopped.await();
        return 0;
    }

    WorkerConfig config() throws IOException {
        return WorkerConfig.builder(bootstrapServer)
                .clientConfig(KafkaClients.readCommandConfig(commandConfig))
                .topicPrefix(topicPrefix)
                .workerId(workerId)
                .maxAgents(maxAgents == null ? WorkerConfig.defaultMaxAgents() : maxAgents)
                .secret(secretFile == null ? null : ControlSigner.fromFile(secretFile))
                .allowedTargets(allowTargets.isEmpty() ? null : allowTargets)
                .allowedJvmOptions(jvmOptions)
                .metricsPort(metricsPort)
                .logDir(logDir)
                .payloadDir(payloadDir == null || payloadDir.isBlank() ? null : Path.of(payloadDir))
                .targetClientConfig(KafkaClients.readCommandConfig(clientConfig))
                .allowClientConfig(allowClientConfig)
                .requireSigned(requireSigned)
                .agentMetadataTimeout(
                        agentMetadataTimeoutSeconds == null ? null : Duration.ofSeconds(agentMetadataTimeoutSeconds))
                .warmAgents(warmAgents)
                .clockSkew(clockSkewMillis == null ? null : Duration.ofMillis(clockSkewMillis))
                .build();
    }

    /** Parses the arguments only, for tests of the options. */
    static WorkerConfig parse(String... args) throws IOException {
        WorkerCommand command = new WorkerCommand();
        new CommandLine(command).parseArgs(args);
        return command.config();
    }
}
