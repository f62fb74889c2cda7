package io.kbench.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.MessageType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Encodes messages into {@link Envelope}s and decodes them back. Decoding never throws: every failure is a
 * {@link Decoded.Skip} with its reason.
 */
public final class MessageCodec {

    private static final ObjectMapper MAPPER = Json.WIRE;

    private final Clock clock;

    public MessageCodec(Clock clock) {
        this.clock = clock;
    }

    public MessageCodec() {
        this(Clock.systemUTC());
    }

    public Clock clock() {
        return clock;
    }

    /** Wraps a message in a new envelope with a fresh id; {@code ttl} null means it never expires. */
    public Envelope envelope(String runId, Message message, Duration ttl) {
        long now = clock.millis();
        return new Envelope(
                Envelope.VERSION,
                MessageType.of(message).wireName(),
                UUID.randomUUID().toString(),
                runId,
                now,
                ttl == null ? null : now + ttl.toMillis(),
                MAPPER.valueToTree(message),
                null);
    }

    public byte[] encode(Envelope envelope) {
        try {
            return MAPPER.writeValueAsBytes(envelope);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot encode envelope of type " + envelope.type(), e);
        }
    }

    public byte[] encode(String runId, Message message, Duration ttl) {
        return encode(envelope(runId, message, ttl));
    }

    public String encodeLine(Envelope envelope) {
        return new String(encode(envelope), StandardCharsets.UTF_8);
    }

    /** Decodes a record value; a null value (a tombstone) is a {@link SkipReason#CORRUPT} skip. */
    public Decoded decode(byte[] value) {
        if (value == null || value.length == 0) {
            return Decoded.skip(SkipReason.CORRUPT, "empty record value");
        }
        Envelope envelope;
        try {
            envelope = MAPPER.readValue(value, Envelope.class);
        } catch (IOException | RuntimeException e) {
            return Decoded.skip(SkipReason.CORRUPT, "not a kbench envelope: " + firstLine(e.getMessage()));
        }
        return decode(envelope);
    }

    public Decoded decode(String line) {
        return decode(line == null ? null : line.getBytes(StandardCharsets.UTF_8));
    }

    /** Checks version, type and expiry, and binds the body to its record. */
    public Decoded decode(Envelope envelope) {
        if (envelope == null || envelope.type() == null || envelope.body() == null || envelope.id() == null) {
            return Decoded.skip(SkipReason.CORRUPT, "envelope lacks type, id or body");
        }
        if (envelope.v() > Envelope.VERSION) {
            return Decoded.skip(
                    SkipReason.NEWER_VERSION,
                    "protocol version " + envelope.v() + " is newer than " + Envelope.VERSION);
        }
        if (envelope.v() < 1) {
            return Decoded.skip(SkipReason.CORRUPT, "protocol version " + envelope.v());
        }
        Optional<MessageType> type = MessageType.byWireName(envelope.type());
        if (type.isEmpty()) {
            return Decoded.skip(SkipReason.UNKNOWN_TYPE, "unknown message type '" + envelope.type() + "'");
        }
        if (envelope.expiresAt() != null && envelope.expiresAt() < clock.millis()) {
            return Decoded.skip(SkipReason.EXPIRED, envelope.type() + " " + envelope.id() + " expired");
        }
        try {
            Message message = MAPPER.treeToValue(envelope.body(), type.get().bodyClass());
            if (message == null) {
                return Decoded.skip(SkipReason.CORRUPT, envelope.type() + " body is null");
            }
            return new Decoded.Ok(envelope, message);
        } catch (IOException | RuntimeException e) {
            return Decoded.skip(SkipReason.CORRUPT, envelope.type() + " body: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no detail)";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
