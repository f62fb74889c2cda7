package io.kbench.aggregator.topology;

import io.kbench.protocol.Decoded;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.RunSummary;
import io.kbench.protocol.message.SweepSummary;
import io.kbench.protocol.message.WindowSummary;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Messages as kbench envelopes, for the output topics and the sweep repartition topic. Deserializing never
 * throws: a record that is not a message becomes {@code null}, which the consuming processor skips.
 */
final class MessageSerde implements Serde<Message> {

    /**
     * A codec whose clock stands at the epoch, so nothing it reads has expired: records this application wrote
     * itself (repartition topics, the run store) were checked for expiry once, when they first arrived.
     */
    static final MessageCodec NO_EXPIRY = new MessageCodec(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));

    private final MessageCodec codec;

    MessageSerde(MessageCodec codec) {
        this.codec = codec;
    }

    static String runIdOf(Message message) {
        if (message instanceof WindowSummary window) {
            return window.runId();
        }
        if (message instanceof RunSummary summary) {
            return summary.runId();
        }
        if (message instanceof SweepSummary sweep) {
            return sweep.sweepId();
        }
        return null;
    }

    @Override
    public Serializer<Message> serializer() {
        return (topic, message) -> message == null ? null : codec.encode(runIdOf(message), message, null);
    }

    @Override
    public Deserializer<Message> deserializer() {
        return (topic, bytes) -> NO_EXPIRY.decode(bytes) instanceof Decoded.Ok ok ? ok.message() : null;
    }
}
