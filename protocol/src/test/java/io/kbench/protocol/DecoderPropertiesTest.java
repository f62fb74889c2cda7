package io.kbench.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kbench.protocol.message.AgentRole;
import io.kbench.protocol.message.LatencyKind;
import io.kbench.protocol.message.MessageType;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.RateChange;
import io.kbench.protocol.message.StatsReport;
import io.kbench.protocol.message.StopRun;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever arrives on a topic, decoding gives a value or a reasoned skip, never an exception. */
class DecoderPropertiesTest {

    private final MessageCodec codec = new MessageCodec();

    @Property(tries = 10_000)
    void arbitraryBytesDecodeToAValueOrASkip(@ForAll byte[] bytes) {
        assertNotNull(codec.decode(bytes));
    }

    @Property(tries = 10_000)
    void mutatedValidEnvelopesDecodeToAValueOrASkip(@ForAll("mutatedEnvelopes") byte[] bytes) {
        assertNotNull(codec.decode(bytes));
    }

    @Property(tries = 10_000)
    void leanDecodingNeverThrows(@ForAll byte[] bytes) {
        assertNotNull(codec.decodeLean(bytes));
    }

    /** The aggregator's one-pass decoding gives what the tree decoding gives: the same message, the same skips. */
    @Property(tries = 10_000)
    void leanDecodingAgreesWithTreeDecoding(@ForAll("mutatedEnvelopes") byte[] bytes) {
        Decoded tree = codec.decode(bytes);
        Decoded lean = codec.decodeLean(bytes);
        if (tree instanceof Decoded.Ok ok) {
            Decoded.Ok leanOk = assertInstanceOf(Decoded.Ok.class, lean, () -> "tree decoded, lean gave " + lean);
            assertEquals(ok.message(), leanOk.message());
            Envelope e = ok.envelope();
            assertEquals(
                    new Envelope(e.v(), e.type(), e.id(), e.runId(), e.sentAt(), e.expiresAt(), null, e.sig()),
                    leanOk.envelope());
            assertNull(leanOk.envelope().body());
        } else {
            Decoded.Skip skip = assertInstanceOf(Decoded.Skip.class, lean, () -> "tree skipped " + tree);
            assertEquals(((Decoded.Skip) tree).reason(), skip.reason(), () -> tree + " vs " + skip);
        }
    }

    /**
     * Binding the body to the type an input mostly carries, in the envelope's own pass, gives exactly what binding
     * it afterwards gives, whatever the record's real type: the same message, or the same skip with the same detail.
     */
    @Property(tries = 10_000)
    void bindingTheLikelyTypeInTheEnvelopesPassChangesNoOutcome(
            @ForAll("mutatedEnvelopes") byte[] bytes, @ForAll MessageType likely) {
        assertEquals(codec.decodeLean(bytes), codec.decodeLean(bytes, likely));
    }

    @Provide
    Arbitrary<byte[]> mutatedEnvelopes() {
        Arbitrary<byte[]> valid = Arbitraries.of(
                        codec.encode("r", new RateChange(1000), Duration.ofMinutes(1)),
                        codec.encode("r", new StopRun(StopRun.Reason.FAILED, "x"), null),
                        codec.encode(
                                "r",
                                new StatsReport(
                                        "a",
                                        "w",
                                        AgentRole.PRODUCER,
                                        Phase.MEASURE,
                                        1,
                                        2,
                                        3,
                                        4,
                                        5,
                                        6,
                                        Map.of("TimeoutException", 1L),
                                        0,
                                        0,
                                        0,
                                        7,
                                        8,
                                        Map.of(LatencyKind.PUBLISH_LATENCY, "HISTOGRAM"),
                                        false,
                                        null,
                                        null,
                                        0,
                                        0L,
                                        null,
                                        null),
                                null))
                .map(byte[]::clone);
        Arbitrary<Integer> position = Arbitraries.integers().between(0, 10_000);
        Arbitrary<Byte> replacement = Arbitraries.bytes();
        Arbitrary<String> token = Arbitraries.of(
                "\"", "{", "}", "[", "]", ":", ",", "null", "-1", "1e999", "\"v\":99", "true", "\\u0000", "NaN");
        return net.jqwik.api.Combinators.combine(
                        valid,
                        position,
                        replacement,
                        token,
                        Arbitraries.integers().between(0, 3))
                .as((bytes, at, b, text, kind) -> mutate(bytes, at % bytes.length, b, text, kind));
    }

    private static byte[] mutate(byte[] bytes, int at, byte replacement, String token, int kind) {
        switch (kind) {
            case 0 -> bytes[at] = replacement; // flip one byte
            case 1 -> { // truncate
                byte[] cut = new byte[at];
                System.arraycopy(bytes, 0, cut, 0, at);
                return cut;
            }
            case 2 -> { // splice a JSON token in
                String text = new String(bytes, StandardCharsets.UTF_8);
                int i = Math.min(at, text.length());
                return (text.substring(0, i) + token + text.substring(i)).getBytes(StandardCharsets.UTF_8);
            }
            default -> { // replace a value of the body with a token
                String text = new String(bytes, StandardCharsets.UTF_8);
                return text.replaceFirst(":([0-9.]+)", ":" + token).getBytes(StandardCharsets.UTF_8);
            }
        }
        return bytes;
    }
}
