package io.kbench.agent.produce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.protocol.message.PayloadSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PayloadPoolTest {

    @TempDir
    Path dir;

    @Test
    void sendsThePayloadFileBytes() throws Exception {
        byte[] bytes = new byte[100];
        bytes[0] = 42;
        Path file = Files.write(dir.resolve("payload-100b.data"), bytes);

        PayloadPool pool = PayloadPool.create(new PayloadSpec(file.toString(), false, 0, 0), 100, 1);

        assertArrayEquals(bytes, pool.next());
    }

    @Test
    void rejectsAPayloadFileWhoseLengthIsNotTheMessageSize() throws Exception {
        Path file = Files.write(dir.resolve("payload.data"), new byte[100]);

        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> PayloadPool.create(new PayloadSpec(file.toString(), false, 0, 0), 1024, 1));

        assertTrue(e.getMessage().contains("payload.payloadFile"), e.getMessage());
        assertTrue(e.getMessage().contains("100 bytes but messageSize is 1024"), e.getMessage());
    }

    @Test
    void rejectsAMissingPayloadFile() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> PayloadPool.create(new PayloadSpec(dir.resolve("nope").toString(), false, 0, 0), 10, 1));

        assertTrue(e.getMessage().contains("payload.payloadFile"), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void rejectsANonPositiveMessageSize() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> PayloadPool.create(PayloadSpec.RANDOM, -5, 1));
        assertTrue(e.getMessage().startsWith("messageSize must be > 0, got -5"), e.getMessage());
    }

    @Test
    void randomizedPayloadsAreRandomHeadThenZeros() {
        PayloadPool pool = PayloadPool.create(new PayloadSpec(null, true, 0.25, 8), 100, 3);

        assertEquals(8, pool.size());
        Set<String> distinct = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            byte[] payload = pool.next();
            assertEquals(100, payload.length);
            for (int b = 25; b < 100; b++) {
                assertEquals(0, payload[b], "bytes after the random 25 % are zero");
            }
            distinct.add(java.util.Arrays.toString(payload));
        }
        assertEquals(8, distinct.size(), "every pooled payload is used");
    }

    @Test
    void randomizedPayloadsNeedAPoolAndARatioInRange() {
        assertThrows(
                IllegalArgumentException.class, () -> PayloadPool.create(new PayloadSpec(null, true, 0.5, 0), 100, 1));
        IllegalArgumentException ratio = assertThrows(
                IllegalArgumentException.class,
                () -> PayloadPool.create(new PayloadSpec(null, true, Double.NaN, 4), 100, 1));
        assertTrue(ratio.getMessage().contains("randomBytesRatio"), ratio.getMessage());
    }
}
