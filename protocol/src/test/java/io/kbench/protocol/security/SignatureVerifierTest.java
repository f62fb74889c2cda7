package io.kbench.protocol.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kbench.protocol.Decoded;
import io.kbench.protocol.Envelope;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.SkipReason;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StopRun;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SignatureVerifierTest {

    private static final byte[] SECRET = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
    private final MessageCodec codec = new MessageCodec(clock);
    private final ControlSigner signer = new ControlSigner(SECRET);
    private final SignatureVerifier verifier = new SignatureVerifier(signer, clock);

    private Envelope signedStart() {
        return signer.sign(codec.envelope("run-1", new StartRun(1, 2, 3, 4), Duration.ofMinutes(1)));
    }

    @Test
    void acceptsAGoodSignatureAfterAWireRoundTrip() {
        Envelope sent = signedStart();
        Envelope received = ((Decoded.Ok) codec.decode(codec.encode(sent))).envelope();

        assertEquals(Optional.empty(), verifier.verify(received));
    }

    @Test
    void rejectsAnUnsignedRecord() {
        Envelope unsigned = codec.envelope("run-1", new StartRun(1, 2, 3, 4), Duration.ofMinutes(1));
        assertEquals(
                SkipReason.UNSIGNED, verifier.verify(unsigned).orElseThrow().reason());
    }

    @Test
    void rejectsATamperedBody() {
        Envelope sent = signedStart();
        ((ObjectNode) sent.body()).put("startAt", 999);
        assertEquals(
                SkipReason.BAD_SIGNATURE, verifier.verify(sent).orElseThrow().reason());
    }

    @Test
    void rejectsATamperedRunIdAndASignatureByAnotherSecret() {
        Envelope sent = signedStart();
        Envelope retargeted = new Envelope(
                sent.v(), sent.type(), sent.id(), "run-2", sent.sentAt(), sent.expiresAt(), sent.body(), sent.sig());
        Envelope foreign = new ControlSigner("another secret of enough length".getBytes(StandardCharsets.UTF_8))
                .sign(codec.envelope("run-1", new StopRun(StopRun.Reason.OPERATOR, null), Duration.ofMinutes(1)));

        assertEquals(
                SkipReason.BAD_SIGNATURE,
                verifier.verify(retargeted).orElseThrow().reason());
        assertEquals(
                SkipReason.BAD_SIGNATURE, verifier.verify(foreign).orElseThrow().reason());
    }

    @Test
    void rejectsAnExpiredRecord() {
        Envelope sent = signedStart();
        clock.advance(Duration.ofMinutes(2));
        assertEquals(SkipReason.EXPIRED, verifier.verify(sent).orElseThrow().reason());
    }

    @Test
    void rejectsAReplayedRecordAndForgetsIdsOnceTheyExpire() {
        Envelope sent = signedStart();
        assertTrue(verifier.verify(sent).isEmpty());

        assertEquals(SkipReason.REPLAYED, verifier.verify(sent).orElseThrow().reason());

        clock.advance(Duration.ofMinutes(2));
        verifier.verify(signedStart());
        assertEquals(1, verifier.remembered(), "ids of expired records are forgotten");
    }

    @Test
    void refusesAShortSecret() {
        assertThrows(IllegalArgumentException.class, () -> new ControlSigner(new byte[8]));
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
