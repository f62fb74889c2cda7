package io.kbench.aggregator.topology;

import io.kbench.aggregator.run.RunAccumulator;
import io.kbench.aggregator.run.RunCheckpoints;
import io.kbench.aggregator.run.RunEvents;
import io.kbench.protocol.Decoded;
import io.kbench.protocol.Json;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.AgentFailed;
import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.MessageType;
import io.kbench.protocol.message.RunSpec;
import io.kbench.protocol.message.RunSummary;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StatsReport;
import io.kbench.protocol.message.StopRun;
import io.kbench.protocol.message.WindowSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one task's share of runs (by run id) into window summaries, run summaries and early agent failures.
 *
 * <p>State lives in memory for speed ({@link RunAccumulator}: merged histograms are too costly to re-encode on
 * every report) and in the changelogged run store for exactly-once: a punctuation writes each run's checkpoint
 * (every {@link AggregatorTopology.Settings#checkpointInterval}, or at once when a window closed or a control record
 * came) with the metrics topic's offset it holds every report before, in the same transaction as the output and the
 * input offsets. After a crash {@link #init} rebuilds exactly the committed state: the checkpoint, then the reports
 * between its offset and the committed input offset read back from the metrics topic ({@link ReportSource}), with
 * the same duplicate rule as when they came: nothing lost, nothing counted twice. Only reports that wait for their
 * run's control records are kept in the store's log (a checkpoint does not hold them).
 *
 * <p>Wall-clock punctuation closes windows and ends runs at their deadline, because stream time stops when a
 * run's reports stop. A run whose agents have all sent their last report ends at once, in {@link #process}.
 * An agent's last report that says it ended abnormally before the schedule's end is also forwarded, once, as an
 * {@link AgentFailed} (to the events topic), so the controller can stop the rest of the run.
 */
final class RunProcessor implements Processor<String, byte[], String, Message> {

    private static final Logger LOGGER = LoggerFactory.getLogger(RunProcessor.class);
    private static final StringSerializer KEYS = new StringSerializer();
    private final AggregatorTopology.Settings settings;
    private final MessageCodec codec;
    private final RunEvents events;
    private final ReportSource reports;
    private final Map<String, RunAccumulator> runs = new HashMap<>();
    /** Per run: the metrics offset its stored checkpoint holds every report before. */
    private final Map<String, Long> replayFrom = new HashMap<>();

    private final Map<String, Long> finished = new HashMap<>();
    private final Map<String, Long> checkpointedAt = new HashMap<>();
    private ProcessorContext<String, Message> context;
    private KeyValueStore<String, byte[]> store;
    private Cancellable punctuation;
    /** The task's next offset of the metrics topic: every record before it has been processed. -1: not known yet. */
    private long position;
    /**
     * Runs checkpointed before this incarnation processed any metrics record: their replay offset is that first
     * record's, stored when it comes. Until then a successor has nothing of theirs to read back.
     */
    private final Set<String> awaitingPosition = new HashSet<>();

    RunProcessor(AggregatorTopology.Settings settings, MessageCodec codec, RunEvents events, ReportSource reports) {
        this.settings = settings;
        this.codec = codec;
        this.events = events;
        this.reports = reports;
    }

    @Override
    public void init(ProcessorContext<String, Message> context) {
        this.context = context;
        this.store = context.getStateStore(AggregatorTopology.RUN_STORE);
        // A revived task reuses this instance: start from the store, never from what memory held before.
        runs.clear();
        finished.clear();
        checkpointedAt.clear();
        replayFrom.clear();
        awaitingPosition.clear();
        position = -1;
        restore(context.currentSystemTimeMs());
        punctuation =
                context.schedule(settings.punctuationInterval(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    @Override
    public void close() {
        if (punctuation != null) {
            punctuation.cancel();
        }
    }

    private void restore(long now) {
        for (KeyValue<String, byte[]> entry : scan(StoreKeys.prefix(StoreKeys.FINISHED))) {
            finished.put(
                    StoreKeys.runIdOf(entry.key), ByteBuffer.wrap(entry.value).getLong());
        }
        for (KeyValue<String, byte[]> entry : scan(StoreKeys.prefix(StoreKeys.CHECKPOINT))) {
            String runId = StoreKeys.runIdOf(entry.key);
            try {
                runs.put(runId, RunAccumulator.restore(RunCheckpoints.read(entry.value)));
            } catch (UncheckedIOException | IllegalArgumentException e) {
                LOGGER.error("dropping unreadable checkpoint of run {}: {}", runId, e.getMessage());
            }
        }
        for (KeyValue<String, byte[]> entry : scan(StoreKeys.prefix(StoreKeys.REPLAY_FROM))) {
            String runId = StoreKeys.runIdOf(entry.key);
            if (runs.containsKey(runId)) {
                replayFrom.put(runId, ByteBuffer.wrap(entry.value).getLong());
            }
        }
        // Reports that waited for their run's control records (and, from an older version's store, every report
        // accepted since the checkpoint).
        int logged = 0;
        for (KeyValue<String, byte[]> entry : scan(StoreKeys.prefix(StoreKeys.LOG))) {
            String runId = StoreKeys.runIdOf(entry.key);
            if (MessageSerde.NO_EXPIRY.decodeLean(entry.value, MessageType.STATS_REPORT) instanceof Decoded.Ok ok
                    && ok.message() instanceof StatsReport report) {
                runs.computeIfAbsent(runId, id -> new RunAccumulator(id, now)).replay(entry.key, report, now);
                logged++;
            }
        }
        if (!runs.isEmpty() || !finished.isEmpty()) {
            long started = System.nanoTime();
            Replayed replayed = replayReports(now);
            LOGGER.info(
                    "restored task={} runs={} finished={} loggedReports={} replayedReports={} (read {} records of"
                            + " {} from offset {} to {} in {} ms)",
                    context.taskId(),
                    runs.size(),
                    finished.size(),
                    logged,
                    replayed.applied(),
                    replayed.read(),
                    settings.topics().metrics(),
                    replayed.from(),
                    position,
                    (System.nanoTime() - started) / 1_000_000);
        }
    }

    private record Replayed(long from, int read, int applied) {}

    /**
     * Reads the metrics topic back from the lowest offset a restored checkpoint stores up to where the task
     * resumes, and applies each report to its run if the run's checkpoint does not hold it yet (offset at or past
     * the run's own), by {@link RunAccumulator#apply}: the same duplicate rule as when it came, so a report the
     * checkpoint or the log already holds changes nothing. Nothing is forwarded: the outputs of these reports
     * were committed with them; an agent failure they reported is marked as told.
     */
    private Replayed replayReports(long now) {
        if (replayFrom.isEmpty()) {
            return new Replayed(-1, 0, 0);
        }
        long from =
                replayFrom.values().stream().mapToLong(Long::longValue).min().orElseThrow();
        int[] counts = new int[2];
        long end = reports.replay(context.taskId().partition(), from, (offset, key, value) -> {
            counts[0]++;
            if (!(codec.decodeLean(value, MessageType.STATS_REPORT) instanceof Decoded.Ok ok)
                    || !(ok.message() instanceof StatsReport report)
                    || report.agentId() == null
                    || report.phase() == null) {
                return;
            }
            String runId = key != null ? key : ok.envelope().runId();
            Long runFrom = runId == null ? null : replayFrom.get(runId);
            RunAccumulator run = runs.get(runId);
            if (runFrom == null || offset < runFrom || run == null) {
                return;
            }
            String logKey = logKeyIfWaiting(run, report);
            RunAccumulator.Outcome outcome = run.apply(logKey, report, now);
            if (outcome == RunAccumulator.Outcome.PENDING) {
                store.put(logKey, value); // logged when it came; kept again in case the log lost it
            }
            if (outcome == RunAccumulator.Outcome.ACCEPTED || outcome == RunAccumulator.Outcome.PENDING) {
                counts[1]++;
                run.earlyFailure(report);
            }
        });
        if (end >= 0) {
            position = end;
        }
        events.reportsReplayed(counts[1]);
        return new Replayed(from, counts[0], counts[1]);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        long now = context.currentSystemTimeMs();
        var metadata = context.recordMetadata();
        boolean fromMetrics =
                metadata.map(m -> m.topic().equals(settings.topics().metrics())).orElse(true);
        if (fromMetrics && metadata.isPresent()) {
            long offset = metadata.get().offset();
            if (!awaitingPosition.isEmpty()) {
                // Every report of these runs is at this offset or later: none came before they were checkpointed.
                awaitingPosition.forEach(runId -> storeReplayFrom(runId, offset));
                awaitingPosition.clear();
            }
            position = offset + 1;
        }
        // Control records were checked for expiry (and signature) before their repartition; a second check would
        // drop them late. Nothing here needs the body's JSON tree, so the one-pass decoding serves both inputs.
        // Reports are nearly all the metrics topic carries: their bodies are bound in the envelope's pass.
        Decoded decoded = fromMetrics
                ? codec.decodeLean(record.value(), MessageType.STATS_REPORT)
                : MessageSerde.NO_EXPIRY.decodeLean(record.value());
        if (decoded instanceof Decoded.Skip skip) {
            events.recordSkipped(skip.reason().label(), skip.detail());
            return;
        }
        Decoded.Ok ok = (Decoded.Ok) decoded;
        String runId = record.key() != null ? record.key() : ok.envelope().runId();
        if (runId == null) {
            events.recordSkipped(
                    "no_run_id", ok.envelope().type() + " " + ok.envelope().id() + " has no run id");
            return;
        }
        Message message = ok.message();
        if (finished.containsKey(runId)) {
            if (message instanceof StatsReport) {
                events.recordSkipped("run_finished", "report for finished run " + runId);
            }
            return;
        }
        if (message instanceof StatsReport report) {
            onReport(runId, report, record.value(), now);
        } else if (MessageType.of(message).isReadBy(MessageType.Reader.AGGREGATOR)) {
            onControl(runId, message, ok.envelope().sentAt(), now);
        } else {
            events.recordSkipped("unexpected_type", ok.envelope().type() + " on the metrics topic");
        }
    }

    private void onReport(String runId, StatsReport report, byte[] raw, long now) {
        if (report.agentId() == null || report.phase() == null) {
            events.recordSkipped("corrupt", "report of run " + runId + " lacks agentId or phase");
            return;
        }
        RunAccumulator run = runs.computeIfAbsent(runId, id -> new RunAccumulator(id, now));
        String logKey = logKeyIfWaiting(run, report);
        switch (run.apply(logKey, report, now)) {
            case DUPLICATE ->
                events.recordSkipped(
                        "duplicate", "report " + report.seq() + " of agent " + report.agentId() + " seen before");
            case BAD_HISTOGRAM ->
                events.recordSkipped(
                        "corrupt", "report " + report.seq() + " of agent " + report.agentId() + ": bad histogram");
            case PENDING -> {
                store.put(logKey, raw);
                run.earlyFailure(report).ifPresent(failed -> forwardFailure(run, failed, now));
            }
            case ACCEPTED -> {
                run.earlyFailure(report).ifPresent(failed -> forwardFailure(run, failed, now));
                if (run.allAgentsEnded()) {
                    finish(run, now);
                }
            }
        }
    }

    /** The report's key in the store's log if its run waits for control records (only then is it logged). */
    private static String logKeyIfWaiting(RunAccumulator run, StatsReport report) {
        return run.waiting() ? StoreKeys.log(run.runId(), report.agentId(), report.seq()) : null;
    }

    /**
     * Tells the controller, through the events topic, that an agent ended abnormally before the schedule's end, so
     * it can stop the rest of the fleet at once rather than let it run to the deadline.
     */
    private void forwardFailure(RunAccumulator run, AgentFailed failed, long now) {
        context.forward(new Record<>(run.runId(), failed, now));
        LOGGER.warn(
                "agent ended early runId={} agentIds={} workerId={} reason={}",
                run.runId(),
                failed.agentIds(),
                failed.workerId(),
                failed.reason());
    }

    private void onControl(String runId, Message message, long sentAt, long now) {
        RunAccumulator run = runs.computeIfAbsent(runId, id -> new RunAccumulator(id, now));
        if (message instanceof RunSpec spec) {
            run.applySpec(spec, now);
        } else if (message instanceof StartRun start) {
            run.applyStart(start, now);
        } else if (message instanceof StopRun stop) {
            run.applyStop(stop, sentAt, now);
        }
        if (run.due(now, settings.runGrace(), settings.stopGrace())) {
            finish(run, now);
        } else {
            checkpoint(run, now);
        }
    }

    private void punctuate(long now) {
        for (RunAccumulator run : new ArrayList<>(runs.values())) {
            List<WindowSummary> closed = run.closeDueWindows(now, settings.windowGrace());
            closed.forEach(window -> publish(run, window, now));
            if (run.due(now, settings.runGrace(), settings.stopGrace())) {
                finish(run, now);
            } else if (run.start() == null
                    && now - run.lastActivityAt() > settings.orphanTimeout().toMillis()) {
                LOGGER.warn("dropping run {}: no StartRun and no record for {}", run.runId(), settings.orphanTimeout());
                deleteRun(run.runId());
                runs.remove(run.runId());
                checkpointedAt.remove(run.runId());
            } else if (!closed.isEmpty()
                    || now - checkpointedAt.getOrDefault(run.runId(), Long.MIN_VALUE / 2)
                            >= settings.checkpointInterval().toMillis()) {
                if (run.dirty()) {
                    checkpoint(run, now);
                } else if (position >= 0 && replayFrom.getOrDefault(run.runId(), -1L) < position) {
                    // Nothing of the run's since its checkpoint: a successor need not read the other runs' reports.
                    checkpointedAt.put(run.runId(), now);
                    storeReplayFrom(run.runId(), position);
                }
            }
        }
        List<String> expired = new ArrayList<>();
        finished.forEach((runId, at) -> {
            if (now - at > settings.finishedRetention().toMillis()) {
                expired.add(runId);
            }
        });
        expired.forEach(runId -> {
            store.delete(StoreKeys.finished(runId));
            finished.remove(runId);
        });
    }

    private void checkpoint(RunAccumulator run, long now) {
        checkpointedAt.put(run.runId(), now);
        store.put(StoreKeys.checkpoint(run.runId()), RunCheckpoints.write(run.checkpoint()));
        if (position >= 0) {
            storeReplayFrom(run.runId(), position);
        } else {
            awaitingPosition.add(run.runId());
        }
        run.foldedLogKeys().forEach(store::delete);
        run.foldedLogKeys().clear();
    }

    private void storeReplayFrom(String runId, long offset) {
        replayFrom.put(runId, offset);
        store.put(
                StoreKeys.replayFrom(runId),
                ByteBuffer.allocate(Long.BYTES).putLong(offset).array());
    }

    private void publish(RunAccumulator run, WindowSummary window, long now) {
        context.forward(new Record<>(run.runId(), window, now));
        store.put(StoreKeys.window(run.runId(), window.windowStart()), writeJson(window));
        events.windowClosed(run.spec() == null ? null : run.spec().workloadName(), window);
    }

    private void finish(RunAccumulator run, long now) {
        run.closeAllWindows().forEach(window -> publish(run, window, now));
        RunSummary summary = run.summarize(now, measuredWindows(run.runId()));
        context.forward(new Record<>(run.runId(), summary, now));
        deleteRun(run.runId());
        store.put(
                StoreKeys.finished(run.runId()),
                ByteBuffer.allocate(Long.BYTES).putLong(now).array());
        runs.remove(run.runId());
        checkpointedAt.remove(run.runId());
        finished.put(run.runId(), now);
        events.runFinished(summary);
        LOGGER.info(
                "run finished runId={} status={} missingAgents={} messagesSent={} publishRate={} statusReason=\"{}\"",
                run.runId(),
                summary.status(),
                summary.missingAgents().size(),
                summary.messagesSent(),
                Math.round(summary.rates().publishRate()),
                summary.statusReason());
    }

    /**
     * The run's published measured windows, without their per-agent maps: with a thousand agents those would
     * push the summary past Kafka's default record size; per-agent figures per window stay on the windows topic.
     */
    private List<WindowSummary> measuredWindows(String runId) {
        List<WindowSummary> windows = new ArrayList<>();
        for (KeyValue<String, byte[]> entry : scan(StoreKeys.prefix(StoreKeys.WINDOW, runId))) {
            WindowSummary w = readWindow(entry.value);
            if (w != null && w.phase() != null && w.phase().isMeasured()) {
                windows.add(new WindowSummary(
                        w.runId(),
                        w.windowStart(),
                        w.windowEnd(),
                        w.phase(),
                        w.rates(),
                        w.messagesSent(),
                        w.messagesReceived(),
                        w.sendErrors(),
                        w.backlog(),
                        w.latencies(),
                        w.perWorker(),
                        Map.of(),
                        w.cpuPercent(),
                        w.agentsReporting(),
                        w.last()));
            }
        }
        windows.sort(Comparator.comparingLong(WindowSummary::windowStart));
        return windows;
    }

    private void deleteRun(String runId) {
        List<String> keys = new ArrayList<>();
        keys.add(StoreKeys.checkpoint(runId));
        awaitingPosition.remove(runId);
        if (replayFrom.remove(runId) != null) {
            keys.add(StoreKeys.replayFrom(runId));
        }
        for (String kind : List.of(StoreKeys.LOG, StoreKeys.WINDOW)) {
            scan(StoreKeys.prefix(kind, runId)).forEach(entry -> keys.add(entry.key));
        }
        keys.forEach(store::delete);
    }

    private List<KeyValue<String, byte[]>> scan(String prefix) {
        List<KeyValue<String, byte[]>> entries = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.prefixScan(prefix, KEYS)) {
            it.forEachRemaining(entries::add);
        }
        return entries;
    }

    private static byte[] writeJson(WindowSummary window) {
        try {
            return Json.WIRE.writeValueAsBytes(window);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write window of run " + window.runId(), e);
        }
    }

    private static WindowSummary readWindow(byte[] bytes) {
        try {
            return Json.WIRE.readValue(bytes, WindowSummary.class);
        } catch (IOException e) {
            LOGGER.warn("skipping unreadable stored window: {}", e.getMessage());
            return null;
        }
    }
}
