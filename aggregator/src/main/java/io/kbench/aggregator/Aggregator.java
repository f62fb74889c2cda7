package io.kbench.aggregator;

import io.kbench.aggregator.metrics.AggregatorMetrics;
import io.kbench.aggregator.metrics.JvmMeters;
import io.kbench.aggregator.metrics.MetricsHttpServer;
import io.kbench.aggregator.topology.AggregatorTopology;
import io.kbench.aggregator.topology.ReportSource;
import io.kbench.aggregator.topology.SkippingDeserializationHandler;
import io.kbench.protocol.KafkaClients;
import io.kbench.protocol.KbenchVersion;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.MemberHeartbeat;
import io.kbench.protocol.message.MemberRole;
import io.kbench.protocol.registry.Heartbeater;
import io.kbench.protocol.topic.KbenchTopics;
import io.kbench.protocol.topic.TopicEnsurer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One aggregator instance: makes sure kbench's topics exist, runs the Streams topology with exactly-once
 * processing, heartbeats into the registry with role {@code AGGREGATOR}, and serves Prometheus metrics.
 *
 * <pre>{@code
 * try (Aggregator aggregator = new Aggregator(AggregatorConfig.of("localhost:9092")).start()) {
 *     aggregator.awaitRunning(Duration.ofSeconds(30));
 *     ...
 * }
 * }</pre>
 */
public final class Aggregator implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(Aggregator.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    /** How long a restarted task may take to read back the reports its last checkpoint lacks (seconds of them). */
    private static final Duration REPLAY_TIMEOUT = Duration.ofSeconds(120);

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final AggregatorConfig config;
    private final Clock clock;
    private final PrometheusMeterRegistry registry = JvmMeters.newRegistry();
    private final AggregatorMetrics metrics;
    private final CompletableFuture<Void> failed = new CompletableFuture<>();
    private volatile KafkaStreams streams;
    private KafkaProducer<String, byte[]> heartbeatProducer;
    private volatile Heartbeater heartbeater;
    private MetricsHttpServer httpServer;
    private JvmMeters jvmMeters;
    private ScheduledExecutorService housekeeping;
    private long startedAt;
    private volatile StreamsHealth health;

    public Aggregator(AggregatorConfig config) {
        this(config, Clock.systemUTC());
    }

    public Aggregator(AggregatorConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.metrics = new AggregatorMetrics(registry, clock, config.finishedSeriesTtl());
    }

    /**
     * Starts the instance; returns once Streams is starting (see {@link #awaitRunning}).
     *
     * @throws IllegalStateException when the topics cannot be created or read
     */
    public synchronized Aggregator start() throws InterruptedException, TimeoutException {
        if (streams != null) {
            throw new IllegalStateException("aggregator " + config.memberId() + " is already started");
        }
        startedAt = clock.millis();
        // Metrics first: Prometheus sees the aggregator (JVM, skip counters at 0) while it waits for its cluster,
        // and /health says whether it is ready yet.
        jvmMeters = new JvmMeters(registry);
        if (config.metricsPort() >= 0) {
            httpServer = new MetricsHttpServer(registry, config.metricsPort(), this::healthy);
        }
        KbenchTopics topics = config.topics();
        int metricsPartitions = ensureTopics(topics);
        MessageCodec codec = new MessageCodec(clock);
        AggregatorTopology.Settings settings = new AggregatorTopology.Settings(
                topics,
                metricsPartitions,
                config.windowGrace(),
                config.runGrace(),
                config.stopGrace(),
                config.punctuationInterval(),
                config.checkpointInterval(),
                Duration.ofHours(1),
                Duration.ofMinutes(30));
        config.unsignedWarning().ifPresent(LOGGER::warn);
        ReportSource reports = new KafkaReportSource(
                topics.metrics(),
                config.bootstrapServers(),
                config.clientConfig(),
                config.applicationId(),
                REPLAY_TIMEOUT);
        Topology topology = AggregatorTopology.build(settings, codec, metrics, config.secret(), reports);
        streams = new KafkaStreams(topology, streamsProperties());
        streams.setUncaughtExceptionHandler(exception -> {
            // A bug in one record's handling must not end the aggregator: the thread is replaced and the task
            // resumes from its last commit.
            LOGGER.error("stream thread failed, replacing it", exception);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        health = new StreamsHealth(clock, this::beatNow);
        streams.setGlobalStateRestoreListener(health);
        streams.setStateListener((next, previous) -> {
            LOGGER.info("aggregator {} streams state {} -> {}", config.memberId(), previous, next);
            health.onStateChange(next);
            if (next == KafkaStreams.State.ERROR) {
                failed.complete(null);
            }
        });
        streams.start();

        heartbeatProducer = KafkaClients.controlProducer(config.bootstrapServers(), config.clientConfig());
        heartbeater = new Heartbeater(
                heartbeatProducer,
                topics.registry(),
                config.memberId(),
                this::heartbeat,
                config.heartbeatInterval(),
                codec);
        housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "kbench-aggregator-housekeeping");
            thread.setDaemon(true);
            return thread;
        });
        housekeeping.scheduleAtFixedRate(metrics::expireFinishedRuns, 10, 10, TimeUnit.SECONDS);
        LOGGER.info(
                "aggregator started memberId={} applicationId={} prefix={} metricsPartitions={} metricsPort={}",
                config.memberId(),
                config.applicationId(),
                config.topicPrefix(),
                metricsPartitions,
                metricsPort());
        return this;
    }

    private int ensureTopics(KbenchTopics topics) throws InterruptedException, TimeoutException {
        try (Admin admin = Admin.create(KafkaClients.base(config.bootstrapServers(), config.clientConfig()))) {
            TopicEnsurer.Report report = new TopicEnsurer(admin, ADMIN_TIMEOUT).ensure(topics.all());
            if (!report.created().isEmpty()) {
                LOGGER.info("created topics {}", report.created());
            }
            report.conflicts().forEach(conflict -> LOGGER.warn("topic setting differs from kbench's: {}", conflict));
            int metricsPartitions = metricsPartitions(admin, topics.metrics());
            // Streams' repartition topics before Streams: its first rebalance is then its only one.
            new TopicEnsurer(admin, ADMIN_TIMEOUT)
                    .ensure(AggregatorTopology.repartitionTopics(config.applicationId(), metricsPartitions));
            return metricsPartitions;
        }
    }

    /** The metrics topic's partition count; a topic created a moment ago may not be known to the broker yet. */
    private static int metricsPartitions(Admin admin, String topic) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        while (true) {
            try {
                return admin.describeTopics(List.of(topic))
                        .allTopicNames()
                        .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .get(topic)
                        .partitions()
                        .size();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "cannot describe topic " + topic + ": "
                                    + e.getCause().getMessage(),
                            e.getCause());
                }
                Thread.sleep(100);
            }
        }
    }

    private Properties streamsProperties() {
        Properties props = new Properties();
        props.put(
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
                Long.toString(config.commitInterval().toMillis()));
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
        // Process what is buffered without waiting on an empty input (the control repartition, mostly empty): reports
        // that come before their run's control records wait in the run's pending list anyway. Also Streams' fast
        // path: with the default (0) every processing step formatted a "fetched lag" line per empty partition.
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, Long.toString(StreamsConfig.MAX_TASK_IDLE_MS_DISABLED));
        // Checkpoints of large fleets exceed the 1 MB default request size (the changelog allows 16 MB).
        props.put(
                StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                Integer.toString(16 * 1024 * 1024));
        props.putAll(config.clientConfig());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, SkippingDeserializationHandler.class);
        props.put(SkippingDeserializationHandler.EVENTS_CONFIG, metrics);
        return props;
    }

    private MemberHeartbeat heartbeat() {
        Runtime runtime = Runtime.getRuntime();
        return new MemberHeartbeat(
                config.memberId(),
                MemberRole.AGGREGATOR,
                hostName(),
                runtime.availableProcessors(),
                runtime.maxMemory(),
                0,
                0,
                KbenchVersion.get(),
                startedAt,
                config.heartbeatInterval().toMillis(),
                health == null ? null : health.current(),
                null);
    }

    /** A heartbeat now (on the heartbeat's thread), so a change of health is heard without waiting an interval. */
    private void beatNow() {
        Heartbeater beat = heartbeater;
        if (beat != null) {
            beat.beatNow();
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }

    /** Waits until Streams is {@code RUNNING} (its tasks assigned and restored). */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            KafkaStreams.State state = state();
            if (state == KafkaStreams.State.RUNNING) {
                return true;
            }
            if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return false;
    }

    /** Ready to aggregate: Streams is {@code RUNNING} (what {@code /health} answers). */
    private boolean healthy() {
        KafkaStreams current = streams;
        return current != null && current.state() == KafkaStreams.State.RUNNING;
    }

    public synchronized KafkaStreams.State state() {
        return streams == null ? KafkaStreams.State.CREATED : streams.state();
    }

    /** Completes when Streams fails for good (state ERROR); the instance should then be closed. */
    public CompletableFuture<Void> failed() {
        return failed;
    }

    /** The port serving {@code /metrics}, or -1 when none is served. */
    public synchronized int metricsPort() {
        return httpServer == null ? -1 : httpServer.port();
    }

    public AggregatorMetrics metrics() {
        return metrics;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public AggregatorConfig config() {
        return config;
    }

    /** Stops heartbeating (tombstone), then Streams (bounded wait), then the metrics endpoint. */
    @Override
    public synchronized void close() {
        if (heartbeater != null) {
            heartbeater.close();
            heartbeatProducer.close(Duration.ofSeconds(5));
            heartbeater = null;
        }
        if (streams != null && !streams.close(CLOSE_TIMEOUT)) {
            LOGGER.warn("aggregator {} streams did not stop within {}", config.memberId(), CLOSE_TIMEOUT);
        }
        if (httpServer != null) {
            httpServer.close();
            httpServer = null;
        }
        if (housekeeping != null) {
            housekeeping.shutdownNow();
        }
        if (jvmMeters != null) {
            jvmMeters.close();
        }
        registry.close();
    }
}
