package io.kbench.aggregator.topology;

import io.kbench.aggregator.run.RunEvents;
import io.kbench.aggregator.sweep.SweepFigures;
import io.kbench.aggregator.sweep.SweepState;
import io.kbench.protocol.Json;
import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.RunStatus;
import io.kbench.protocol.message.RunSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the points of each sweep (keyed by sweep id after a repartition, so one task sees a sweep whole) and
 * publishes the updated {@link io.kbench.protocol.message.SweepSummary} after each of its run summaries. Runs
 * that failed or were interrupted do not measure scaling and are left out.
 */
final class SweepProcessor implements Processor<String, Message, String, Message> {

    private static final Logger LOGGER = LoggerFactory.getLogger(SweepProcessor.class);

    private final RunEvents events;
    private ProcessorContext<String, Message> context;
    private KeyValueStore<String, byte[]> store;

    SweepProcessor(RunEvents events) {
        this.events = events;
    }

    @Override
    public void init(ProcessorContext<String, Message> context) {
        this.context = context;
        this.store = context.getStateStore(AggregatorTopology.SWEEP_STORE);
    }

    @Override
    public void process(Record<String, Message> record) {
        if (!(record.value() instanceof RunSummary summary) || record.key() == null) {
            events.recordSkipped("corrupt", "sweep point is not a run summary");
            return;
        }
        // Only a run that measured everything it asked for is a point: a run cut short would read as a throughput
        // drop (or a latency change) that scaling did not cause.
        if (summary.status() != RunStatus.COMPLETE) {
            LOGGER.warn(
                    "run {} of sweep {} ended {}: not a sweep point", summary.runId(), record.key(), summary.status());
            return;
        }
        if (summary.sweepScale() == null || !(summary.sweepScale() > 0)) {
            LOGGER.warn(
                    "run {} of sweep {} has no positive sweepScale: not a sweep point", summary.runId(), record.key());
            return;
        }
        String sweepId = record.key();
        SweepState state = read(sweepId).with(SweepFigures.Input.of(summary));
        store.put(sweepId, write(state));
        context.forward(new Record<>(sweepId, SweepFigures.compute(sweepId, state.inputs()), record.timestamp()));
    }

    private SweepState read(String sweepId) {
        byte[] bytes = store.get(sweepId);
        if (bytes == null) {
            return new SweepState(sweepId, null);
        }
        try {
            return Json.WIRE.readValue(bytes, SweepState.class);
        } catch (IOException e) {
            LOGGER.error("starting sweep {} afresh: its stored points are unreadable: {}", sweepId, e.getMessage());
            return new SweepState(sweepId, null);
        }
    }

    private static byte[] write(SweepState state) {
        try {
            return Json.WIRE.writeValueAsBytes(state);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write sweep " + state.sweepId(), e);
        }
    }
}
