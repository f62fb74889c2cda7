package io.kbench.protocol.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kbench.protocol.Decoded;
import io.kbench.protocol.Envelope;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.SkipReason;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StopRun;
import io.kbench.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SignatureVerifierTest {

    private static final byte[] SECRET = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);

    private final TestClock clock = new TestClock(Instant.parse("2026-11-25T12:00:00Z"));
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
    void aReplayIsRefusedForAsLongAsTheRecordIsValidThenByItsExpiry() {
        Envelope sent = signedStart();
        assertTrue(verifier.verify(sent).isEmpty());

        clock.advance(Duration.ofSeconds(59));
        assertEquals(SkipReason.REPLAYED, verifier.verify(sent).orElseThrow().reason());
        clock.advance(Duration.ofSeconds(2));
        assertEquals(SkipReason.EXPIRED, verifier.verify(sent).orElseThrow().reason());
        assertEquals(0, verifier.remembered(), "the expired id was evicted");
    }

    @Test
    void anIdRememberedFromTheTopicMakesALaterCopyAReplayInAFreshVerifier() {
        Envelope genuine = signedStart();
        assertTrue(verifier.verify(genuine).isEmpty(), "the reader before its restart acted on it");

        // After a restart: a new verifier, filled from the control topic's history.
        SignatureVerifier restarted = new SignatureVerifier(signer, clock);
        clock.advance(Duration.ofSeconds(30));
        assertTrue(restarted.remember(genuine));

        assertEquals(
                SkipReason.REPLAYED, restarted.verify(genuine).orElseThrow().reason());
    }

    @Test
    void onlyGenuineUnexpiredRecordsAreRememberedFromHistory() {
        Envelope expired = signedStart();
        clock.advance(Duration.ofMinutes(2));
        Envelope unsigned = codec.envelope("run-1", new StartRun(1, 2, 3, 4), Duration.ofMinutes(1));

        assertFalse(verifier.remember(unsigned), "a forged record must not fill the set");
        assertFalse(verifier.remember(expired));
        assertEquals(0, verifier.remembered());
        assertTrue(verifier.verify(signer.sign(unsigned.withSig(null))).isEmpty(), "a real record with that id");
    }

    @Test
    void refusesASignedRecordValidForLongerThanTheMaximum() {
        Envelope tooLong = signer.sign(codec.envelope(
                "run-1", new StopRun(StopRun.Reason.OPERATOR, null), SignatureVerifier.MAX_TTL.plusSeconds(1)));
        assertEquals(
                SkipReason.BAD_SIGNATURE, verifier.verify(tooLong).orElseThrow().reason());
    }

    @Test
    void authenticityIgnoresAgeAndRepeats() {
        Envelope sent = signedStart();
        assertTrue(verifier.verify(sent).isEmpty());
        clock.advance(Duration.ofDays(3));

        assertEquals(Optional.empty(), verifier.authenticate(sent));
        assertEquals(
                SkipReason.UNSIGNED,
                verifier.authenticate(sent.withSig(null)).orElseThrow().reason());
    }

    @Test
    void seenIdsForgetOnlyWhatExpired() {
        SeenIds seen = SeenIds.inMemory();
        seen.add("a", 100);
        seen.add("b", 200);
        seen.add("a", 300); // seen again with a later expiry: kept until then

        seen.forgetExpired(250);

        assertTrue(seen.contains("a"));
        assertFalse(seen.contains("b"));
        assertEquals(1, seen.size());
    }

    @Test
    void refusesAShortSecret() {
        assertThrows(IllegalArgumentException.class, () -> new ControlSigner(new byte[8]));
    }
}
