package io.kbench.worker;

import io.kbench.protocol.AgentIo;
import io.kbench.protocol.security.ControlSigner;
import io.kbench.protocol.topic.KbenchTopics;
import io.kbench.worker.control.ClientConfigPolicy;
import io.kbench.worker.control.GlobPattern;
import io.kbench.worker.control.PayloadDirectory;
import io.kbench.worker.supervise.ControlCluster;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything a worker daemon needs to run. Built by {@link WorkerCommand} from its options, or by the controller
 * when it embeds a daemon in {@code kbench local}.
 *
 * @param bootstrapServers the control cluster, where kbench's own topics live
 * @param clientConfig Kafka client settings for the control cluster ({@code --command-config}: TLS, SASL)
 * @param topicPrefix prefix of kbench's topics ({@code kbench})
 * @param workerId this daemon's id in the registry and in assignments; letters, digits, {@code . _ -}
 * @param maxAgents how many agents (tasks, not JVMs) may run at once; an assignment that would exceed it is
 *     rejected with {@code OVER_CAPACITY}
 * @param secret when present, control records must be signed with it; unsigned, mis-signed, replayed and expired
 *     ones are refused
 * @param allowedTargets bootstrap servers agents may load; each server of a task must match one pattern
 * @param allowedJvmOptions JVM options an assignment may ask for; each must match one pattern
 * @param metricsPort port of the Prometheus endpoint ({@code /metrics}, {@code /health}); 0 takes a free port, -1 serves
 *     none
 * @param logDir agents' output files ({@code <logDir>/<runId>/…}) and pid files ({@code <logDir>/pids/<workerId>})
 * @param heartbeatInterval how often the registry hears from this daemon
 * @param stopGrace how long a stopped agent gets to exit on its own before it is destroyed, and again before it is
 *     killed forcibly
 * @param payloadDir the only directory agents may read payload files from ({@code --payload-dir}); {@code null}:
 *     {@value #DEFAULT_PAYLOAD_DIR} in the working directory; empty: payload files are refused
 * @param targetClientConfig Kafka client settings for the cluster under test ({@code --client-config}: TLS, SASL,
 *     interceptors), merged over every task's settings; the only source of class-, file- and credential-valued
 *     settings
 * @param allowedClientConfig client settings an assignment may set; {@code null}: {@link
 *     ClientConfigPolicy#DEFAULT_ALLOWED}. Forbidden keys ({@link ClientConfigPolicy#FORBIDDEN}) stay forbidden
 * @param requireSigned refuse to start without a secret ({@code --require-signed})
 * @param agentMetadataTimeout how long each agent waits for its topics' metadata, counted from when it first asks
 *     ({@code --agent-metadata-timeout}); {@code null}: {@link AgentIo#DEFAULT_METADATA_TIMEOUT_MS}
 * @param warmAgents the most warm agent JVMs this daemon keeps booted for its next run ({@code --warm-agents}; it keeps
 *     as many as it started default agent JVMs for the run before, at most this); 0 keeps none. The builder's
 *     default is 0 (a daemon embedded in tests or in a single {@code kbench local} run has no next run); {@code
 *     kbench worker}'s is {@value #DEFAULT_WARM_AGENTS}
 * @param clockSkew for tests ({@code --clock-skew-ms}): added to this daemon's clock probes and its agents' clocks,
 *     to play a host whose clock is off; {@code null}: none. At most {@link #MAX_CLOCK_SKEW} either way
 * @param classDataDir where the agents' class-data archive is trained and kept (owner-only); {@code null}: {@code
 *     <logDir>/cds}. {@code kbench local} keeps it in the user's cache beside its own JVM's, so a run from any
 *     directory finds it
 */
public record WorkerConfig(
        String bootstrapServers,
        Map<String, String> clientConfig,
        String topicPrefix,
        String workerId,
        int maxAgents,
        Optional<ControlSigner> secret,
        List<GlobPattern> allowedTargets,
        List<GlobPattern> allowedJvmOptions,
        int metricsPort,
        Path logDir,
        Duration heartbeatInterval,
        Duration stopGrace,
        Optional<Path> payloadDir,
        Map<String, String> targetClientConfig,
        List<GlobPattern> allowedClientConfig,
        boolean requireSigned,
        Duration agentMetadataTimeout,
        int warmAgents,
        Duration clockSkew,
        Path classDataDir) {

    /** The largest {@code clockSkew}, either way: a test option, not a clock. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(10);

    /** Agents per core by default: agents mostly wait on a paced rate limiter; lower it for max-rate runs. */
    public static final int DEFAULT_AGENTS_PER_CORE = 8;

    /** {@code kbench worker}'s {@code --warm-agents}: the most warm agent JVMs it keeps for the next run. */
    public static final int DEFAULT_WARM_AGENTS = 16;

    /** The largest {@code --warm-agents}. */
    public static final int MAX_WARM_AGENTS = 256;

    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(2);
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(5);

    /**
     * Payload files come from here by default, relative to the working directory: where kbench ships OMB's payload
     * files ({@code payload/} of the repository and of the image), so {@code kbench local} and a worker started
     * beside them need no option.
     */
    public static final String DEFAULT_PAYLOAD_DIR = "payload";

    /**
     * JVM options allowed by default: heap and stack sizes, the choice of collector and a few of its tunings.
     * Nothing that loads code ({@code -javaagent}, {@code -agentlib}), reads files ({@code @argfiles}) or sets
     * system properties.
     */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of(
            "-Xmx*",
            "-Xms*",
            "-Xss*",
            "-Xmn*",
            "-XX:+UseParallelGC",
            "-XX:+UseG1GC",
            "-XX:+UseSerialGC",
            "-XX:+UseZGC",
            "-XX:+AlwaysPreTouch",
            "-XX:MaxGCPauseMillis=*",
            "-XX:ParallelGCThreads=*",
            "-XX:ActiveProcessorCount=*",
            "-XX:MaxDirectMemorySize=*",
            "-XX:TieredStopAtLevel=*");

    private static final Pattern WORKER_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    public WorkerConfig {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers must not be blank, got '" + bootstrapServers + "'");
        }
        clientConfig = clientConfig == null ? Map.of() : Map.copyOf(clientConfig);
        topicPrefix = new KbenchTopics(topicPrefix == null ? KbenchTopics.DEFAULT_PREFIX : topicPrefix).prefix();
        workerId = workerId == null ? defaultWorkerId() : workerId;
        if (!WORKER_ID.matcher(workerId).matches()) {
            throw new IllegalArgumentException(
                    "workerId must be 1-200 characters of a-z, A-Z, 0-9, '.', '_', '-', got '" + workerId + "'");
        }
        if (maxAgents < 1) {
            throw new IllegalArgumentException("maxAgents must be >= 1, got " + maxAgents);
        }
        secret = secret == null ? Optional.empty() : secret;
        allowedTargets = allowedTargets == null || allowedTargets.isEmpty()
                ? serversOf(bootstrapServers)
                : List.copyOf(allowedTargets);
        allowedJvmOptions = allowedJvmOptions == null
                ? DEFAULT_JVM_OPTIONS.stream().map(GlobPattern::option).toList()
                : List.copyOf(allowedJvmOptions);
        if (metricsPort < -1 || metricsPort > 65535) {
            throw new IllegalArgumentException(
                    "metricsPort must be -1 (none), 0 (a free port) or 1-65535, got " + metricsPort);
        }
        logDir = logDir == null ? defaultLogDir() : logDir;
        classDataDir = classDataDir == null ? logDir.resolve("cds") : classDataDir;
        heartbeatInterval = heartbeatInterval == null ? DEFAULT_HEARTBEAT_INTERVAL : heartbeatInterval;
        if (heartbeatInterval.toMillis() < 100) {
            throw new IllegalArgumentException("heartbeatInterval must be >= 100 ms, got " + heartbeatInterval);
        }
        stopGrace = stopGrace == null ? DEFAULT_STOP_GRACE : stopGrace;
        if (stopGrace.isNegative() || stopGrace.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("stopGrace must be between 0 and 5 minutes, got " + stopGrace);
        }
        payloadDir = payloadDir == null
                ? Optional.of(Path.of(DEFAULT_PAYLOAD_DIR).toAbsolutePath())
                : payloadDir.map(dir -> dir.toAbsolutePath().normalize());
        targetClientConfig = targetClientConfig == null ? Map.of() : Map.copyOf(targetClientConfig);
        if (targetClientConfig.containsKey("bootstrap.servers")) {
            throw new IllegalArgumentException("targetClientConfig must not set bootstrap.servers (each task names"
                    + " its cluster, limited by allowedTargets), got keys " + targetClientConfig.keySet());
        }
        allowedClientConfig =
                allowedClientConfig == null ? ClientConfigPolicy.defaultAllowed() : List.copyOf(allowedClientConfig);
        agentMetadataTimeout = agentMetadataTimeout == null
                ? Duration.ofMillis(AgentIo.DEFAULT_METADATA_TIMEOUT_MS)
                : agentMetadataTimeout;
        if (agentMetadataTimeout.compareTo(Duration.ofSeconds(1)) < 0
                || agentMetadataTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException(
                    "agentMetadataTimeout must be between 1 s and 10 minutes, got " + agentMetadataTimeout);
        }
        if (warmAgents < 0 || warmAgents > MAX_WARM_AGENTS) {
            throw new IllegalArgumentException(
                    "warmAgents (--warm-agents) must be between 0 and " + MAX_WARM_AGENTS + ", got " + warmAgents);
        }
        clockSkew = clockSkew == null ? Duration.ZERO : clockSkew;
        if (clockSkew.abs().compareTo(MAX_CLOCK_SKEW) > 0) {
            throw new IllegalArgumentException("clockSkew must be within ± " + MAX_CLOCK_SKEW.toMinutes()
                    + " minutes, got " + clockSkew.toMillis() + " ms");
        }
        if (requireSigned && secret.isEmpty()) {
            throw new IllegalArgumentException("requireSigned is set but there is no secret (--secret-file): this"
                    + " worker would act on anything written to " + new KbenchTopics(topicPrefix).control());
        }
    }

    public ClientConfigPolicy clientConfigPolicy() {
        return new ClientConfigPolicy(allowedClientConfig, targetClientConfig);
    }

    public PayloadDirectory payloadDirectory() {
        return new PayloadDirectory(payloadDir);
    }

    /**
     * Without a secret, the one line a daemon says at start-up about whom it trusts; empty when signed. A single
     * line on purpose: visible in every log without drowning it.
     */
    public Optional<String> unsignedWarning() {
        if (secret.isPresent()) {
            return Optional.empty();
        }
        return Optional.of("worker " + workerId + " runs UNSIGNED (no --secret-file): it trusts everyone who can"
                + " write " + topics().control() + " on " + bootstrapServers + " to start agents within its limits;"
                + " protect that topic with ACLs, or use --secret-file and --require-signed");
    }

    public static int defaultMaxAgents() {
        return Runtime.getRuntime().availableProcessors() * DEFAULT_AGENTS_PER_CORE;
    }

    public static String defaultWorkerId() {
        try {
            String host = InetAddress.getLocalHost().getHostName();
            return host.replaceAll("[^A-Za-z0-9._-]", "-");
        } catch (UnknownHostException e) {
            // No resolvable host name (a bare container): the operator should name the worker; this still works.
            return "worker-" + ProcessHandle.current().pid();
        }
    }

    /** One exact pattern per server of a comma-separated list. */
    public static List<GlobPattern> serversOf(String bootstrapServers) {
        return Arrays.stream(bootstrapServers.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(s -> GlobPattern.server(s.replace("*", "")))
                .toList();
    }

    public KbenchTopics topics() {
        return new KbenchTopics(topicPrefix);
    }

    /** The control topic's consumer group of this daemon, so each worker sees every control record. */
    public String consumerGroup() {
        return ControlCluster.workerGroup(topicPrefix, workerId);
    }

    /** Client settings may hold credentials: only their keys are shown. */
    @Override
    public String toString() {
        return "WorkerConfig[bootstrapServers=" + bootstrapServers + ", clientConfigKeys=" + clientConfig.keySet()
                + ", topicPrefix=" + topicPrefix + ", workerId=" + workerId + ", maxAgents=" + maxAgents
                + ", signed=" + secret.isPresent() + ", allowedTargets=" + allowedTargets + ", allowedJvmOptions="
                + allowedJvmOptions + ", metricsPort=" + metricsPort + ", logDir=" + logDir
                + ", heartbeatInterval=" + heartbeatInterval + ", stopGrace=" + stopGrace + ", payloadDir="
                + payloadDir.map(Path::toString).orElse("none") + ", targetClientConfigKeys="
                + targetClientConfig.keySet() + ", allowedClientConfig=" + allowedClientConfig + ", requireSigned="
                + requireSigned + ", agentMetadataTimeout=" + agentMetadataTimeout + ", warmAgents=" + warmAgents
                + (clockSkew.isZero() ? "" : ", clockSkew=" + clockSkew.toMillis() + " ms") + "]";
    }

    public static Builder builder(String bootstrapServers) {
        return new Builder(bootstrapServers);
    }

    /** Builds a {@link WorkerConfig}; anything not set takes its default. */
    public static final class Builder {
        private final String bootstrapServers;
        private Map<String, String> clientConfig;
        private String topicPrefix;
        private String workerId;
        private int maxAgents = defaultMaxAgents();
        private ControlSigner secret;
        private List<GlobPattern> allowedTargets;
        private List<GlobPattern> allowedJvmOptions;
        private int metricsPort = -1;
        private Path logDir;
        private Duration heartbeatInterval;
        private Duration stopGrace;
        private Optional<Path> payloadDir;
        private Map<String, String> targetClientConfig;
        private List<GlobPattern> allowedClientConfig;
        private boolean requireSigned;
        private Duration agentMetadataTimeout;
        private int warmAgents;
        private Path classDataDir;
        private Duration clockSkew;

        private Builder(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
        }

        public Builder clientConfig(Map<String, String> value) {
            this.clientConfig = value;
            return this;
        }

        public Builder topicPrefix(String value) {
            this.topicPrefix = value;
            return this;
        }

        public Builder workerId(String value) {
            this.workerId = value;
            return this;
        }

        public Builder maxAgents(int value) {
            this.maxAgents = value;
            return this;
        }

        public Builder secret(ControlSigner value) {
            this.secret = value;
            return this;
        }

        /** Patterns of bootstrap servers ({@code *} allowed); empty or null: only the control cluster. */
        public Builder allowedTargets(List<String> patterns) {
            this.allowedTargets = patterns == null
                    ? null
                    : patterns.stream().map(GlobPattern::server).toList();
            return this;
        }

        /** Patterns of JVM options ({@code -Xmx*}); null: {@link #DEFAULT_JVM_OPTIONS}. */
        public Builder allowedJvmOptions(List<String> patterns) {
            this.allowedJvmOptions = patterns == null
                    ? null
                    : patterns.stream().map(GlobPattern::option).toList();
            return this;
        }

        public Builder metricsPort(int value) {
            this.metricsPort = value;
            return this;
        }

        public Builder logDir(Path value) {
            this.logDir = value;
            return this;
        }

        public Builder heartbeatInterval(Duration value) {
            this.heartbeatInterval = value;
            return this;
        }

        public Builder stopGrace(Duration value) {
            this.stopGrace = value;
            return this;
        }

        /** The only directory payload files may come from; {@code null}: no payload files at all. */
        public Builder payloadDir(Path value) {
            this.payloadDir = Optional.ofNullable(value);
            return this;
        }

        /** Client settings for the cluster under test, merged over every task's; they win. */
        public Builder targetClientConfig(Map<String, String> value) {
            this.targetClientConfig = value;
            return this;
        }

        /** Extra client setting patterns an assignment may set, on top of the default allow list. */
        public Builder allowClientConfig(List<String> patterns) {
            this.allowedClientConfig = ClientConfigPolicy.allowList(patterns);
            return this;
        }

        public Builder requireSigned(boolean value) {
            this.requireSigned = value;
            return this;
        }

        /** How long each agent waits for metadata from when it first asks; null: the default. */
        public Builder agentMetadataTimeout(Duration value) {
            this.agentMetadataTimeout = value;
            return this;
        }

        /** The most warm agent JVMs kept for the next run; 0 (the builder's default) keeps none. */
        public Builder warmAgents(int value) {
            this.warmAgents = value;
            return this;
        }

        /** Where the agents' class-data archive is kept; null (the default): {@code <logDir>/cds}. */
        public Builder classDataDir(Path value) {
            this.classDataDir = value;
            return this;
        }

        /** For tests: skews this daemon's clock probes and its agents' clocks; null: none. */
        public Builder clockSkew(Duration value) {
            this.clockSkew = value;
            return this;
        }

        public WorkerConfig build() {
            return new WorkerConfig(
                    bootstrapServers,
                    clientConfig,
                    topicPrefix,
                    workerId,
                    maxAgents,
                    Optional.ofNullable(secret),
                    allowedTargets,
                    allowedJvmOptions,
                    metricsPort,
                    logDir,
                    heartbeatInterval,
                    stopGrace,
                    payloadDir,
                    targetClientConfig,
                    allowedClientConfig,
                    requireSigned,
                    agentMetadataTimeout,
                    warmAgents,
                    clockSkew,
                    classDataDir);
        }
    }

    private static Path defaultLogDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "kbench-worker");
    }
}
