package io.kbench.protocol.security;

import io.kbench.protocol.Envelope;
import io.kbench.protocol.SkipReason;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * Verifies signed control records: rejects unsigned, tampered, expired and replayed ones, each with its own
 * reason. A signed record must carry an expiry no further ahead than {@link #MAX_TTL}, so the set of seen ids
 * only needs to remember ids until they expire. Not thread-safe: one per consumer loop.
 */
public final class SignatureVerifier {

    /** Longest life a signed record may claim; longer would make the replay memory unbounded. */
    public static final Duration MAX_TTL = Duration.ofDays(1);

    private final ControlSigner signer;
    private final Clock clock;
    private final Map<String, Long> seen = new HashMap<>();
    private final PriorityQueue<Map.Entry<String, Long>> byExpiry = new PriorityQueue<>(Map.Entry.comparingByValue());

    public SignatureVerifier(ControlSigner signer, Clock clock) {
        this.signer = signer;
        this.clock = clock;
    }

    /** Empty when the record may be acted on; otherwise why not. A passing record's id is remembered. */
    public Optional<Rejection> verify(Envelope envelope) {
        long now = clock.millis();
        forgetExpired(now);
        if (envelope.sig() == null || envelope.sig().isEmpty()) {
            return reject(SkipReason.UNSIGNED, "record " + envelope.id() + " is not signed");
        }
        if (!signer.matches(envelope)) {
            return reject(SkipReason.BAD_SIGNATURE, "signature of record " + envelope.id() + " does not match");
        }
        if (envelope.expiresAt() == null || envelope.expiresAt() - envelope.sentAt() > MAX_TTL.toMillis()) {
            return reject(SkipReason.BAD_SIGNATURE, "signed record " + envelope.id() + " lacks a bounded expiry");
        }
        if (envelope.expiresAt() < now) {
            return reject(SkipReason.EXPIRED, "record " + envelope.id() + " expired at " + envelope.expiresAt());
        }
        if (seen.containsKey(envelope.id())) {
            return reject(SkipReason.REPLAYED, "record id " + envelope.id() + " was seen before");
        }
        seen.put(envelope.id(), envelope.expiresAt());
        byExpiry.add(Map.entry(envelope.id(), envelope.expiresAt()));
        return Optional.empty();
    }

    int remembered() {
        return seen.size();
    }

    private void forgetExpired(long now) {
        while (!byExpiry.isEmpty() && byExpiry.peek().getValue() < now) {
            seen.remove(byExpiry.poll().getKey());
        }
    }

    private static Optional<Rejection> reject(SkipReason reason, String detail) {
        return Optional.of(new Rejection(reason, detail));
    }

    /** Why a record was rejected. */
    public record Rejection(SkipReason reason, String detail) {}
}
