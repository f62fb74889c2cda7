package io.kbench.agent.produce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kbench.protocol.message.ClockOffset;
import java.util.SplittableRandom;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class SendStampTest {

    private static final long MICROS = 1_764_086_400_123_456L;
    private static final long CREATE_MS = MICROS / 1_000;

    @Test
    void roundTripsEpochMicrosInTheFirstEightBytesAndLeavesTheRest() {
        byte[] payload = new byte[100];
        payload[8] = 42;
        payload[99] = 7;

        SendStamp.write(payload, MICROS);

        assertEquals(MICROS, SendStamp.read(payload, CREATE_MS, TimestampType.CREATE_TIME));
        assertEquals(42, payload[8]);
        assertEquals(7, payload[99]);
        assertEquals(100, payload.length);
    }

    @Test
    void aPayloadShorterThanTheStampCarriesNone() {
        byte[] payload = {1, 2, 3, 4, 5, 6, 7};

        SendStamp.write(payload, MICROS);

        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7}, payload);
        assertEquals(SendStamp.NONE, SendStamp.read(payload, CREATE_MS, TimestampType.CREATE_TIME));
        assertEquals(SendStamp.NONE, SendStamp.read(null, CREATE_MS, TimestampType.CREATE_TIME));
    }

    @Test
    void aStampIsTrustedOnlyNearItsRecordsCreateTime() {
        byte[] payload = new byte[16];
        SendStamp.write(payload, MICROS);
        long window = SendStamp.CREATE_TIME_WINDOW_MICROS / 1_000;

        assertEquals(MICROS, SendStamp.read(payload, CREATE_MS + window - 1, TimestampType.CREATE_TIME));
        assertEquals(MICROS, SendStamp.read(payload, CREATE_MS - window + 1, TimestampType.CREATE_TIME));
        assertEquals(SendStamp.NONE, SendStamp.read(payload, CREATE_MS + window + 1, TimestampType.CREATE_TIME));
        assertEquals(SendStamp.NONE, SendStamp.read(payload, CREATE_MS - window - 1, TimestampType.CREATE_TIME));
        assertEquals(SendStamp.NONE, SendStamp.read(payload, -1, TimestampType.NO_TIMESTAMP_TYPE));
    }

    @Test
    void aLogAppendTimeMayBeMuchLaterThanTheStampButNotEarlier() {
        byte[] payload = new byte[16];
        SendStamp.write(payload, MICROS);

        assertEquals(MICROS, SendStamp.read(payload, CREATE_MS + 120_000, TimestampType.LOG_APPEND_TIME));
        assertEquals(SendStamp.NONE, SendStamp.read(payload, CREATE_MS + 400_000, TimestampType.LOG_APPEND_TIME));
        assertEquals(SendStamp.NONE, SendStamp.read(payload, CREATE_MS - 10_000, TimestampType.LOG_APPEND_TIME));
    }

    @Test
    void foreignPayloadsAreNotMistakenForStamps() {
        SplittableRandom random = new SplittableRandom(5);
        byte[] payload = new byte[32];
        for (int i = 0; i < 100_000; i++) {
            random.nextBytes(payload);
            assertEquals(SendStamp.NONE, SendStamp.read(payload, CREATE_MS, TimestampType.CREATE_TIME));
        }
        byte[] text = "{\"event\":\"click\",\"user\":17}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals(SendStamp.NONE, SendStamp.read(text, CREATE_MS, TimestampType.CREATE_TIME));
        assertEquals(SendStamp.NONE, SendStamp.read(new byte[1024], CREATE_MS, TimestampType.CREATE_TIME));
    }

    @Test
    void carriesTheProducerHostsClockOffsetSoAConsumerElsewhereCanCorrect() {
        byte[] payload = new byte[100];
        payload[16] = 9;
        // The producer's host is 50 ms ahead of the cluster: offset -50 ms, known to ± 0.4 ms.
        SendStamp.writeClock(payload, new ClockOffset(-50_000, 400, 1));
        SendStamp.write(payload, MICROS);

        assertEquals(MICROS, SendStamp.read(payload, CREATE_MS, TimestampType.CREATE_TIME), "the stamp is intact");
        assertEquals(9, payload[16], "nothing past the clock fields changes");
        assertEquals(50_000, SendStamp.correction(payload, new ClockOffset(0, 300, 1)));
        assertEquals(0, SendStamp.correction(payload, new ClockOffset(-49_500, 300, 1)), "within ± 0.7 ms: agree");
        assertEquals(0, SendStamp.correction(payload, null), "the consumer's offset unknown: nothing to correct by");
    }

    @Test
    void anUnknownOffsetOrAShortPayloadIsNotCorrected() {
        byte[] unknown = new byte[100];
        SendStamp.writeClock(unknown, null);
        assertEquals(0, SendStamp.correction(unknown, new ClockOffset(0, 300, 1)));

        byte[] twelve = new byte[12];
        SendStamp.writeClock(twelve, new ClockOffset(-50_000, 400, 1));
        assertArrayEquals(new byte[12], twelve, "too short for the clock fields: left as it was");
        assertEquals(0, SendStamp.correction(twelve, new ClockOffset(0, 300, 1)));
    }
}
