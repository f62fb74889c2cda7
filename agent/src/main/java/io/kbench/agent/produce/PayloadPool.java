package io.kbench.agent.produce;

import io.kbench.protocol.message.PayloadSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * The message values a producer sends, made once with OMB's rules:
 *
 * <ul>
 *   <li>{@code randomized} ({@code useRandomizedPayloads}): {@code poolSize} payloads of {@code messageSize}
 *       bytes, the first {@code messageSize * randomBytesRatio} of each random, the rest zeros;
 *   <li>else a {@code payloadFile}: its bytes, whose length must equal {@code messageSize} (OMB fails too);
 *   <li>else one payload of {@code messageSize} random bytes.
 * </ul>
 *
 * {@link #next()} picks one at random (as OMB does) without allocating. A pool belongs to one producer thread,
 * which writes its send time into the first bytes of the array {@code next()} returns ({@link SendStamp}): every
 * pooled payload is this pool's own array, never shared with another producer.
 */
public final class PayloadPool {

    private final byte[][] payloads;
    private final SplittableRandom random;

    private PayloadPool(byte[][] payloads, long seed) {
        this.payloads = payloads;
        this.random = new SplittableRandom(seed);
    }

    /**
     * @throws IllegalArgumentException naming the field ({@code messageSize}, {@code payload.payloadFile},
     *     {@code payload.poolSize}, {@code payload.randomBytesRatio}) when the spec cannot be honoured
     */
    public static PayloadPool create(PayloadSpec spec, int messageSize, long seed) {
        if (messageSize <= 0) {
            throw new IllegalArgumentException("messageSize must be > 0, got " + messageSize);
        }
        Random random = new Random(seed);
        if (spec.randomized()) {
            double ratio = spec.randomBytesRatio();
            if (!(ratio >= 0 && ratio <= 1)) {
                throw new IllegalArgumentException(
                        "payload.randomBytesRatio must be between 0.0 and 1.0, got " + ratio);
            }
            if (spec.poolSize() < 1) {
                throw new IllegalArgumentException(
                        "payload.poolSize (randomizedPayloadPoolSize) must be >= 1 with randomized payloads, got "
                                + spec.poolSize());
            }
            int randomBytes = (int) (messageSize * ratio);
            byte[][] pool = new byte[spec.poolSize()][];
            for (int i = 0; i < pool.length; i++) {
                byte[] payload = new byte[messageSize];
                byte[] head = new byte[randomBytes];
                random.nextBytes(head);
                System.arraycopy(head, 0, payload, 0, randomBytes);
                pool[i] = payload;
            }
            return new PayloadPool(pool, seed);
        }
        if (spec.payloadFile() != null && !spec.payloadFile().isBlank()) {
            return new PayloadPool(new byte[][] {readFile(spec.payloadFile(), messageSize)}, seed);
        }
        byte[] payload = new byte[messageSize];
        random.nextBytes(payload);
        return new PayloadPool(new byte[][] {payload}, seed);
    }

    /** Hands every pooled payload to {@code action}, to write what stays the same for the agent's life. */
    void forEachPayload(java.util.function.Consumer<byte[]> action) {
        for (byte[] payload : payloads) {
            action.accept(payload);
        }
    }

    private static byte[] readFile(String file, int messageSize) {
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("payload.payloadFile '" + file + "' does not exist or is not a file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "payload.payloadFile '" + file + "' cannot be read: " + e.getMessage(), e);
        }
        if (bytes.length != messageSize) {
            throw new IllegalArgumentException("payload.payloadFile '" + file + "' is " + bytes.length
                    + " bytes but messageSize is " + messageSize + ": they must match");
        }
        return bytes;
    }

    public byte[] next() {
        return payloads.length == 1 ? payloads[0] : payloads[random.nextInt(payloads.length)];
    }

    public int size() {
        return payloads.length;
    }
}
