package io.kbench.protocol.security;

import io.kbench.protocol.Envelope;
import io.kbench.protocol.EnvelopeBytes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs control envelopes with HMAC-SHA256 over their canonical form. Thread-safe. */
public final class ControlSigner {

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    public ControlSigner(byte[] secret) {
        if (secret == null || secret.length < 16) {
            throw new IllegalArgumentException("the shared secret must be at least 16 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
    }

    /** Reads a secret file; surrounding white space (a trailing newline) is not part of the secret. */
    public static ControlSigner fromFile(Path file) throws java.io.IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("secret file " + file + " is empty");
        }
        return new ControlSigner(text.getBytes(StandardCharsets.UTF_8));
    }

    public Envelope sign(Envelope envelope) {
        return envelope.withSig(signature(envelope));
    }

    String signature(Envelope envelope) {
        return Base64.getEncoder().encodeToString(mac(EnvelopeBytes.signed(envelope)));
    }

    boolean matches(Envelope envelope) {
        if (envelope.sig() == null) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(envelope.sig());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(given, mac(EnvelopeBytes.signed(envelope)));
    }

    private byte[] mac(byte[] data) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
