package io.kbench.aggregator;

import io.kbench.protocol.ClusterCheck;
import io.kbench.protocol.KafkaClients;
import io.kbench.protocol.security.ControlSigner;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kbench aggregator}: runs one aggregator instance until SIGTERM or SIGINT. Exit codes: 0 after a clean stop,
 * 1 when it cannot start after reaching the cluster or Streams fails for good, 2 for bad options and for control
 * cluster settings that cannot work (each said in one line).
 */
@Command(
        name = "aggregator",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a kbench aggregator: merges the agents' stats into window summaries (<prefix>.windows) and run"
                    + " summaries (<prefix>.results), and serves live Prometheus gauges. Start several to share the"
                    + " work."
        })
public final class AggregatorCommand implements Callable<Integer> {

    /** Exit code when the aggregator could not start or Streams failed for good. */
    public static final int EXIT_FAILED = 1;

    @Spec
    private CommandSpec spec;

    /** Exit code for bad options and control cluster settings that cannot work. */
    public static final int EXIT_BAD_INPUT = 2;

    @Option(
            names = {"-b", "--bootstrap-server"},
            paramLabel = "HOST:PORT",
            defaultValue = "${env:KBENCH_BOOTSTRAP:-localhost:9092}",
            description = "Control cluster (kbench's own topics), host:port,... Default: ${DEFAULT-VALUE} (env"
                    + " KBENCH_BOOTSTRAP).")
    private String bootstrapServer;

    @Option(
            names = "--command-config",
            paramLabel = "FILE",
            description = "Kafka client properties for the control cluster (TLS/SASL), as Kafka's tools take them.")
    private Path commandConfig;

    @Option(
            names = "--topic-prefix",
            paramLabel = "PREFIX",
            defaultValue = "kbench",
            description = "Prefix of kbench's topics (default: ${DEFAULT-VALUE}).")
    private String topicPrefix;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description = "Directory of the local state stores (default: <tmp>/kbench-aggregator/<member-id>).")
    private Path stateDir;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            defaultValue = "" + AggregatorConfig.DEFAULT_METRICS_PORT,
            description = "Port of the Prometheus /metrics and /health endpoints; 0 takes a free port, -1 serves"
                    + " none (default: ${DEFAULT-VALUE}).")
    private int metricsPort;

    @Option(
            names = "--member-id",
            paramLabel = "ID",
            description = "This instance's id in the registry (default: aggregator-<host>-<pid>).")
    private String memberId;

    @Option(
            names = "--commit-interval-ms",
            paramLabel = "MS",
            defaultValue = "100",
            description =
                    "Exactly-once commit interval; results become visible after a commit (default: ${DEFAULT-VALUE}).")
    private long commitIntervalMs;

    @Option(
            names = "--checkpoint-interval-ms",
            paramLabel = "MS",
            defaultValue = "2000",
            description = "How often a run that only receives reports is checkpointed; after a crash a successor reads"
                    + " back the reports since from the metrics topic (default: ${DEFAULT-VALUE}).")
    private long checkpointIntervalMs;

    @Option(
            names = "--secret-file",
            paramLabel = "FILE",
            description = "Shared secret: only signed control records (RunSpec, StartRun, StopRun) are acted on.")
    private Path secretFile;

    @Option(names = "--require-signed", description = "Refuse to start without --secret-file (exit 2).")
    private boolean requireSigned;

    /** For picocli and the {@code kbench} CLI, which mounts this command. */
    public AggregatorCommand() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command as the launcher runs it on its own class path: its help says {@code kbench aggregator}. */
    public static CommandLine commandLine() {
        return new CommandLine(new AggregatorCommand()).setCommandName("kbench aggregator");
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        AggregatorConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException | IOException | UncheckedIOException e) {
            err.println("kbench aggregator: " + e.getMessage());
            return EXIT_BAD_INPUT;
        }
        if (!ClusterCheck.beforeStart(
                "kbench aggregator",
                config.bootstrapServers(),
                config.clientConfig(),
                commandConfig,
                config.unsignedWarning(),
                err)) {
            return EXIT_BAD_INPUT;
        }
        Aggregator aggregator = new Aggregator(config);
        CompletableFuture<Void> closed = new CompletableFuture<>();
        Thread hook = new Thread(
                () -> {
                    aggregator.close();
                    closed.complete(null);
                },
                "kbench-aggregator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            aggregator.start();
        } catch (RuntimeException e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            aggregator.close();
            err.println("kbench aggregator: cannot start: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return EXIT_FAILED;
        }
        spec.commandLine()
                .getOut()
                .printf(
                        "kbench aggregator %s running on %s (prefix %s, metrics port %d); stop with Ctrl-C%n",
                        config.memberId(), config.bootstrapServers(), config.topicPrefix(), aggregator.metricsPort());
        spec.commandLine().getOut().flush();
        CompletableFuture.anyOf(closed, aggregator.failed()).join();
        if (aggregator.failed().isDone() && !closed.isDone()) {
            Runtime.getRuntime().removeShutdownHook(hook);
            aggregator.close();
            spec.commandLine().getErr().println("kbench aggregator: Kafka Streams failed; see the log above");
            return EXIT_FAILED;
        }
        return 0;
    }

    AggregatorConfig config() throws IOException {
        AggregatorConfig config = AggregatorConfig.of(bootstrapServer)
                .withClientConfig(KafkaClients.readCommandConfig(commandConfig))
                .withTopicPrefix(topicPrefix)
                .withStateDir(stateDir)
                .withMemberId(memberId)
                .withMetricsPort(metricsPort)
                .withCommitInterval(Duration.ofMillis(commitIntervalMs))
                .withCheckpointInterval(Duration.ofMillis(checkpointIntervalMs))
                .withSecret(secretFile == null ? null : ControlSigner.fromFile(secretFile));
        if (requireSigned && config.secret().isEmpty()) {
            throw new IllegalArgumentException("requireSigned is set but there is no secret (--secret-file): this"
                    + " aggregator would act on anything written to "
                    + config.topics().control());
        }
        return config;
    }

    /** Parses the arguments only, for tests of the options. */
    static AggregatorConfig parse(String... args) throws IOException {
        AggregatorCommand command = new AggregatorCommand();
        new CommandLine(command).parseArgs(args);
        return command.config();
    }
}
