package io.kbench.aggregator.topology;

import static io.kbench.aggregator.Fixtures.produced;
import static io.kbench.aggregator.Fixtures.range;
import static io.kbench.aggregator.Fixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.aggregator.Fixtures;
import io.kbench.aggregator.run.RunEvents;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.AgentFailed;
import io.kbench.protocol.message.AgentStop;
import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.RunSummary;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StatsReport;
import io.kbench.protocol.message.WindowSummary;
import io.kbench.protocol.topic.KbenchTopics;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A task that crashes and is taken over, at every point of a run: the successor restores the store as of the last
 * commit, reads back from the metrics topic what the checkpoints lack, and resumes from the committed input. Its
 * outputs, after those committed before the crash, must be exactly those of the same run processed without one.
 * The run has what makes this hard: reports that come before their run's control records (kept in the store's
 * log), redelivered reports, an agent that ends abnormally early (one {@link AgentFailed}, never two), checkpoints
 * only every 2 s, and windows that close by the wall clock.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RunProcessorReplayTest {

    private static final long START = 1_000_000;
    private static final String RUN = "r1";
    private static final List<String> AGENTS = List.of("p0", "p1", "p2");
    private static final int INTERVALS = 8;

    private final KbenchTopics topics = new KbenchTopics("kbench");
    private final AggregatorTopology.Settings settings = AggregatorTopology.Settings.defaults(topics, 1);
    private final MessageCodec codec = new MessageCodec(Clock.fixed(Instant.ofEpochMilli(START), ZoneOffset.UTC));

    /** What reaches the task, in order: a report (from the metrics topic), a control record, or the wall clock. */
    private sealed interface Event permits Report, Control, Tick {}

    private record Report(byte[] value) implements Event {}

    private record Control(byte[] value) implements Event {}

    private record Tick(long now) implements Event {}

    @ParameterizedTest(name = "reports before the control records: {0}")
    @ValueSource(booleans = {true, false})
    void aSuccessorAtAnyCommitPointEndsWithTheOutputsOfAnUninterruptedTask(boolean reportsFirst) {
        List<Event> events = run(reportsFirst);
        List<Message> expected = new Task(Map.of(), ReportSource.NONE, START).feed(events, 0, events.size()).outputs;
        assertTrue(expected.stream().anyMatch(m -> m instanceof RunSummary), "the run ends: " + expected);
        assertEquals(1, expected.stream().filter(m -> m instanceof AgentFailed).count(), expected.toString());
        assertTrue(expected.stream().filter(m -> m instanceof WindowSummary).count() >= 3, expected.toString());

        int replayedSomewhere = 0;
        for (int commit = 0; commit <= events.size(); commit++) {
            for (int lost = 0; lost <= 3 && commit + lost <= events.size(); lost++) {
                // The first owner: commits after `commit` events, then processes `lost` more and dies.
                Task first = new Task(Map.of(), ReportSource.NONE, START).feed(events, 0, commit);
                Map<String, byte[]> committedStore = first.snapshot();
                List<Message> committedOutputs = List.copyOf(first.outputs);
                long committedOffset = first.metricsRead;
                first.feed(events, commit, commit + lost);

                // The successor: the committed store, the metrics topic up to the committed offset, then the rest.
                List<byte[]> metrics = metricsRecords(events);
                int[] replayed = {0};
                ReportSource topic = (partition, from, sink) -> {
                    for (long offset = Math.max(0, from); offset < committedOffset; offset++) {
                        replayed[0]++;
                        sink.accept(offset, RUN, metrics.get((int) offset));
                    }
                    return committedOffset;
                };
                Task successor =
                        new Task(committedStore, topic, clockAt(events, commit)).feed(events, commit, events.size());
                List<Message> actual = new ArrayList<>(committedOutputs);
                actual.addAll(successor.outputs);
                assertEquals(expected, actual, "crash after " + commit + " events, " + lost + " lost");
                replayedSomewhere += replayed[0] > 0 ? 1 : 0;
            }
        }
        assertTrue(replayedSomewhere > 10, "crash points that read reports back: " + replayedSomewhere);
    }

    /**
     * Three producers, one-second reports: the first interval's reports come before the RunSpec and StartRun (or
     * after them, the task's first metrics records); p1's second report is delivered twice; p2 fails in its fourth
     * interval; a tick every half second.
     */
    private List<Event> run(boolean reportsFirst) {
        List<Event> events = new ArrayList<>();
        List<Event> controls = List.of(
                control(spec(AGENTS, 1, 2, null, null)),
                control(new StartRun(START, 0, INTERVALS * 1_000L, START + 60_000)));
        if (!reportsFirst) {
            events.addAll(controls);
        }
        for (String agent : AGENTS) {
            events.add(report(agent, 0));
        }
        if (reportsFirst) {
            events.addAll(controls);
        }
        for (int i = 1; i < INTERVALS; i++) {
            for (String agent : AGENTS) {
                if (agent.equals("p2") && i > 3) {
                    continue;
                }
                events.add(report(agent, i));
                if (agent.equals("p1") && i == 2) {
                    events.add(report(agent, i));
                }
            }
            events.add(new Tick(START + i * 1_000L + 500));
            events.add(new Tick(START + (i + 1) * 1_000L));
        }
        for (int t = 1; t <= 8; t++) {
            events.add(new Tick(START + INTERVALS * 1_000L + t * 1_000L));
        }
        return events;
    }

    private Report report(String agent, long seq) {
        long from = START + seq * 1_000;
        boolean last = seq == INTERVALS - 1 || (agent.equals("p2") && seq == 3);
        StatsReport report = produced(
                agent, "w1", Phase.MEASURE, seq, from, from + 1_000, 100 + seq, range(10 + seq, 90 + seq), last);
        if (agent.equals("p2") && seq == 3) {
            report = Fixtures.with(report, AgentStop.FAILED, "broker gone", 0);
        }
        return new Report(codec.encode(RUN, report, null));
    }

    private Control control(Message message) {
        return new Control(codec.encode(RUN, message, null));
    }

    /** The wall clock after the first {@code count} events: the last tick's. */
    private static long clockAt(List<Event> events, int count) {
        long now = START;
        for (Event e : events.subList(0, count)) {
            if (e instanceof Tick t) {
                now = t.now();
            }
        }
        return now;
    }

    private static List<byte[]> metricsRecords(List<Event> events) {
        List<byte[]> records = new ArrayList<>();
        events.forEach(e -> {
            if (e instanceof Report r) {
                records.add(r.value());
            }
        });
        return records;
    }

    /** One incarnation of the task: a processor, its store and its outputs. */
    private final class Task {
        final MockProcessorContext<String, Message> context = new MockProcessorContext<>();
        final KeyValueStore<String, byte[]> store;
        final RunProcessor processor;
        final List<Message> outputs = new ArrayList<>();
        long metricsRead;

        Task(Map<String, byte[]> committed, ReportSource reports, long now) {
            store = Stores.keyValueStoreBuilder(
                            Stores.inMemoryKeyValueStore(AggregatorTopology.RUN_STORE),
                            Serdes.String(),
                            Serdes.ByteArray())
                    .withLoggingDisabled()
                    .build();
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
            committed.forEach(store::put);
            context.setCurrentSystemTimeMs(now);
            processor = new RunProcessor(settings, codec, RunEvents.NONE, reports);
            processor.init(context);
        }

        Task feed(List<Event> events, int from, int to) {
            // Where a successor starts reading the metrics topic: the first report at or after `from`.
            metricsRead = events.subList(0, from).stream()
                    .filter(e -> e instanceof Report)
                    .count();
            for (Event event : events.subList(from, to)) {
                if (event instanceof Report r) {
                    context.setRecordMetadata(topics.metrics(), 0, metricsRead++);
                    processor.process(new Record<>(RUN, r.value(), START));
                } else if (event instanceof Control c) {
                    context.setRecordMetadata("aggregator-control-by-run-repartition", 0, 0);
                    processor.process(new Record<>(RUN, c.value(), START));
                } else if (event instanceof Tick t) {
                    context.setCurrentSystemTimeMs(t.now());
                    context.scheduledPunctuators()
                            .forEach(p -> p.getPunctuator().punctuate(t.now()));
                }
                context.forwarded().forEach(f -> outputs.add(f.record().value()));
                context.resetForwards();
            }
            return this;
        }

        Map<String, byte[]> snapshot() {
            Map<String, byte[]> copy = new TreeMap<>();
            try (KeyValueIterator<String, byte[]> it = store.all()) {
                while (it.hasNext()) {
                    KeyValue<String, byte[]> entry = it.next();
                    copy.put(entry.key, entry.value);
                }
            }
            return copy;
        }
    }
}
