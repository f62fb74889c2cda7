package io.kbench.protocol.security;

import io.kbench.protocol.Envelope;
import io.kbench.protocol.SkipReason;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Verifies signed control records: rejects unsigned, tampered, expired and replayed ones, each with its own
 * reason. The one verifier of kbench: the worker daemon, the aggregator and the controller's readers of the
 * control topic all use it.
 *
 * <p>A signed record must carry an expiry no further than {@link #MAX_TTL} after its {@code sentAt}, so a record is
 * acted on at most once per reader: within its validity by the id check ({@link SeenIds}, which a reader fills
 * from the control topic itself at start, see {@link ControlHistory}), after it by expiry. Not thread-safe: one
 * per consumer loop.
 */
public final class SignatureVerifier {

    /**
     * Longest validity a signed record may claim. It bounds how far back a reader must look for ids on the control
     * topic when it starts, and how many ids it remembers; the controller signs with {@link ControlValidity}, well
     * within it.
     */
    public static final Duration MAX_TTL = Duration.ofHours(1);

    private final ControlSigner signer;
    private final Clock clock;
    private final SeenIds seen;

    public SignatureVerifier(ControlSigner signer, Clock clock) {
        this(signer, clock, SeenIds.inMemory());
    }

    /** With a seen set of the caller's (the aggregator's state store). */
    public SignatureVerifier(ControlSigner signer, Clock clock, SeenIds seen) {
        this.signer = signer;
        this.clock = clock;
        this.seen = seen;
    }

    /** Empty when the record may be acted on; otherwise why not. A passing record's id is remembered. */
    public Optional<Rejection> verify(Envelope envelope) {
        long now = clock.millis();
        seen.forgetExpired(now);
        Optional<Rejection> inauthentic = authenticate(envelope);
        if (inauthentic.isPresent()) {
            return inauthentic;
        }
        if (envelope.expiresAt() < now) {
            return reject(SkipReason.EXPIRED, "record " + envelope.id() + " expired at " + envelope.expiresAt());
        }
        if (seen.contains(envelope.id())) {
            return reject(SkipReason.REPLAYED, "record id " + envelope.id() + " was seen before");
        }
        seen.add(envelope.id(), envelope.expiresAt());
        return Optional.empty();
    }

    /**
     * Whether a holder of the secret wrote this record, whatever its age and however often it was seen: for readers
     * of the control topic's history (the controller's {@code runs}, {@code show}, {@code clean}), which act on
     * what a run was, not on an order.
     */
    public Optional<Rejection> authenticate(Envelope envelope) {
        if (envelope.sig() == null || envelope.sig().isEmpty()) {
            return reject(SkipReason.UNSIGNED, "record " + envelope.id() + " is not signed");
        }
        if (!signer.matches(envelope)) {
            return reject(SkipReason.BAD_SIGNATURE, "signature of record " + envelope.id() + " does not match");
        }
        if (envelope.expiresAt() == null || envelope.expiresAt() - envelope.sentAt() > MAX_TTL.toMillis()) {
            return reject(
                    SkipReason.BAD_SIGNATURE,
                    "signed record " + envelope.id() + " lacks an expiry within " + MAX_TTL.toMinutes()
                            + " min of its sentAt");
        }
        return Optional.empty();
    }

    /**
     * Remembers the id of a record found on the control topic before this reader started reading it, without
     * acting on it: a later copy of it is then a replay. Only genuine, unexpired records are remembered, so
     * forged ones cannot fill the set. Returns whether it was remembered.
     */
    public boolean remember(Envelope envelope) {
        long now = clock.millis();
        if (authenticate(envelope).isPresent() || envelope.expiresAt() < now) {
            return false;
        }
        seen.add(envelope.id(), envelope.expiresAt());
        return true;
    }

    int remembered() {
        return seen.size();
    }

    private static Optional<Rejection> reject(SkipReason reason, String detail) {
        return Optional.of(new Rejection(reason, detail));
    }

    /** Why a record was rejected. */
    public record Rejection(SkipReason reason, String detail) {}
}
