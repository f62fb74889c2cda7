package io.kbench.protocol;

/** The bytes of an envelope that a signature covers. */
public final class EnvelopeBytes {

    private EnvelopeBytes() {}

    /** The envelope without {@code sig}, in canonical JSON (keys sorted, numbers normalized). */
    public static byte[] signed(Envelope envelope) {
        return CanonicalJson.write(Json.WIRE.valueToTree(envelope.withSig(null)));
    }
}
