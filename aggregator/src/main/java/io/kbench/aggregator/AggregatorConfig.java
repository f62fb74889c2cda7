package io.kbench.aggregator;

import io.kbench.aggregator.topology.AggregatorTopology.Settings;
import io.kbench.protocol.security.ControlSigner;
import io.kbench.protocol.topic.KbenchTopics;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Settings of one aggregator instance. Instances with the same {@code applicationId} share the work by
 * partitions; each needs its own {@code stateDir} and {@code memberId}.
 *
 * @param bootstrapServers the control cluster, where kbench's own topics live
 * @param clientConfig Kafka client settings for every client (TLS/SASL from {@code --command-config}); Streams
 *     settings may be given here too and override the defaults below
 * @param topicPrefix the prefix of kbench's topics ({@code kbench})
 * @param applicationId the Streams application id; {@code <topicPrefix>-aggregator} by default
 * @param stateDir where the local state stores live
 * @param memberId this instance's id in the registry
 * @param metricsPort port of the Prometheus endpoint; 0 takes a free port, -1 serves none
 * @param windowGrace a window closes this long after its end in wall-clock time (or as soon as all agents
 *     reported past it)
 * @param runGrace a run without every agent's last report ends INCOMPLETE this long after its deadline
 * @param stopGrace after a StopRun, how long the agents' last reports are waited for
 * @param punctuationInterval how often windows and deadlines are checked against the wall clock
 * @param commitInterval the exactly-once commit interval, which bounds how soon output becomes visible
 * @param checkpointInterval how often a run that only received reports is checkpointed: longer costs less, and
 *     leaves more reports for a successor to read back from the metrics topic after a crash
 * @param heartbeatInterval how often this member heartbeats into the registry
 * @param finishedSeriesTtl how long a finished run's gauges stay
 * @param secret the shared secret ({@code --secret-file}): when present, only signed control records are acted on
 */
public record AggregatorConfig(
        String bootstrapServers,
        Map<String, String> clientConfig,
        String topicPrefix,
        String applicationId,
        Path stateDir,
        String memberId,
        int metricsPort,
        Duration windowGrace,
        Duration runGrace,
        Duration stopGrace,
        Duration punctuationInterval,
        Duration commitInterval,
        Duration checkpointInterval,
        Duration heartbeatInterval,
        Duration finishedSeriesTtl,
        Optional<ControlSigner> secret) {

    public static final int DEFAULT_METRICS_PORT = 9404;

    public AggregatorConfig {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException(
                    "bootstrapServers must be host:port[,host:port…], got '" + bootstrapServers + "'");
        }
        clientConfig = clientConfig == null ? Map.of() : Map.copyOf(clientConfig);
        topicPrefix = topicPrefix == null ? KbenchTopics.DEFAULT_PREFIX : topicPrefix;
        new KbenchTopics(topicPrefix); // validates the prefix with its own message
        applicationId = applicationId == null ? topicPrefix + "-aggregator" : applicationId;
        memberId = memberId == null ? defaultMemberId() : memberId;
        stateDir = stateDir == null
                ? Path.of(System.getProperty("java.io.tmpdir"), "kbench-aggregator", memberId)
                : stateDir;
        if (metricsPort < -1 || metricsPort > 65535) {
            throw new IllegalArgumentException(
                    "metricsPort must be -1 (none), 0 (any free) or a port, got " + metricsPort);
        }
        // The topology's defaults, not a second copy of them.
        windowGrace = orDefault(windowGrace, Settings.DEFAULT_WINDOW_GRACE);
        runGrace = orDefault(runGrace, Settings.DEFAULT_RUN_GRACE);
        stopGrace = orDefault(stopGrace, Settings.DEFAULT_STOP_GRACE);
        punctuationInterval = orDefault(punctuationInterval, Settings.DEFAULT_PUNCTUATION_INTERVAL);
        commitInterval = orDefault(commitInterval, Duration.ofMillis(100));
        checkpointInterval = orDefault(checkpointInterval, Settings.DEFAULT_CHECKPOINT_INTERVAL);
        heartbeatInterval = orDefault(heartbeatInterval, Duration.ofSeconds(2));
        finishedSeriesTtl = orDefault(finishedSeriesTtl, Duration.ofMinutes(2));
        secret = secret == null ? Optional.empty() : secret;
        requirePositive("punctuationInterval", punctuationInterval);
        requirePositive("commitInterval", commitInterval);
        requirePositive("checkpointInterval", checkpointInterval);
        requirePositive("heartbeatInterval", heartbeatInterval);
    }

    /** Defaults for everything but the bootstrap servers. */
    public static AggregatorConfig of(String bootstrapServers) {
        return new AggregatorConfig(
                bootstrapServers,
                null,
                null,
                null,
                null,
                null,
                DEFAULT_METRICS_PORT,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    public KbenchTopics topics() {
        return new KbenchTopics(topicPrefix);
    }

    public AggregatorConfig withClientConfig(Map<String, String> value) {
        Fields f = fields();
        f.clientConfig = value;
        return f.build();
    }

    /** Also resets the application id to the prefix's default. */
    public AggregatorConfig withTopicPrefix(String value) {
        Fields f = fields();
        f.topicPrefix = value;
        f.applicationId = null;
        return f.build();
    }

    public AggregatorConfig withApplicationId(String value) {
        Fields f = fields();
        f.applicationId = value;
        return f.build();
    }

    public AggregatorConfig withStateDir(Path value) {
        Fields f = fields();
        f.stateDir = value;
        return f.build();
    }

    public AggregatorConfig withMemberId(String value) {
        Fields f = fields();
        f.memberId = value;
        return f.build();
    }

    public AggregatorConfig withMetricsPort(int value) {
        Fields f = fields();
        f.metricsPort = value;
        return f.build();
    }

    public AggregatorConfig withGraces(Duration window, Duration run, Duration stop) {
        Fields f = fields();
        f.windowGrace = window;
        f.runGrace = run;
        f.stopGrace = stop;
        return f.build();
    }

    public AggregatorConfig withCommitInterval(Duration value) {
        Fields f = fields();
        f.commitInterval = value;
        return f.build();
    }

    public AggregatorConfig withCheckpointInterval(Duration value) {
        Fields f = fields();
        f.checkpointInterval = value;
        return f.build();
    }

    /** With a shared secret: control records that are not signed with it are ignored and counted. */
    public AggregatorConfig withSecret(ControlSigner value) {
        Fields f = fields();
        f.secret = Optional.ofNullable(value);
        return f.build();
    }

    private Fields fields() {
        return new Fields(this);
    }

    /**
     * This config's fields, to change a few: records have no {@code with}, and one copy here replaces a copy of the
     * 16-argument constructor in every {@code withX}. {@link #build} goes through the compact constructor, so the
     * result is validated and defaulted like any other.
     */
    private static final class Fields {
        private final String bootstrapServers;
        private Map<String, String> clientConfig;
        private String topicPrefix;
        private String applicationId;
        private Path stateDir;
        private String memberId;
        private int metricsPort;
        private Duration windowGrace;
        private Duration runGrace;
        private Duration stopGrace;
        private final Duration punctuationInterval;
        private Duration commitInterval;
        private Duration checkpointInterval;
        private final Duration heartbeatInterval;
        private final Duration finishedSeriesTtl;
        private Optional<ControlSigner> secret;

        private Fields(AggregatorConfig c) {
            bootstrapServers = c.bootstrapServers;
            clientConfig = c.clientConfig;
            topicPrefix = c.topicPrefix;
            applicationId = c.applicationId;
            stateDir = c.stateDir;
            memberId = c.memberId;
            metricsPort = c.metricsPort;
            windowGrace = c.windowGrace;
            runGrace = c.runGrace;
            stopGrace = c.stopGrace;
            punctuationInterval = c.punctuationInterval;
            commitInterval = c.commitInterval;
            checkpointInterval = c.checkpointInterval;
            heartbeatInterval = c.heartbeatInterval;
            finishedSeriesTtl = c.finishedSeriesTtl;
            secret = c.secret;
        }

        private AggregatorConfig build() {
            return new AggregatorConfig(
                    bootstrapServers,
                    clientConfig,
                    topicPrefix,
                    applicationId,
                    stateDir,
                    memberId,
                    metricsPort,
                    windowGrace,
                    runGrace,
                    stopGrace,
                    punctuationInterval,
                    commitInterval,
                    checkpointInterval,
                    heartbeatInterval,
                    finishedSeriesTtl,
                    secret);
        }
    }

    /**
     * Without a secret, the one line the aggregator says at start-up about whom it trusts; empty when signed. The
     * worker's wording, so operators read one rule.
     */
    public Optional<String> unsignedWarning() {
        if (secret.isPresent()) {
            return Optional.empty();
        }
        return Optional.of("aggregator " + memberId + " runs UNSIGNED (no --secret-file): it trusts everyone who can"
                + " write " + topics().control() + " on " + bootstrapServers + " to start and stop runs;"
                + " protect that topic with ACLs, or use --secret-file and --require-signed");
    }

    private static Duration orDefault(Duration value, Duration fallback) {
        return value == null ? fallback : value;
    }

    private static void requirePositive(String field, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be > 0, got " + value);
        }
    }

    private static String defaultMemberId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return "aggregator-" + host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }
}
