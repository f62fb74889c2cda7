package io.kbench.aggregator.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StoreKeysTest {

    @Test
    void paddingMatchesTheFormatterSoStoredKeysKeepTheirOrder() {
        for (long value : new long[] {0, 7, 42, 1_796_171_238_165L, Long.MAX_VALUE, -3}) {
            assertEquals(String.format("%020d", value), StoreKeys.padded(value));
        }
        assertEquals("l\u001frun\u001fp0\u001f00000000000000000012", StoreKeys.log("run", "p0", 12));
        assertEquals("run", StoreKeys.runIdOf(StoreKeys.window("run", 1_000)));
    }
}
