package io.kbench.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.MessageType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Encodes messages into {@link Envelope}s and decodes them back. Decoding never throws: every failure is a
 * {@link Decoded.Skip} with its reason.
 */
public final class MessageCodec {

    private static final ObjectMapper MAPPER = Json.WIRE;
    /**
     * One reader per body type, built on first use and kept: {@link #decodeLean} binds a body straight from the
     * record's bytes. Not built up front: a reader resolves its type's deserializer as it is made, and all of them
     * together took ~0.5 s of CPU in every JVM that made a codec (an agent JVM's start-up, a CLI command), where
     * most JVMs bind two or three types.
     */
    private static final AtomicReferenceArray<ObjectReader> BODY_READERS =
            new AtomicReferenceArray<>(MessageType.values().length);

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

    /**
     * The bytes of {@link #encode(Envelope) encode}{@code (}{@link #envelope envelope(runId, message, ttl))}, written
     * in one pass: the body is serialized straight from the message, not through a JSON tree first (which cost as
     * much again on every report an agent sends).
     */
    public byte[] encode(String runId, Message message, Duration ttl) {
        long now = clock.millis();
        try {
            return MAPPER.writeValueAsBytes(new BoundEnvelope(
                    Envelope.VERSION,
                    MessageType.of(message).wireName(),
                    UUID.randomUUID().toString(),
                    runId,
                    now,
                    ttl == null ? null : now + ttl.toMillis(),
                    message));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot encode envelope of type " + MessageType.of(message), e);
        }
    }

    /** An unsigned {@link Envelope} whose body is still the message: same properties, so the same JSON. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record BoundEnvelope(
            int v, String type, String id, String runId, long sentAt, Long expiresAt, Message body) {}

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

    /**
     * Decodes a record value as {@link #decode(byte[])} does (same checks, same message, same skips for the same
     * faults), but without building the body as a JSON tree first: the envelope's fields are read in one streaming
     * pass that skips over the body, and the body is then bound to its record straight from the bytes. The
     * returned envelope has no body ({@code body()} is null), so this is for readers that need the message and
     * not the bytes a signature covers (the aggregator's reports: the JSON tree cost as much as binding).
     */
    public Decoded decodeLean(byte[] value) {
        return decodeLean(value, null);
    }

    /**
     * {@link #decodeLean(byte[])} for an input whose records are mostly of one type ({@code likely}, null: none):
     * the body is bound to that type in the envelope's own pass, because the body comes before the type in the
     * envelope's sorted fields, and otherwise it is tokenized twice (skipped to find the type, then bound). The
     * result is the same for every record: a body of another type, or one the likely type does not bind, is bound
     * again from its bytes as {@link #decodeLean(byte[])} does.
     */
    public Decoded decodeLean(byte[] value, MessageType likely) {
        if (value == null || value.length == 0) {
            return Decoded.skip(SkipReason.CORRUPT, "empty record value");
        }
        LeanEnvelope lean;
        try {
            lean = likely == null ? LeanEnvelope.read(value, null) : LeanEnvelope.readBinding(value, likely);
        } catch (IOException | RuntimeException e) {
            return Decoded.skip(SkipReason.CORRUPT, "not a kbench envelope: " + firstLine(e.getMessage()));
        }
        Envelope envelope = lean.envelope();
        if (envelope.type() == null || lean.bodyLength() < 0 || envelope.id() == null) {
            return Decoded.skip(SkipReason.CORRUPT, "envelope lacks type, id or body");
        }
        Optional<Decoded.Skip> refused = refusal(envelope);
        if (refused.isPresent()) {
            return refused.get();
        }
        MessageType type = MessageType.byWireName(envelope.type()).orElseThrow();
        if (type == likely && lean.bound() != null) {
            return new Decoded.Ok(envelope, lean.bound());
        }
        try {
            Message message = bodyReader(type).readValue(value, lean.bodyOffset(), lean.bodyLength());
            if (message == null) {
                return Decoded.skip(SkipReason.CORRUPT, envelope.type() + " body is null");
            }
            return new Decoded.Ok(envelope, message);
        } catch (IOException | RuntimeException e) {
            return Decoded.skip(SkipReason.CORRUPT, envelope.type() + " body: " + firstLine(e.getMessage()));
        }
    }

    public Decoded decode(String line) {
        return decode(line == null ? null : line.getBytes(StandardCharsets.UTF_8));
    }

    /** Checks version, type and expiry, and binds the body to its record. */
    public Decoded decode(Envelope envelope) {
        if (envelope == null || envelope.type() == null || envelope.body() == null || envelope.id() == null) {
            return Decoded.skip(SkipReason.CORRUPT, "envelope lacks type, id or body");
        }
        Optional<Decoded.Skip> refused = refusal(envelope);
        if (refused.isPresent()) {
            return refused.get();
        }
        Optional<MessageType> type = MessageType.byWireName(envelope.type());
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

    /** Why an envelope with a type, an id and a body is still skipped: its version, its type or its expiry. */
    private Optional<Decoded.Skip> refusal(Envelope envelope) {
        if (envelope.v() > Envelope.VERSION) {
            return Optional.of(Decoded.skip(
                    SkipReason.NEWER_VERSION,
                    "protocol version " + envelope.v() + " is newer than " + Envelope.VERSION));
        }
        if (envelope.v() < 1) {
            return Optional.of(Decoded.skip(SkipReason.CORRUPT, "protocol version " + envelope.v()));
        }
        if (MessageType.byWireName(envelope.type()).isEmpty()) {
            return Optional.of(Decoded.skip(SkipReason.UNKNOWN_TYPE, "unknown message type '" + envelope.type() + "'"));
        }
        if (envelope.expiresAt() != null && envelope.expiresAt() < clock.millis()) {
            return Optional.of(Decoded.skip(SkipReason.EXPIRED, envelope.type() + " " + envelope.id() + " expired"));
        }
        return Optional.empty();
    }

    /** The reader of a body type (two threads may both build it the first time: readers are immutable). */
    private static ObjectReader bodyReader(MessageType type) {
        ObjectReader reader = BODY_READERS.get(type.ordinal());
        if (reader == null) {
            reader = MAPPER.readerFor(type.bodyClass());
            BODY_READERS.set(type.ordinal(), reader);
        }
        return reader;
    }

    /**
     * An envelope's fields read in one streaming pass, and where its body object lies in the bytes ({@code
     * bodyLength} -1: no body object). Scalars are read as Jackson binds them into {@link Envelope} (a number in
     * quotes is still a number); a body that is not an object, or any other shape Jackson would refuse, throws.
     */
    private record LeanEnvelope(Envelope envelope, int bodyOffset, int bodyLength, Message bound) {

        /**
         * {@link #read} that binds the body to {@code likely}'s record on the way ({@code bound}); a body that does
         * not bind to it is read again without binding, so that its own type decides how it fails.
         */
        static LeanEnvelope readBinding(byte[] value, MessageType likely) throws IOException {
            try {
                return read(value, bodyReader(likely));
            } catch (BindFailed e) {
                return read(value, null);
            }
        }

        /** The body did not bind to the likely type: not yet a fault, the envelope may say another type. */
        private static final class BindFailed extends IOException {
            BindFailed(Throwable cause) {
                super(cause);
            }
        }

        static LeanEnvelope read(byte[] value, ObjectReader binder) throws IOException {
            try (JsonParser p = MAPPER.getFactory().createParser(value)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw new IOException("expected a JSON object, got " + p.currentToken());
                }
                Integer v = null;
                String type = null;
                String id = null;
                String runId = null;
                String sig = null;
                Long sentAt = null;
                Long expiresAt = null;
                int bodyOffset = 0;
                int bodyLength = -1;
                Message bound = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken token = p.nextToken();
                    switch (name) { // the properties of Envelope
                        case "v" -> v = Math.toIntExact(number(p, token));
                        case "type" -> type = text(p, token);
                        case "id" -> id = text(p, token);
                        case "runId" -> runId = text(p, token);
                        case "sig" -> sig = text(p, token);
                        case "sentAt" -> sentAt = number(p, token);
                        case "expiresAt" -> expiresAt = token == JsonToken.VALUE_NULL ? null : number(p, token);
                        case "body" -> {
                            if (token == JsonToken.START_OBJECT) {
                                bodyOffset = (int) p.currentTokenLocation().getByteOffset();
                                bound = null;
                                if (binder == null) {
                                    p.skipChildren();
                                } else {
                                    try {
                                        bound = binder.readValue(p); // leaves the parser on the body's end
                                    } catch (IOException | RuntimeException e) {
                                        throw new BindFailed(e);
                                    }
                                }
                                bodyLength = (int) p.currentLocation().getByteOffset() - bodyOffset;
                            } else if (token == JsonToken.VALUE_NULL) {
                                bodyLength = -1;
                                bound = null;
                            } else {
                                throw new IOException("body is " + token + ", not an object");
                            }
                        }
                        default -> p.skipChildren();
                    }
                }
                if (p.currentToken() != JsonToken.END_OBJECT) {
                    throw new IOException("unexpected " + p.currentToken() + " in the envelope");
                }
                if (v == null || sentAt == null) { // primitives: Jackson refuses an envelope without them
                    throw new IOException("envelope lacks " + (v == null ? "'v'" : "'sentAt'"));
                }
                return new LeanEnvelope(
                        new Envelope(v, type, id, runId, sentAt, expiresAt, null, sig), bodyOffset, bodyLength, bound);
            }
        }

        private static long number(JsonParser p, JsonToken token) throws IOException {
            return switch (token) {
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getValueAsLong();
                case VALUE_STRING -> Long.parseLong(p.getText().trim());
                default -> throw new IOException("field '" + p.currentName() + "' is " + token + ", not a number");
            };
        }

        private static String text(JsonParser p, JsonToken token) throws IOException {
            if (token == JsonToken.VALUE_NULL) {
                return null;
            }
            if (!token.isScalarValue()) {
                throw new IOException("field '" + p.currentName() + "' is " + token + ", not a value");
            }
            return p.getValueAsString();
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
