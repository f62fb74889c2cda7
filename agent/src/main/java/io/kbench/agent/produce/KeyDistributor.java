package io.kbench.agent.produce;

import io.kbench.protocol.message.KeyDistributorType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * Message keys with OMB's semantics: a fixed set of 10,000 random 7-byte keys (base64url, as OMB encodes them),
 * used round robin ({@code KEY_ROUND_ROBIN}), picked by the nano clock ({@code RANDOM_NANO}), or no key at all
 * ({@code NO_KEY}). Keys are created once; {@link #next()} allocates nothing.
 */
public abstract class KeyDistributor {

    /** OMB's number of distinct keys. */
    public static final int UNIQUE_KEYS = 10_000;

    private static final int KEY_BYTES = 7;

    /** The next key, or {@code null} for no key. */
    public abstract byte[] next();

    /**
     * @param seed makes the key set reproducible
     * @param nanoTime the clock {@code RANDOM_NANO} picks by ({@code System::nanoTime} in production)
     */
    public static KeyDistributor of(KeyDistributorType type, long seed, LongSupplier nanoTime) {
        return switch (type) {
            case NO_KEY -> new NoKey();
            case KEY_ROUND_ROBIN -> new RoundRobin(keys(seed));
            case RANDOM_NANO -> new RandomNano(keys(seed), nanoTime);
        };
    }

    static byte[][] keys(long seed) {
        Random random = new Random(seed);
        byte[][] keys = new byte[UNIQUE_KEYS][];
        byte[] raw = new byte[KEY_BYTES];
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        for (int i = 0; i < keys.length; i++) {
            random.nextBytes(raw);
            keys[i] = encoder.encodeToString(raw).getBytes(StandardCharsets.US_ASCII);
        }
        return keys;
    }

    private static final class NoKey extends KeyDistributor {
        @Override
        public byte[] next() {
            return null;
        }
    }

    private static final class RoundRobin extends KeyDistributor {
        private final byte[][] keys;
        private int index;

        RoundRobin(byte[][] keys) {
            this.keys = keys;
        }

        @Override
        public byte[] next() {
            byte[] key = keys[index];
            index = index + 1 == keys.length ? 0 : index + 1;
            return key;
        }
    }

    private static final class RandomNano extends KeyDistributor {
        private final byte[][] keys;
        private final LongSupplier nanoTime;

        RandomNano(byte[][] keys, LongSupplier nanoTime) {
            this.keys = keys;
            this.nanoTime = nanoTime;
        }

        @Override
        public byte[] next() {
            return keys[(int) Math.floorMod(nanoTime.getAsLong(), (long) keys.length)];
        }
    }
}
