package io.kbench.agent.stats;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A cumulative counter with exactly one writing thread (a producer's I/O thread, a consumer's poll thread) and
 * any number of readers. {@code lazySet} avoids the locked instruction of {@code incrementAndGet}: it costs
 * nothing visible per message, and the reader (the stats thread, once a second) sees the value soon enough.
 */
public final class SingleWriterCounter {

    private final AtomicLong value = new AtomicLong();

    /** Only ever called from the one writing thread. */
    public void add(long delta) {
        value.lazySet(value.get() + delta);
    }

    public long get() {
        return value.get();
    }
}
