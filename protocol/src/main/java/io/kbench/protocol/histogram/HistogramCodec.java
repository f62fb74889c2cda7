package io.kbench.protocol.histogram;

import io.kbench.protocol.message.LatencyStats;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;

/**
 * HdrHistogram's compressed encoding, base64 for JSON. Histograms on the wire hold microseconds.
 * Percentiles are computed only from merged histograms ({@link #merge}), never averaged.
 */
public final class HistogramCodec {

    /** Significant decimal digits of every kbench histogram: 0.1 % value resolution. */
    public static final int SIGNIFICANT_DIGITS = 3;

    /** The first int of what {@link #encode} writes: HdrHistogram's V2 compressed cookie. */
    private static final int COMPRESSED_COOKIE;
    /** The first int of the deflated contents: HdrHistogram's V2 cookie. */
    private static final int PAYLOAD_COOKIE;
    /** cookie, payload length, normalizing index offset, digits (ints); lowest, highest (longs); ratio (double). */
    private static final int PAYLOAD_HEADER_BYTES = 40;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    static {
        Histogram empty = newHistogram();
        ByteBuffer compressed = ByteBuffer.allocate(empty.getNeededByteBufferCapacity());
        empty.encodeIntoCompressedByteBuffer(compressed);
        COMPRESSED_COOKIE = compressed.getInt(0);
        ByteBuffer plain = ByteBuffer.allocate(empty.getNeededByteBufferCapacity());
        empty.encodeIntoByteBuffer(plain);
        PAYLOAD_COOKIE = plain.getInt(0);
    }

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

    /**
     * Decodes a histogram written by {@link #encode} into its non-zero buckets, without building the full-range
     * {@link Histogram} that {@link #decode} allocates: the form for readers that merge many histograms. The
     * deflated contents are walked in place (HdrHistogram's V2 layout: a 40-byte header, then ZigZag LEB128 counts
     * where a negative number is a run of empty buckets); any other encoding goes through {@link #decode}.
     *
     * @throws IllegalArgumentException when the text is not a compressed histogram
     */
    public static SparseHistogram decodeSparse(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an encoded histogram: " + e.getMessage(), e);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (bytes.length < 8 || in.getInt(0) != COMPRESSED_COOKIE) {
            return SparseHistogram.of(decode(base64));
        }
        int compressedLength = in.getInt(4);
        if (compressedLength < 0 || compressedLength > bytes.length - 8) {
            throw new IllegalArgumentException("not an encoded histogram: compressed length " + compressedLength
                    + " of " + bytes.length + " bytes");
        }
        Scratch scratch = SCRATCH.get();
        int length = scratch.inflate(bytes, 8, compressedLength);
        ByteBuffer payload = ByteBuffer.wrap(scratch.inflated, 0, length);
        if (length < PAYLOAD_HEADER_BYTES || payload.getInt() != PAYLOAD_COOKIE) {
            throw new IllegalArgumentException("not an encoded histogram: no V2 header in the compressed contents");
        }
        int payloadLength = payload.getInt();
        int normalizingIndexOffset = payload.getInt();
        int digits = payload.getInt();
        long lowest = payload.getLong();
        if (normalizingIndexOffset != 0) {
            return SparseHistogram.of(decode(base64)); // a shifted histogram: let HdrHistogram resolve it
        }
        if (payloadLength < 0
                || payloadLength > length - PAYLOAD_HEADER_BYTES
                || digits < 0
                || digits > 5
                || lowest < 1) {
            throw new IllegalArgumentException("not an encoded histogram: bad header (payload " + payloadLength
                    + " bytes, " + digits + " digits, lowest value " + lowest + ")");
        }
        payload.position(PAYLOAD_HEADER_BYTES); // past the highest trackable value and the conversion ratio
        return scratch.buckets(payload, PAYLOAD_HEADER_BYTES + payloadLength, digits, lowest);
    }

    /** A stream thread's reusable inflater and buffers: decoding allocates only the result. */
    private static final class Scratch {
        private final Inflater inflater = new Inflater();
        private byte[] inflated = new byte[4096];
        private long[] values = new long[256];
        private long[] counts = new long[256];
        private int[] indices = new int[256];

        int inflate(byte[] input, int offset, int length) {
            inflater.reset();
            inflater.setInput(input, offset, length);
            int total = 0;
            try {
                while (!inflater.finished()) {
                    if (total == inflated.length) {
                        inflated = Arrays.copyOf(inflated, inflated.length * 2);
                    }
                    int n = inflater.inflate(inflated, total, inflated.length - total);
                    if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                        break; // truncated: the header or payload checks reject what is missing
                    }
                    total += n;
                }
            } catch (DataFormatException e) {
                throw new IllegalArgumentException("not an encoded histogram: " + e.getMessage(), e);
            }
            return total;
        }

        SparseHistogram buckets(ByteBuffer payload, int end, int digits, long lowest) {
            // The bucket layout of AbstractHistogram.init, for the header's digits and lowest discernible value.
            long largestWithUnitResolution = 2 * (long) Math.pow(10, digits);
            int subBucketCountMagnitude = (int) Math.ceil(Math.log(largestWithUnitResolution) / Math.log(2));
            int halfMagnitude = subBucketCountMagnitude - 1;
            int halfCount = 1 << halfMagnitude;
            int unitMagnitude = 63 - Long.numberOfLeadingZeros(lowest);
            // Indices are kept when they are those of newHistogram()'s layout, so a merge can add by index.
            boolean sameLayout = digits == SIGNIFICANT_DIGITS && lowest == 1;
            int size = 0;
            long index = 0;
            while (payload.position() < end) {
                long count = readZigZag(payload);
                if (count < 0) {
                    index -= count; // a run of empty buckets
                    continue;
                }
                if (count > 0) {
                    if (index > Integer.MAX_VALUE) {
                        throw new IllegalArgumentException("not an encoded histogram: bucket index " + index);
                    }
                    int bucket = (int) (index >> halfMagnitude) - 1;
                    long subBucket = (index & (halfCount - 1)) + halfCount;
                    if (bucket < 0) {
                        subBucket -= halfCount;
                        bucket = 0;
                    }
                    int shift = bucket + unitMagnitude;
                    if (shift + subBucketCountMagnitude > 63) {
                        throw new IllegalArgumentException("not an encoded histogram: bucket index " + index);
                    }
                    if (size == values.length) {
                        values = Arrays.copyOf(values, size * 2);
                        counts = Arrays.copyOf(counts, size * 2);
                        indices = Arrays.copyOf(indices, size * 2);
                    }
                    values[size] = subBucket << shift;
                    counts[size] = count;
                    indices[size] = (int) index;
                    size++;
                }
                index++;
            }
            return new SparseHistogram(
                    Arrays.copyOf(values, size),
                    Arrays.copyOf(counts, size),
                    sameLayout ? Arrays.copyOf(indices, size) : null);
        }

        /** HdrHistogram's ZigZag LEB128 long: 7 bits a byte, the ninth byte whole. */
        private static long readZigZag(ByteBuffer in) {
            long value = 0;
            int shift = 0;
            while (true) {
                if (!in.hasRemaining()) {
                    throw new IllegalArgumentException("not an encoded histogram: truncated count");
                }
                long b = in.get();
                if (shift == 56) {
                    value |= (b & 0xFF) << 56;
                    break;
                }
                value |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    break;
                }
                shift += 7;
            }
            return (value >>> 1) ^ -(value & 1);
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
