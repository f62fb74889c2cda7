package io.kbench.protocol.message;

/**
 * How a producer makes message bytes, with OMB's meanings.
 *
 * @param payloadFile a file on the agent's host whose bytes are every message (OMB's {@code payloadFile})
 * @param randomized OMB's {@code useRandomizedPayloads}: a pool of payloads, each part random
 * @param randomBytesRatio the random share of each randomized payload (0.0–1.0)
 * @param poolSize how many randomized payloads to cycle through
 */
public record PayloadSpec(String payloadFile, boolean randomized, double randomBytesRatio, int poolSize) {
    /** No file, not randomized: one payload of random bytes. */
    public static final PayloadSpec RANDOM = new PayloadSpec(null, false, 0.0, 0);

    /** This spec reading another file (a daemon names the real path of a file it checked). */
    public PayloadSpec withPayloadFile(String file) {
        return new PayloadSpec(file, randomized, randomBytesRatio, poolSize);
    }
}
