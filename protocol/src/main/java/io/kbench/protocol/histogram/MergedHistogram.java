package io.kbench.protocol.histogram;

import java.util.Arrays;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;

/**
 * A merge target for many decoded histograms: the counts of {@link HistogramCodec#newHistogram}'s buckets, added by
 * bucket index ({@code counts[i] += c}) rather than recorded value by value (HdrHistogram's {@code
 * recordValueWithCount} finds the index from the value and updates min, max and total on every bucket: it was a
 * tenth of the aggregator's stream thread). Exact: {@link #toHistogram} records each bucket's lowest value with its
 * count, which lands in the same bucket. Buckets of another layout, and whole histograms (a checkpoint's), are
 * added by value to a histogram kept beside the counts.
 */
public final class MergedHistogram {

    private static final int SUB_BUCKET_COUNT_MAGNITUDE =
            (int) Math.ceil(Math.log(2 * Math.pow(10, HistogramCodec.SIGNIFICANT_DIGITS)) / Math.log(2));
    private static final int SUB_BUCKET_HALF_COUNT_MAGNITUDE = SUB_BUCKET_COUNT_MAGNITUDE - 1;
    private static final int SUB_BUCKET_HALF_COUNT = 1 << SUB_BUCKET_HALF_COUNT_MAGNITUDE;

    private long[] counts = new long[0];
    private Histogram byValue;

    void addByIndex(int[] indices, long[] bucketCounts) {
        int last = indices.length == 0 ? -1 : indices[indices.length - 1]; // indices are increasing
        if (last >= counts.length) {
            counts = Arrays.copyOf(counts, Math.max(last + 1, counts.length * 2));
        }
        for (int i = 0; i < indices.length; i++) {
            counts[indices[i]] += bucketCounts[i];
        }
    }

    void addByValue(SparseHistogram buckets) {
        buckets.addTo(byValue());
    }

    /** Adds a whole histogram (of any layout) exactly. */
    public void add(AbstractHistogram histogram) {
        byValue().add(histogram);
    }

    /** A new auto-resizing histogram holding everything added. */
    public Histogram toHistogram() {
        Histogram out = HistogramCodec.newHistogram();
        if (byValue != null) {
            out.add(byValue);
        }
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                out.recordValueWithCount(lowestValueAt(i), counts[i]);
            }
        }
        return out;
    }

    private Histogram byValue() {
        if (byValue == null) {
            byValue = HistogramCodec.newHistogram();
        }
        return byValue;
    }

    /** The lowest value of bucket {@code index} in {@link HistogramCodec#newHistogram}'s layout (unit 1). */
    static long lowestValueAt(int index) {
        int bucket = (index >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1;
        long subBucket = (index & (SUB_BUCKET_HALF_COUNT - 1)) + SUB_BUCKET_HALF_COUNT;
        if (bucket < 0) {
            subBucket -= SUB_BUCKET_HALF_COUNT;
            bucket = 0;
        }
        return subBucket << bucket;
    }
}
