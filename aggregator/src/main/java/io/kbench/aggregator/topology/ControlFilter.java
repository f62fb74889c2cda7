package io.kbench.aggregator.topology;

import io.kbench.aggregator.run.RunEvents;
import io.kbench.protocol.Decoded;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.MessageType;
import io.kbench.protocol.message.RunSpec;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StopRun;
import io.kbench.protocol.security.ControlSigner;
import io.kbench.protocol.security.SignatureVerifier;
import java.time.Clock;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Keeps the control records the aggregator needs ({@link RunSpec}, {@link StartRun}, {@link StopRun}) keyed by
 * run id, before they are repartitioned to the metrics topic's partitioning. Everything else on the control
 * topic (assignments, rate changes) is for the daemons and passes by silently; undecodable records are
 * skipped and counted.
 *
 * <p>With a secret, this is where control records enter the aggregator, so this is where they are verified: an
 * unsigned, tampered, expired or replayed record is skipped and counted by reason before it can reach a run. The
 * run id is then the signed one of the envelope, never the record key, which anyone can set.
 */
final class ControlFilter implements Processor<String, byte[], String, byte[]> {

    private final MessageCodec codec;
    private final RunEvents events;
    private final Optional<ControlSigner> signer;
    private final Clock clock;
    private ProcessorContext<String, byte[]> context;
    private SignatureVerifier verifier;

    ControlFilter(MessageCodec codec, RunEvents events, Optional<ControlSigner> signer) {
        this.codec = codec;
        this.events = events;
        this.signer = signer;
        this.clock = codec.clock();
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        if (signer.isPresent()) {
            verifier = new SignatureVerifier(
                    signer.get(), clock, new StoreSeenIds(context.getStateStore(AggregatorTopology.CONTROL_IDS_STORE)));
        }
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
        if (verifier != null) {
            Optional<SignatureVerifier.Rejection> rejection = verifier.verify(ok.envelope());
            if (rejection.isPresent()) {
                events.recordSkipped(
                        rejection.get().reason().label(),
                        "control record " + ok.envelope().type() + ": "
                                + rejection.get().detail());
                return;
            }
        }
        String runId = ok.envelope().runId() != null ? ok.envelope().runId() : record.key();
        if (runId == null) {
            events.recordSkipped(
                    "no_run_id", ok.envelope().type() + " " + ok.envelope().id() + " has no run id");
            return;
        }
        context.forward(record.withKey(runId));
    }
}
