package io.kbench.protocol.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClockOffsetTest {

    @Test
    void theCorrectionIsTheOffsetsDifferenceWhenItExceedsTheirUncertainties() {
        // The producer's host is 50 ms ahead of the cluster (offset -50 ms), the consumer's agrees with it.
        assertEquals(50_000, ClockOffset.correctionMicros(0, 300, -50_000, 400));
        assertEquals(-50_000, ClockOffset.correctionMicros(-50_000, 400, 0, 300));
    }

    @Test
    void hostsThatCannotBeToldApartAreNotCorrected() {
        assertEquals(0, ClockOffset.correctionMicros(120, 300, -150, 400), "270 µs apart, ± 700 µs");
        assertEquals(0, ClockOffset.correctionMicros(5, 0, 5, 0));
    }

    @Test
    void describesInMilliseconds() {
        assertEquals("-50.02 ms +/- 0.31", new ClockOffset(-50_020, 310, 1).describe());
        assertEquals("+0.00 ms +/- 0.00", new ClockOffset(0, 0, 1).describe());
    }

    @Test
    void refusesWhatAPayloadCannotCarry() {
        assertThrows(IllegalArgumentException.class, () -> new ClockOffset(0, -1, 1));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new ClockOffset(40L * 60 * 1_000_000, 10, 1));
        assertTrue(e.getMessage().contains("beyond +/- 35 minutes"), e.getMessage());
    }

    @Test
    void travelsInHeartbeatsAndLaunchesAndIsAbsentFromOlderOnes() throws Exception {
        var codec = new io.kbench.protocol.MessageCodec(java.time.Clock.systemUTC());
        MemberHeartbeat beat = new MemberHeartbeat(
                "w1",
                MemberRole.WORKER,
                "h",
                2,
                1,
                8,
                0,
                "v",
                1,
                2000,
                MemberHealth.healthy(1),
                new ClockOffset(-50_000, 300, 7));
        byte[] bytes = codec.encode(codec.envelope("r", beat, null));
        MemberHeartbeat back = (MemberHeartbeat) ((io.kbench.protocol.Decoded.Ok) codec.decode(bytes)).message();
        assertEquals(beat.clock(), back.clock());
        MemberHeartbeat older = new MemberHeartbeat("w1", MemberRole.WORKER, "h", 2, 1, 8, 0, "v", 1, 2000, null, null);
        byte[] olderBytes = codec.encode(codec.envelope("r", older, null));
        assertEquals(
                null, ((MemberHeartbeat) ((io.kbench.protocol.Decoded.Ok) codec.decode(olderBytes)).message()).clock());
    }
}
