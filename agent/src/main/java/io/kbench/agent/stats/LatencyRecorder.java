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
 *
 * <p>A recorder whose first two kinds are <em>paired</em> (a consumer's corrected and raw end-to-end latency) keeps
 * one more histogram for the samples that are the same in both — every sample when no clock correction applies,
 * as on one host — records such a sample once, and adds that histogram to both when it is sampled: the same counts
 * as recording it twice, for one histogram value per record instead of two.
 */
final class LatencyRecorder {

    private final List<LatencyKind> kinds;
    /** Index of the histogram of samples the same in the first two kinds, or -1 when they are not paired. */
    private final int same;

    private final WriterReaderPhaser phaser = new WriterReaderPhaser();
    private volatile Histogram[] active;
    private Histogram[] inactive;

    LatencyRecorder(List<LatencyKind> kinds) {
        this(kinds, false);
    }

    /** @param paired whether the first two kinds often get the same value (then exactly two kinds) */
    LatencyRecorder(List<LatencyKind> kinds, boolean paired) {
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("kinds must not be empty");
        }
        if (paired && kinds.size() != 2) {
            throw new IllegalArgumentException("paired kinds must be exactly two, got " + kinds);
        }
        this.kinds = List.copyOf(kinds);
        this.same = paired ? kinds.size() : -1;
        int size = kinds.size() + (paired ? 1 : 0);
        this.active = newSet(size);
        this.inactive = newSet(size);
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
            if (same >= 0) {
                set[same].recordValue(value);
            } else {
                set[0].recordValue(value);
                set[1].recordValue(value);
            }
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
            if (same < 0) {
                for (int i = 0; i < count; i++) {
                    a.recordValue(first[i]);
                    b.recordValue(second[i]);
                }
                return;
            }
            Histogram both = set[same];
            for (int i = 0; i < count; i++) {
                long value = first[i];
                if (value == second[i]) {
                    both.recordValue(value);
                } else {
                    a.recordValue(value);
                    b.recordValue(second[i]);
                }
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
        if (same < 0) {
            return inactive;
        }
        // The writer records into the other set now: this one is the reader's alone.
        Histogram both = inactive[same];
        if (both.getTotalCount() > 0) {
            inactive[0].add(both);
            inactive[1].add(both);
        }
        return Arrays.copyOf(inactive, kinds.size());
    }
}
