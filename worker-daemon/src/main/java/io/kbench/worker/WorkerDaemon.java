package io.kbench.worker;

import io.kbench.protocol.AgentIo;
import io.kbench.protocol.KafkaClients;
import io.kbench.protocol.KbenchVersion;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.ClockOffset;
import io.kbench.protocol.message.MemberHealth;
import io.kbench.protocol.message.MemberHeartbeat;
import io.kbench.protocol.message.MemberRole;
import io.kbench.protocol.registry.Heartbeater;
import io.kbench.protocol.security.SignatureVerifier;
import io.kbench.protocol.topic.KbenchTopics;
import io.kbench.protocol.topic.TopicEnsurer;
import io.kbench.worker.clock.ClockProbe;
import io.kbench.worker.clock.HostClock;
import io.kbench.worker.control.AssignmentValidator;
import io.kbench.worker.control.ControlLoop;
import io.kbench.worker.control.ControlRouter;
import io.kbench.worker.events.KafkaEventSink;
import io.kbench.worker.metrics.JvmMeters;
import io.kbench.worker.metrics.MetricsServer;
import io.kbench.worker.metrics.WorkerMeters;
import io.kbench.worker.supervise.AgentClassData;
import io.kbench.worker.supervise.AgentCommandLine;
import io.kbench.worker.supervise.AgentStartup;
import io.kbench.worker.supervise.AgentSupervisor;
import io.kbench.worker.supervise.AgentTraining;
import io.kbench.worker.supervise.ControlCluster;
import io.kbench.worker.supervise.PidFiles;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The always-on worker daemon of one host: registers itself by heartbeat, takes its assignments from the
 * control topic and supervises the agent JVMs it starts for them (see {@code README.md} of this module).
 *
 * <pre>{@code
 * try (WorkerDaemon daemon = new WorkerDaemon(WorkerConfig.builder("localhost:9092").build())) {
 *     daemon.start();
 *     ... // runs until closed
 * }
 * }</pre>
 *
 * {@link #close()} stops every agent (politely, then by force, bounded) and removes the worker from the registry.
 */
public final class WorkerDaemon implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(WorkerDaemon.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

    private final WorkerConfig config;
    private final MessageCodec codec;
    private final AgentCommandLine commandLine;
    private final PrometheusMeterRegistry meterRegistry = JvmMeters.newRegistry();
    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
    private final String hostName = lookUpHostName();
    private volatile AgentSupervisor supervisor;
    private volatile Heartbeater heartbeater;
    private volatile ControlLoop controlLoop;
    private volatile ClockProbe clockProbe;
    private final WorkerHealth health = new WorkerHealth();
    private WorkerMeters meters;
    private MetricsServer metricsServer;
    private long startedAt;
    private boolean started;
    private boolean closed;

    public WorkerDaemon(WorkerConfig config) {
        this(config, Clock.systemUTC(), AgentCommandLine.forThisJvm());
    }

    /** For tests and embedding: an own clock, or a stand-in agent main class. */
    public WorkerDaemon(WorkerConfig config, Clock clock, AgentCommandLine commandLine) {
        this.config = config;
        this.codec = new MessageCodec(clock);
        this.commandLine = commandLine;
    }

    public WorkerConfig config() {
        return config;
    }

    /**
     * Reaps leftover agents, ensures the topics, starts reading the control topic at its end, then heartbeats:
     * once the registry shows this worker, it hears every control record. Fails with a message naming the
     * cluster when it cannot reach it.
     */
    public synchronized void start() throws InterruptedException, TimeoutException {
        if (started) {
            throw new IllegalStateException("worker " + config.workerId() + " is already started");
        }
        started = true;
        startedAt = codec.clock().millis();
        config.unsignedWarning().ifPresent(LOGGER::warn);
        logPayloadDir();
        KbenchTopics topics = config.topics();
        PidFiles pidFiles =
                new PidFiles(config.logDir().resolve("pids").resolve(config.workerId()), AgentIo.AGENT_MAIN_CLASS);
        try {
            Files.createDirectories(config.logDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create log dir " + config.logDir() + ": " + e.getMessage(), e);
        }
        // Metrics first: Prometheus sees the daemon (JVM, counters at 0) while it reaches its cluster, and /health
        // says whether it has joined the registry yet.
        meters = new WorkerMeters(
                meterRegistry, config.workerId(), this::runningAgents, this::heartbeatAgeSeconds, this::warmAgents);
        JvmMeters jvm = new JvmMeters(meterRegistry);
        toClose.push(jvm);
        if (config.metricsPort() >= 0) {
            metricsServer = MetricsServer.start(meterRegistry, config.metricsPort(), this::healthy);
            toClose.push(metricsServer);
        }
        int reaped = pidFiles.reap();
        if (reaped > 0) {
            LOGGER.warn("killed {} leftover agent JVMs of an earlier run of worker {}", reaped, config.workerId());
        }
        ensureTopics(topics);
        ClockProbe clockProbe = new ClockProbe(
                        config.bootstrapServers(),
                        config.clientConfig(),
                        topics.clock(),
                        config.workerId(),
                        config.clockSkew())
                .start();
        this.clockProbe = clockProbe;
        toClose.push(clockProbe);

        KafkaProducer<String, byte[]> producer =
                KafkaClients.controlProducer(config.bootstrapServers(), config.clientConfig());
        toClose.push(() -> producer.close(Duration.ofSeconds(5)));
        KafkaEventSink events = new KafkaEventSink(producer, topics.events(), codec);
        // Only the real agent trains an archive (tests start stand-ins on their own class path).
        AgentClassData classData = commandLine.mainClass().equals(AgentIo.AGENT_MAIN_CLASS)
                ? AgentClassData.in(config.classDataDir(), commandLine.javaExecutable(), commandLine.classPath())
                : AgentClassData.none();
        // In the background: agents started before the archive is ready start without it.
        classData.prepare(new AgentTraining(commandLine, codec, config.workerId())::training);
        AgentSupervisor agents = new AgentSupervisor(
                config.workerId(),
                commandLine,
                new ControlCluster(
                        config.bootstrapServers(),
                        config.clientConfig(),
                        config.topicPrefix(),
                        new HostClock(clockProbe::current, config.clockSkew().toNanos() / 1_000L)),
                config.logDir(),
                pidFiles,
                config.stopGrace(),
                events,
                codec,
                meters,
                new AgentStartup(classData, config.agentMetadataTimeout(), config.warmAgents()));
        supervisor = agents;
        toClose.push(agents);

        ControlRouter router = new ControlRouter(
                config.workerId(),
                codec,
                config.secret().map(signer -> new SignatureVerifier(signer, codec.clock())),
                new AssignmentValidator(
                        config.allowedTargets(),
                        config.allowedJvmOptions(),
                        config.clientConfigPolicy(),
                        config.payloadDirectory(),
                        config.maxAgents(),
                        codec.clock()),
                agents,
                events,
                meters);
        ControlLoop loop =
                new ControlLoop(controlConsumer(), topics.control(), router, config.workerId(), codec.clock());
        toClose.push(loop);
        loop.start(STARTUP_TIMEOUT);
        controlLoop = loop;

        heartbeater = new Heartbeater(
                producer, topics.registry(), config.workerId(), this::heartbeat, config.heartbeatInterval(), codec);
        toClose.push(heartbeater);
        LOGGER.info("worker started: {}", config);
    }

    /** Agents (tasks) whose JVM is alive. */
    public int runningAgents() {
        AgentSupervisor agents = supervisor;
        return agents == null ? 0 : agents.runningAgents();
    }

    /** Warm agent JVMs waiting for the next run. */
    public int warmAgents() {
        AgentSupervisor agents = supervisor;
        return agents == null ? 0 : agents.warmAgents();
    }

    /** The supervisor, for tests and for {@code kbench local}'s status; empty before {@link #start()}. */
    public Optional<AgentSupervisor> supervisor() {
        return Optional.ofNullable(supervisor);
    }

    public PrometheusMeterRegistry meterRegistry() {
        return meterRegistry;
    }

    public Optional<WorkerMeters> meters() {
        return Optional.ofNullable(meters);
    }

    /** The bound metrics port, when the endpoint is on. */
    public Optional<Integer> metricsPort() {
        return Optional.ofNullable(metricsServer).map(MetricsServer::port);
    }

    /**
     * Stops reading control records, stops every agent (bounded, see {@link AgentSupervisor#close()}), writes
     * the registry tombstone, and closes the clients. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOGGER.info("worker stopping: workerId={} runningAgents={}", config.workerId(), runningAgents());
        // Reverse order of start: metrics, heartbeat (tombstone), control loop, agents, producer.
        // The heartbeat stops before the agents so the registry drops this worker at once; the producer goes
        // last so the agents' exit events are still published.
        while (!toClose.isEmpty()) {
            AutoCloseable resource = toClose.pop();
            try {
                resource.close();
            } catch (Exception e) {
                LOGGER.warn("closing {} failed: {}", resource.getClass().getSimpleName(), e.toString());
            }
        }
        meterRegistry.close();
        LOGGER.info("worker stopped: workerId={}", config.workerId());
    }

    /** Says once whether payload files can work here, so a refused one later is no surprise. */
    private void logPayloadDir() {
        if (config.payloadDir().isEmpty()) {
            LOGGER.info("no payload directory: assignments naming a payload file are rejected");
        } else if (!Files.isDirectory(config.payloadDir().get())) {
            LOGGER.warn(
                    "payload directory missing, assignments naming a payload file are rejected until it exists:"
                            + " payloadDir={}",
                    config.payloadDir().get());
        } else {
            LOGGER.info(
                    "payload files only from payloadDir={}", config.payloadDir().get());
        }
    }

    private void ensureTopics(KbenchTopics topics) throws InterruptedException, TimeoutException {
        try (Admin admin = Admin.create(KafkaClients.base(config.bootstrapServers(), config.clientConfig()))) {
            TopicEnsurer.Report report = new TopicEnsurer(admin, STARTUP_TIMEOUT).ensure(topics.all());
            if (!report.created().isEmpty()) {
                LOGGER.info("created topics {}", report.created());
            }
            report.conflicts().forEach(conflict -> LOGGER.warn("topic conflict: {}", conflict));
        }
    }

    private KafkaConsumer<String, byte[]> controlConsumer() {
        Map<String, Object> props = new HashMap<>(KafkaClients.base(config.bootstrapServers(), config.clientConfig()));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumerGroup());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "kbench-worker-" + config.workerId());
        props.putIfAbsent(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true");
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private MemberHeartbeat heartbeat() {
        return new MemberHeartbeat(
                config.workerId(),
                MemberRole.WORKER,
                hostName,
                Runtime.getRuntime().availableProcessors(),
                memoryBytes(),
                config.maxAgents(),
                runningAgents(),
                KbenchVersion.get(),
                startedAt,
                config.heartbeatInterval().toMillis(),
                health(),
                clockOffset().orElse(null));
    }

    /** This host's clock offset against the control cluster, once estimated. */
    public Optional<ClockOffset> clockOffset() {
        ClockProbe probe = clockProbe;
        return probe == null ? Optional.empty() : probe.current();
    }

    /** What the heartbeat says of this worker's control loop and agents (see {@link WorkerHealth}). */
    public MemberHealth health() {
        long now = codec.clock().millis();
        ControlLoop loop = controlLoop;
        AgentSupervisor agents = supervisor;
        return health.at(
                now,
                loop == null ? Optional.empty() : loop.problem(now),
                agents == null ? Optional.empty() : agents.startFailure(),
                meters == null ? 0 : (int) meters.failedCount());
    }

    /**
     * What {@code /health} answers: a heartbeat was sent within three intervals, so the registry lists this
     * daemon and a run can be given to it.
     */
    private boolean healthy() {
        Heartbeater beat = heartbeater;
        return beat != null
                && beat.lastSentAt() > 0
                && heartbeatAgeSeconds() * 1000 < 3 * config.heartbeatInterval().toMillis();
    }

    private double heartbeatAgeSeconds() {
        Heartbeater beat = heartbeater;
        long last = beat == null || beat.lastSentAt() == 0 ? startedAt : beat.lastSentAt();
        return Math.max(0, codec.clock().millis() - last) / 1000.0;
    }

    private static String lookUpHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            LOGGER.warn("no host name for this machine, registering as 'unknown': {}", e.toString());
            return "unknown";
        }
    }

    private static long memoryBytes() {
        long host = AgentCommandLine.hostMemoryBytes();
        return host > 0 ? host : Runtime.getRuntime().maxMemory();
    }
}
