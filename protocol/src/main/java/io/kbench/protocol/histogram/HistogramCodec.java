package io.kbench.protocol.histogram;

import io.kbench.protocol.message.LatencyStats;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;

/**
 * HdrHistogram's compressed encoding, base64 for JSON. Histograms on the wire hold microseconds.
 * Percentiles are computed only from merged histograms ({@link #merge}), never averaged.
 */
public final class HistogramCodec {

    /** Significant decimal digits of every kbench histogram: 0.1 % value resolution. */
    public static final int SIGNIFICANT_DIGITS = 3;

    private HistogramCodec() {}

    /** A new empty histogram that grows to any value, for merging. */
    public static Histogram newHistogram() {
        Histogram histogram = new Histogram(SIGNIFICANT_DIGITS);
        histogram.setAutoResize(true);
        return histogram;
    }

    public static String encode(AbstractHistogram histogram) {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        byte[] bytes = new byte[length];
        buffer.flip();
        buffer.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * Decodes a histogram written by {@link #encode}; the result auto-resizes, so others can be added to it.
     *
     * @throws IllegalArgumentException when the text is not a compressed histogram
     */
    public static Histogram decode(String base64) {
        try {
            byte[] bytes = Base64.getDecoder().decode(base64);
            Histogram histogram = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0);
            histogram.setAutoResize(true);
            return histogram;
        } catch (DataFormatException | RuntimeException e) {
            throw new IllegalArgumentException("not an encoded histogram: " + e.getMessage(), e);
        }
    }

    /** Adds {@code source} into {@code target} exactly (no loss beyond the histograms' resolution). */
    public static void merge(Histogram target, AbstractHistogram source) {
        target.add(source);
    }

    /** Percentiles of one histogram, in the histogram's unit (microseconds for kbench's). */
    public static LatencyStats stats(AbstractHistogram histogram) {
        if (histogram.getTotalCount() == 0) {
            return LatencyStats.EMPTY;
        }
        return new LatencyStats(
                histogram.getTotalCount(),
                histogram.getMean(),
                histogram.getValueAtPercentile(50),
                histogram.getValueAtPercentile(75),
                histogram.getValueAtPercentile(95),
                histogram.getValueAtPercentile(99),
                histogram.getValueAtPercentile(99.9),
                histogram.getValueAtPercentile(99.99),
                histogram.getMaxValue());
    }
}
