package io.kbench.protocol.histogram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kbench.protocol.message.LatencyStats;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class HistogramCodecTest {

    @Test
    void encodedHistogramsMergeToExactlyTheHistogramOfAllSamples() {
        Random random = new Random(42);
        Histogram first = HistogramCodec.newHistogram();
        Histogram second = HistogramCodec.newHistogram();
        Histogram all = HistogramCodec.newHistogram();
        for (int i = 0; i < 50_000; i++) {
            long a = 100 + (long) (random.nextExponential() * 2_000);
            long b = 5_000 + random.nextInt(3_000_000);
            first.recordValue(a);
            second.recordValue(b);
            all.recordValue(a);
            all.recordValue(b);
        }

        Histogram merged = HistogramCodec.newHistogram();
        HistogramCodec.merge(merged, HistogramCodec.decode(HistogramCodec.encode(first)));
        HistogramCodec.merge(merged, HistogramCodec.decode(HistogramCodec.encode(second)));

        LatencyStats expected = HistogramCodec.stats(all);
        assertEquals(expected, HistogramCodec.stats(merged));
        assertEquals(100_000, merged.getTotalCount());
    }

    @Test
    void sparseDecodingMergesExactlyAsTheFullHistogramDoes() {
        Random random = new Random(7);
        Histogram viaFull = HistogramCodec.newHistogram();
        Histogram viaSparse = HistogramCodec.newHistogram();
        for (int round = 0; round < 200; round++) {
            Histogram interval = HistogramCodec.newHistogram();
            int samples = random.nextInt(400);
            long scale = 1L << random.nextInt(34); // 1 µs up to hours: small and auto-resized ranges
            for (int i = 0; i < samples; i++) {
                interval.recordValueWithCount((long) (random.nextDouble() * scale), 1 + random.nextInt(3));
            }
            String text = HistogramCodec.encode(interval);
            SparseHistogram sparse = HistogramCodec.decodeSparse(text);
            assertEquals(interval.getTotalCount(), sparse.totalCount());
            HistogramCodec.merge(viaFull, HistogramCodec.decode(text));
            sparse.addTo(viaSparse);
        }
        assertEquals(viaFull.getTotalCount(), viaSparse.getTotalCount());
        assertEquals(HistogramCodec.stats(viaFull), HistogramCodec.stats(viaSparse));
        assertEquals(viaFull.getMinNonZeroValue(), viaSparse.getMinNonZeroValue());
        assertEquals(buckets(viaFull), buckets(viaSparse));
    }

    @Test
    void sparseDecodingOfAnEmptyHistogramHasNoBuckets() {
        SparseHistogram sparse = HistogramCodec.decodeSparse(HistogramCodec.encode(HistogramCodec.newHistogram()));
        assertEquals(0, sparse.buckets());
        assertEquals(0, sparse.totalCount());
    }

    @Test
    void sparseDecodingRejectsTextThatIsNoHistogram() {
        String valid = HistogramCodec.encode(HistogramCodec.newHistogram());
        byte[] truncated = Arrays.copyOf(Base64.getDecoder().decode(valid), 12);
        assertThrows(IllegalArgumentException.class, () -> HistogramCodec.decodeSparse("bm90IGEgaGlzdG9ncmFt"));
        assertThrows(IllegalArgumentException.class, () -> HistogramCodec.decodeSparse("%%%"));
        assertThrows(
                IllegalArgumentException.class,
                () -> HistogramCodec.decodeSparse(Base64.getEncoder().encodeToString(truncated)));
    }

    /** Every recorded bucket as "value x count", in order. */
    private static String buckets(Histogram histogram) {
        StringBuilder out = new StringBuilder();
        histogram.recordedValues().forEach(v -> out.append(v.getValueIteratedTo())
                .append('x')
                .append(v.getCountAtValueIteratedTo())
                .append(' '));
        return out.toString();
    }

    @Test
    void anEmptyHistogramHasEmptyStats() {
        assertEquals(LatencyStats.EMPTY, HistogramCodec.stats(HistogramCodec.newHistogram()));
    }

    @Test
    void rejectsTextThatIsNoHistogram() {
        assertThrows(IllegalArgumentException.class, () -> HistogramCodec.decode("bm90IGEgaGlzdG9ncmFt"));
        assertThrows(IllegalArgumentException.class, () -> HistogramCodec.decode("%%%"));
    }
}
