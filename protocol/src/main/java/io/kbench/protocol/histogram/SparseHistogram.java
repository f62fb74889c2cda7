package io.kbench.protocol.histogram;

import java.util.Arrays;
import org.HdrHistogram.Histogram;

/**
 * A decoded histogram kept as its non-zero buckets only: each bucket's lowest value and its count, in value order.
 * An agent's interval histogram holds a few hundred buckets at most, while a full {@link Histogram} of the same
 * range allocates (and {@link Histogram#add} walks) every bucket up to its highest value, thousands of them: a
 * reader that merges many reports ({@link #addTo}) decodes into this form ({@link HistogramCodec#decodeSparse}).
 *
 * <p>Adding is exact: recording a bucket's lowest value with its count lands in the same bucket of any histogram
 * with the same significant digits and unit (every kbench histogram), which is what {@link Histogram#add} does.
 */
public final class SparseHistogram {

    private final long[] values;
    private final long[] counts;
    /** Each bucket's index in the counts array of {@link HistogramCodec#newHistogram}'s layout; null: other layout. */
    private final int[] indices;

    private final long totalCount;

    /** {@code values} (strictly increasing, each a bucket's lowest value) and {@code counts} (each > 0), same length. */
    SparseHistogram(long[] values, long[] counts) {
        this(values, counts, null);
    }

    /** With {@code indices} (same length), the buckets' indices in {@link HistogramCodec#newHistogram}'s layout. */
    SparseHistogram(long[] values, long[] counts, int[] indices) {
        if (values.length != counts.length || (indices != null && indices.length != values.length)) {
            throw new IllegalArgumentException("values, counts and indices differ in length: " + values.length + ", "
                    + counts.length + ", " + (indices == null ? "-" : indices.length));
        }
        this.indices = indices;
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        this.values = values;
        this.counts = counts;
        this.totalCount = total;
    }

    /** The non-zero buckets of {@code histogram}. */
    public static SparseHistogram of(Histogram histogram) {
        long[] values = new long[16];
        long[] counts = new long[16];
        int size = 0;
        for (var bucket : histogram.recordedValues()) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
                counts = Arrays.copyOf(counts, size * 2);
            }
            values[size] = histogram.lowestEquivalentValue(bucket.getValueIteratedTo());
            counts[size] = bucket.getCountAtValueIteratedTo();
            size++;
        }
        return new SparseHistogram(Arrays.copyOf(values, size), Arrays.copyOf(counts, size));
    }

    /** Adds every bucket to {@code target} (which should auto-resize, as {@link HistogramCodec#newHistogram} does). */
    public void addTo(Histogram target) {
        for (int i = 0; i < values.length; i++) {
            target.recordValueWithCount(values[i], counts[i]);
        }
    }

    /**
     * Adds every bucket to {@code target}; by index when these are {@link HistogramCodec#newHistogram}'s buckets (a
     * decoded kbench histogram), else by value.
     */
    public void addTo(MergedHistogram target) {
        if (indices == null) {
            target.addByValue(this);
        } else {
            target.addByIndex(indices, counts);
        }
    }

    /** A new auto-resizing histogram holding exactly these buckets. */
    public Histogram toHistogram() {
        Histogram histogram = HistogramCodec.newHistogram();
        addTo(histogram);
        return histogram;
    }

    public long totalCount() {
        return totalCount;
    }

    /** Number of non-zero buckets. */
    public int buckets() {
        return values.length;
    }
}
