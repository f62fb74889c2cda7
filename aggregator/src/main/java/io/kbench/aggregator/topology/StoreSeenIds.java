package io.kbench.aggregator.topology;

import io.kbench.protocol.security.SeenIds;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The aggregator's seen control record ids, in a changelogged state store: id → expiry (epoch ms, 8 bytes).
 *
 * <p>Why a store and not a scan of the control topic at start, as the daemon does: Streams resumes the control
 * topic from its committed offset, not from its end, so records between that offset and the end are still to be
 * acted on; a scan would mark them seen and refuse them as replays. The store holds exactly the ids of the records
 * processed, and exactly-once commits it with the input offsets, so after a crash the set and the position agree.
 */
final class StoreSeenIds implements SeenIds {

    /** Expired ids are removed at most this often: the removal walks the store. */
    static final long SWEEP_INTERVAL_MS = 60_000;

    private final KeyValueStore<String, byte[]> store;
    private long lastSweep = Long.MIN_VALUE;

    StoreSeenIds(KeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    @Override
    public boolean contains(String id) {
        return store.get(id) != null;
    }

    @Override
    public void add(String id, long expiresAt) {
        store.put(id, ByteBuffer.allocate(Long.BYTES).putLong(expiresAt).array());
    }

    @Override
    public void forgetExpired(long now) {
        if (lastSweep != Long.MIN_VALUE && now - lastSweep < SWEEP_INTERVAL_MS) {
            return;
        }
        lastSweep = now;
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                if (ByteBuffer.wrap(entry.value).getLong() < now) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(store::delete);
    }

    @Override
    public int size() {
        return (int) Math.min(Integer.MAX_VALUE, store.approximateNumEntries());
    }
}
