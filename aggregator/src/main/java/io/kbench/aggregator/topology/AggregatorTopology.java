package io.kbench.aggregator.topology;

import io.kbench.aggregator.run.RunEvents;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.AgentFailed;
import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.RunSummary;
import io.kbench.protocol.message.WindowSummary;
import io.kbench.protocol.security.ControlSigner;
import io.kbench.protocol.topic.KbenchTopics;
import io.kbench.protocol.topic.TopicSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The aggregator's Kafka Streams topology.
 *
 * <pre>
 * &lt;p&gt;.control ─ ControlFilter [control ids, when signed] ─ repartition "control-by-run" (as many partitions as &lt;p&gt;.metrics) ─┐
 * &lt;p&gt;.metrics ──────────────────────────────────────────────────────────────────────────────┴─ RunProcessor [run store]
 *    ├─ WindowSummary ─▶ &lt;p&gt;.windows
 *    ├─ AgentFailed ───▶ &lt;p&gt;.events (an agent ended abnormally before the schedule's end)
 *    └─ RunSummary ────▶ &lt;p&gt;.results
 *         └─ (sweep runs) key by sweepId ─ repartition "sweep-points" ─ SweepProcessor [sweep store] ─▶ &lt;p&gt;.results
 * </pre>
 *
 * The control topic has one partition (total order) while metrics has several; repartitioning the few control
 * records by run id to the metrics topic's partition count puts a run's control records and reports in one
 * task, which sees the run whole. Inputs are read as bytes and decoded in the processors, so no record can
 * make deserialization throw.
 */
public final class AggregatorTopology {

    public static final String RUN_STORE = "kbench-runs";
    public static final String SWEEP_STORE = "kbench-sweeps";
    /** With a secret: ids of the control records acted on, until they expire (replay protection). */
    public static final String CONTROL_IDS_STORE = "kbench-control-ids";
    /** Streams adds {@code -repartition}; the internal topic is {@code <applicationId>-control-by-run-repartition}. */
    public static final String CONTROL_REPARTITION = "control-by-run";

    public static final String SWEEP_REPARTITION = "sweep-points";

    /** Changelog records hold checkpoints with per-agent counters; a large fleet needs more than 1 MB. */
    static final int MAX_CHANGELOG_RECORD_BYTES = 16 * 1024 * 1024;

    /**
     * How the topology decides when windows close and runs end.
     *
     * @param metricsPartitions partitions of the metrics topic, which the control records are repartitioned to
     * @param windowGrace a window closes when its end plus this has passed in wall-clock time (or earlier, when
     *     every agent has reported past its end)
     * @param runGrace a run ends INCOMPLETE when {@code StartRun.deadlineAt} plus this has passed
     * @param stopGrace after a {@code StopRun}, how long the agents' last reports are waited for
     * @param punctuationInterval how often wall-clock time is checked
     * @param checkpointInterval how often a run that only received reports is checkpointed. A checkpoint holds the
     *     per-agent counters of the run and of each open window (1.9 MB for 10,000 agents: bench/aggregator.sh
     *     --simulate), so writing one at every punctuation was a fifth of the stream thread under load; the
     *     interval bounds only how many reports a successor reads back. Window closes, control records and ends
     *     still checkpoint at once.
     * @param finishedRetention how long a finished run's marker stays, so its late records are ignored
     * @param orphanTimeout a run that never gets a {@code StartRun} is dropped after this long without records
     */
    public record Settings(
            KbenchTopics topics,
            int metricsPartitions,
            Duration windowGrace,
            Duration runGrace,
            Duration stopGrace,
            Duration punctuationInterval,
            Duration checkpointInterval,
            Duration finishedRetention,
            Duration orphanTimeout) {

        public Settings {
            Objects.requireNonNull(topics, "topics");
            if (metricsPartitions < 1) {
                throw new IllegalArgumentException("metricsPartitions must be >= 1, got " + metricsPartitions);
            }
            requirePositive("windowGrace", windowGrace, true);
            requirePositive("runGrace", runGrace, true);
            requirePositive("stopGrace", stopGrace, true);
            requirePositive("punctuationInterval", punctuationInterval, false);
            requirePositive("checkpointInterval", checkpointInterval, false);
            requirePositive("finishedRetention", finishedRetention, false);
            requirePositive("orphanTimeout", orphanTimeout, false);
        }

        /** The defaults, written once: {@code AggregatorConfig} takes its graces from here. */
        public static final Duration DEFAULT_WINDOW_GRACE = Duration.ofSeconds(2);

        public static final Duration DEFAULT_RUN_GRACE = Duration.ofSeconds(5);
        public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(5);
        public static final Duration DEFAULT_PUNCTUATION_INTERVAL = Duration.ofMillis(500);
        public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(2);

        /** Defaults: 2 s window grace, 5 s run grace after the deadline, 5 s stop grace, 500 ms punctuation. */
        public static Settings defaults(KbenchTopics topics, int metricsPartitions) {
            return new Settings(
                    topics,
                    metricsPartitions,
                    DEFAULT_WINDOW_GRACE,
                    DEFAULT_RUN_GRACE,
                    DEFAULT_STOP_GRACE,
                    DEFAULT_PUNCTUATION_INTERVAL,
                    DEFAULT_CHECKPOINT_INTERVAL,
                    Duration.ofHours(1),
                    Duration.ofMinutes(30));
        }

        private static void requirePositive(String field, Duration value, boolean zeroAllowed) {
            if (value == null || value.isNegative() || (!zeroAllowed && value.isZero())) {
                throw new IllegalArgumentException(
                        field + " must be " + (zeroAllowed ? ">= 0" : "> 0") + ", got " + value);
            }
        }
    }

    private AggregatorTopology() {}

    /**
     * The topology's repartition topics as Streams creates them ({@code <applicationId>-<name>-repartition}, as
     * many partitions as the metrics topic, Streams' settings for repartition topics), for the aggregator to create
     * before Streams starts: created during Streams' first assignment, they change the metadata that assignment was
     * computed from, and the member rebalances a second time ("cached metadata has changed"), ~1.5 s of every
     * aggregator's first start and of every {@code kbench local}.
     */
    public static List<TopicSpec> repartitionTopics(String applicationId, int metricsPartitions) {
        // Streams' RepartitionTopicConfig defaults: kept until Streams purges what it committed.
        Map<String, String> configs = Map.of(
                "cleanup.policy", "delete",
                "retention.ms", "-1",
                "segment.bytes", Integer.toString(50 * 1024 * 1024),
                "message.timestamp.type", "CreateTime");
        return java.util.stream.Stream.of(CONTROL_REPARTITION, SWEEP_REPARTITION)
                .map(name -> new TopicSpec(
                        applicationId + "-" + name + "-repartition", metricsPartitions, (short) -1, configs))
                .toList();
    }

    /** Unsigned: every control record is trusted; a task never restarts with state (a test driver). */
    public static Topology build(Settings settings, MessageCodec codec, RunEvents events) {
        return build(settings, codec, events, Optional.empty(), ReportSource.NONE);
    }

    /**
     * With {@code signer}, only control records signed with it, unexpired and not seen before are acted on;
     * {@code reports} reads the metrics topic back for a task that restarts.
     */
    public static Topology build(
            Settings settings,
            MessageCodec codec,
            RunEvents events,
            Optional<ControlSigner> signer,
            ReportSource reports) {
        KbenchTopics topics = settings.topics();
        Serde<String> keys = Serdes.String();
        Serde<byte[]> bytes = Serdes.ByteArray();
        Serde<Message> messages = new MessageSerde(codec);
        StreamsBuilder builder = new StreamsBuilder();
        // In-memory stores, each restored from its changelog after a restart: the state is a few active runs, and
        // no process then carries RocksDB (60 MB of native libraries) or its off-heap memory.
        // No record cache: a checkpoint is written once per run every few seconds (many commits apart), and a
        // waiting report's log entry once and deleted a checkpoint later, so the cache never saved a write
        // (bench/aggregator.sh: CPU per report the same without it, and one layer less before the transaction).
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(RUN_STORE), keys, bytes)
                .withCachingDisabled()
                .withLoggingEnabled(Map.of("max.message.bytes", Integer.toString(MAX_CHANGELOG_RECORD_BYTES))));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SWEEP_STORE), keys, bytes)
                .withLoggingEnabled(Map.of()));

        String[] controlStores = {};
        if (signer.isPresent()) {
            builder.addStateStore(
                    Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(CONTROL_IDS_STORE), keys, bytes)
                            .withLoggingEnabled(Map.of()));
            controlStores = new String[] {CONTROL_IDS_STORE};
        }

        KStream<String, byte[]> metrics =
                builder.stream(topics.metrics(), Consumed.with(keys, bytes).withName("metrics-source"));
        KStream<String, byte[]> control = builder.stream(
                        topics.control(), Consumed.with(keys, bytes).withName("control-source"))
                .process(() -> new ControlFilter(codec, events, signer), Named.as("control-filter"), controlStores)
                .repartition(Repartitioned.<String, byte[]>as(CONTROL_REPARTITION)
                        .withKeySerde(keys)
                        .withValueSerde(bytes)
                        .withNumberOfPartitions(settings.metricsPartitions()));

        KStream<String, Message> out = metrics.merge(control, Named.as("metrics-and-control"))
                .process(() -> new RunProcessor(settings, codec, events, reports), Named.as("runs"), RUN_STORE);

        out.filter((runId, message) -> message instanceof WindowSummary, Named.as("windows-only"))
                .to(topics.windows(), Produced.with(keys, messages).withName("windows-sink"));
        KStream<String, Message> summaries =
                out.filter((runId, message) -> message instanceof RunSummary, Named.as("summaries-only"));
        summaries.to(topics.results(), Produced.with(keys, messages).withName("results-sink"));
        // An AgentFailed envelope needs the run id, which only the key carries: encode it here rather than in a serde.
        out.filter((runId, message) -> message instanceof AgentFailed, Named.as("agent-failures-only"))
                .mapValues((runId, message) -> codec.encode(runId, message, null), Named.as("encode-agent-failures"))
                .to(topics.events(), Produced.with(keys, bytes).withName("events-sink"));

        summaries
                .filter((runId, message) -> ((RunSummary) message).sweepId() != null, Named.as("sweep-runs-only"))
                .selectKey((runId, message) -> ((RunSummary) message).sweepId(), Named.as("key-by-sweep"))
                .repartition(Repartitioned.<String, Message>as(SWEEP_REPARTITION)
                        .withKeySerde(keys)
                        .withValueSerde(messages)
                        .withNumberOfPartitions(settings.metricsPartitions()))
                .process(() -> new SweepProcessor(events), Named.as("sweeps"), SWEEP_STORE)
                .to(topics.results(), Produced.with(keys, messages).withName("sweep-results-sink"));
        return builder.build();
    }
}
