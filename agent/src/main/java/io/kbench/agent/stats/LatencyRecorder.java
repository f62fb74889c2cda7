package io.kbench.agent.stats;

import io.kbench.protocol.histogram.HistogramCodec;
import io.kbench.protocol.message.LatencyKind;
import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.WriterReaderPhaser;

/**
 * The interval histograms of one agent's latency kinds, recorded by one writing thread and swapped out by a reader,
 * like HdrHistogram's {@code SingleWriterRecorder} but with <b>one</b> {@link WriterReaderPhaser} for all kinds.
 *
 * <p>Why: a producer records three latencies per acknowledgement on Kafka's I/O thread. With a recorder per kind
 * that was three critical sections (six atomic increments) per ack; here the three values go into their
 * histograms inside one, and a consumer records a whole poll's samples (corrected and raw end-to-end) inside one. Every sample is still recorded,
 * at full resolution.
 */
final class LatencyRecorder {

    private final List<LatencyKind> kinds;
    private final WriterReaderPhaser phaser = new WriterReaderPhaser();
    private volatile Histogram[] active;
    private Histogram[] inactive;

    LatencyRecorder(List<LatencyKind> kinds) {
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("kinds must not be empty");
        }
        this.kinds = List.copyOf(kinds);
        this.active = newSet(kinds.size());
        this.inactive = newSet(kinds.size());
    }

    private static Histogram[] newSet(int size) {
        Histogram[] set = new Histogram[size];
        for (int i = 0; i < size; i++) {
            set[i] = HistogramCodec.newHistogram(); // auto-resizing: no value is ever out of range
        }
        return set;
    }

    List<LatencyKind> kinds() {
        return kinds;
    }

    /** Records one value per kind, in the order of {@link #kinds()}; only three kinds. Writer thread only. */
    void record(long first, long second, long third) {
        long epoch = phaser.writerCriticalSectionEnter();
        try {
            Histogram[] set = active;
            set[0].recordValue(first);
            set[1].recordValue(second);
            set[2].recordValue(third);
        } finally {
            phaser.writerCriticalSectionExit(epoch);
        }
    }

    /** Records one value of the first kind and the same of the second. Writer thread only. */
    void recordBoth(long value) {
        long epoch = phaser.writerCriticalSectionEnter();
        try {
            Histogram[] set = active;
            set[0].recordValue(value);
            set[1].recordValue(value);
        } finally {
            phaser.writerCriticalSectionExit(epoch);
        }
    }

    /**
     * Records {@code count} values of the first kind and as many of the second, pairwise ({@code first[i]} and
     * {@code second[i]} describe one message). Writer thread only.
     */
    void record(long[] first, long[] second, int count) {
        long epoch = phaser.writerCriticalSectionEnter();
        try {
            Histogram[] set = active;
            Histogram a = set[0];
            Histogram b = set[1];
            for (int i = 0; i < count; i++) {
                a.recordValue(first[i]);
                b.recordValue(second[i]);
            }
        } finally {
            phaser.writerCriticalSectionExit(epoch);
        }
    }

    /**
     * The histograms recorded since the previous call, one per kind in the order of {@link #kinds()}. They stay
     * valid until the next call (which recycles them), so a caller encodes them before asking again.
     */
    synchronized Histogram[] sample() {
        phaser.readerLock();
        try {
            Histogram[] recycled = inactive;
            Arrays.stream(recycled).forEach(Histogram::reset);
            inactive = active;
            active = recycled;
            phaser.flipPhase();
        } finally {
            phaser.readerUnlock();
        }
        return inactive;
    }
}
