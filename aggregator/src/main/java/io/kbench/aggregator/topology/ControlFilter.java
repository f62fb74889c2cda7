package io.kbench.aggregator.topology;

import io.kbench.aggregator.run.RunEvents;
import io.kbench.protocol.Decoded;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.MessageType;
import io.kbench.protocol.message.RunSpec;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StopRun;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Keeps the control records the aggregator needs ({@link RunSpec}, {@link StartRun}, {@link StopRun}) keyed by
 * run id, before they are repartitioned to the metrics topic's partitioning. Everything else on the control
 * topic (assignments, rate changes) is for the daemons and passes by silently; undecodable records are
 * skipped and counted.
 */
final class ControlFilter implements Processor<String, byte[], String, byte[]> {

    private final MessageCodec codec;
    private final RunEvents events;
    private ProcessorContext<String, byte[]> context;

    ControlFilter(MessageCodec codec, RunEvents events) {
        this.codec = codec;
        this.events = events;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        Decoded decoded = codec.decode(record.value());
        if (decoded instanceof Decoded.Skip skip) {
            events.recordSkipped(skip.reason().label(), "control record: " + skip.detail());
            return;
        }
        Decoded.Ok ok = (Decoded.Ok) decoded;
        Message message = ok.message();
        if (!MessageType.of(message).isReadBy(MessageType.Reader.AGGREGATOR)) {
            return;
        }
        String runId = record.key() != null ? record.key() : ok.envelope().runId();
        if (runId == null) {
            events.recordSkipped(
                    "no_run_id", ok.envelope().type() + " " + ok.envelope().id() + " has no run id");
            return;
        }
        context.forward(record.withKey(runId));
    }
}
