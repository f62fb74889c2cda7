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
 * histograms inside one, and a consumer records a whole poll's samples (corrected and raw end-to-end) inside one.
 * Every sample is still recorded, at full resolution.
 *
 * <p>A recorder may also keep one <em>shared</em> histogram for samples whose values are known from one number:
 * a consumer's corrected and raw end-to-end latency are the same wherever no clock correction applies (every sample,
 * on one host) ({@link #paired}); a producer's send made on time has a publish delay of 0 and an intended latency
 * equal to its publish latency (every send of an unthrottled producer) ({@link #onTime}). Such a sample is recorded
 * once, into the shared histogram, and when the interval is sampled that histogram is added to the kinds that had its
 * value and its count is recorded as zeros in the kinds that had 0: the same counts as recording every kind's value,
 * for one histogram value per record instead of two or three.
 */
final class LatencyRecorder {

    private final List<LatencyKind> kinds;
    /** Index of the shared histogram, or -1 when there is none. */
    private final int shared;
    /** The kinds a shared sample stands for with its own value. */
    private final int[] sharedInto;
    /** The kinds a shared sample stands for with the value 0. */
    private final int[] zerosInto;
    /** Whether the shared histogram stands for the first two kinds alike ({@link #paired}). */
    private final boolean pairs;

    private final WriterReaderPhaser phaser = new WriterReaderPhaser();
    private volatile Histogram[] active;
    private Histogram[] inactive;

    private LatencyRecorder(List<LatencyKind> kinds, int[] sharedInto, int[] zerosInto) {
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("kinds must not be empty");
        }
        this.kinds = List.copyOf(kinds);
        this.shared = sharedInto.length > 0 ? kinds.size() : -1;
        this.sharedInto = sharedInto;
        this.zerosInto = zerosInto;
        this.pairs = shared >= 0 && zerosInto.length == 0;
        int size = kinds.size() + (shared >= 0 ? 1 : 0);
        this.active = newSet(size);
        this.inactive = newSet(size);
    }

    /** One histogram per kind, nothing shared. */
    static LatencyRecorder separate(List<LatencyKind> kinds) {
        return new LatencyRecorder(kinds, new int[0], new int[0]);
    }

    /**
     * Two kinds that often get the same value (a consumer's corrected and raw end-to-end latency): {@link
     * #recordBoth} and {@link #record(long[], long[], int)} record a value the same in both once.
     */
    static LatencyRecorder paired(LatencyKind first, LatencyKind second) {
        return new LatencyRecorder(List.of(first, second), new int[] {0, 1}, new int[0]);
    }

    /**
     * A producer's latency, delay and intended latency (ack − send, send − intended, ack − intended): {@link
     * #recordOnTime} records a send whose delay was 0 and whose intended latency equals its latency once.
     */
    static LatencyRecorder onTime(LatencyKind latency, LatencyKind delay, LatencyKind intended) {
        return new LatencyRecorder(List.of(latency, delay, intended), new int[] {0, 2}, new int[] {1});
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

    /**
     * Records a send made on time: {@code latency} of the first and third kinds and 0 of the second, once. Only on a
     * recorder made by {@link #onTime}. Writer thread only.
     */
    void recordOnTime(long latency) {
        if (zerosInto.length == 0) {
            throw new IllegalStateException("not an on-time recorder: " + kinds);
        }
        long epoch = phaser.writerCriticalSectionEnter();
        try {
            active[shared].recordValue(latency);
        } finally {
            phaser.writerCriticalSectionExit(epoch);
        }
    }

    /** Records one value of the first kind and the same of the second (two kinds only). Writer thread only. */
    void recordBoth(long value) {
        long epoch = phaser.writerCriticalSectionEnter();
        try {
            Histogram[] set = active;
            if (pairs) {
                set[shared].recordValue(value);
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
     * {@code second[i]} describe one message); two kinds only. Writer thread only.
     */
    void record(long[] first, long[] second, int count) {
        long epoch = phaser.writerCriticalSectionEnter();
        try {
            Histogram[] set = active;
            Histogram a = set[0];
            Histogram b = set[1];
            if (!pairs) {
                for (int i = 0; i < count; i++) {
                    a.recordValue(first[i]);
                    b.recordValue(second[i]);
                }
                return;
            }
            Histogram both = set[shared];
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
        if (shared < 0) {
            return inactive;
        }
        // The writer records into the other set now: this one is the reader's alone.
        Histogram sharedSamples = inactive[shared];
        long count = sharedSamples.getTotalCount();
        if (count > 0) {
            for (int kind : sharedInto) {
                inactive[kind].add(sharedSamples);
            }
            for (int kind : zerosInto) {
                inactive[kind].recordValueWithCount(0, count);
            }
        }
        return Arrays.copyOf(inactive, kinds.size());
    }
}
