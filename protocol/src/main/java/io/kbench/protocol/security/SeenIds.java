package io.kbench.protocol.security;

import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The ids of control records a reader has accepted or found on the control topic, each remembered until its
 * record expires: after that the record is refused for its expiry, so its id need not be kept. The set is bounded
 * by the records signed within one validity window ({@link SignatureVerifier#MAX_TTL}).
 *
 * <p>{@link #inMemory()} serves a process that rebuilds the set from the control topic at start ({@link
 * ControlHistory}); the aggregator keeps it in a changelogged state store instead, committed with its offsets.
 */
public interface SeenIds {

    boolean contains(String id);

    /** Remembers {@code id} until {@code expiresAt} (epoch ms). */
    void add(String id, long expiresAt);

    /** Forgets ids whose record expired before {@code now}. Only frees memory: expiry is checked first. */
    void forgetExpired(long now);

    int size();

    /** A set in memory, with its ids ordered by expiry so forgetting costs only what is forgotten. */
    static SeenIds inMemory() {
        return new InMemory();
    }

    /** Not thread-safe: one per consumer loop. */
    final class InMemory implements SeenIds {
        private final Map<String, Long> expiresAt = new HashMap<>();
        private final PriorityQueue<Map.Entry<String, Long>> byExpiry =
                new PriorityQueue<>(Map.Entry.comparingByValue());

        private InMemory() {}

        @Override
        public boolean contains(String id) {
            return expiresAt.containsKey(id);
        }

        @Override
        public void add(String id, long expiry) {
            Long before = expiresAt.put(id, expiry);
            if (before == null || before != expiry) {
                byExpiry.add(Map.entry(id, expiry));
            }
        }

        @Override
        public void forgetExpired(long now) {
            while (!byExpiry.isEmpty() && byExpiry.peek().getValue() < now) {
                Map.Entry<String, Long> oldest = byExpiry.poll();
                // Only the entry with the id's current expiry removes it (an id re-added later stays).
                expiresAt.remove(oldest.getKey(), oldest.getValue());
            }
        }

        @Override
        public int size() {
            return expiresAt.size();
        }
    }
}
