package io.kbench.agent.produce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.kbench.protocol.message.KeyDistributorType;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyDistributorTest {

    @Test
    void noKeyGivesNull() {
        KeyDistributor keys = KeyDistributor.of(KeyDistributorType.NO_KEY, 1, () -> 0);
        assertNull(keys.next());
        assertNull(keys.next());
    }

    @Test
    void roundRobinCyclesOverAFixedSetOfDistinctKeys() {
        KeyDistributor keys = KeyDistributor.of(KeyDistributorType.KEY_ROUND_ROBIN, 7, () -> 0);
        Set<String> seen = new HashSet<>();
        byte[] first = keys.next();
        seen.add(new String(first, StandardCharsets.US_ASCII));
        for (int i = 1; i < KeyDistributor.UNIQUE_KEYS; i++) {
            seen.add(new String(keys.next(), StandardCharsets.US_ASCII));
        }

        assertEquals(KeyDistributor.UNIQUE_KEYS, seen.size(), "10,000 distinct keys, like OMB");
        assertSame(first, keys.next(), "the cycle starts over, reusing the same arrays");
        assertEquals(10, first.length, "7 random bytes in unpadded base64url, like OMB");
    }

    @Test
    void randomNanoPicksTheKeyByTheClock() {
        long[] nanos = {3};
        KeyDistributor keys = KeyDistributor.of(KeyDistributorType.RANDOM_NANO, 7, () -> nanos[0]);
        byte[][] pool = KeyDistributor.keys(7);

        assertArrayEquals(pool[3], keys.next());
        nanos[0] = KeyDistributor.UNIQUE_KEYS * 5L + 17;
        assertArrayEquals(pool[17], keys.next());
        nanos[0] = -1; // nanoTime may be negative
        assertArrayEquals(pool[KeyDistributor.UNIQUE_KEYS - 1], keys.next());
    }

    @Test
    void theSameSeedGivesTheSameKeys() {
        assertArrayEquals(KeyDistributor.keys(99)[1234], KeyDistributor.keys(99)[1234]);
    }
}
