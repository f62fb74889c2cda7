package io.kbench.protocol.histogram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kbench.protocol.message.LatencyStats;
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
    void anEmptyHistogramHasEmptyStats() {
        assertEquals(LatencyStats.EMPTY, HistogramCodec.stats(HistogramCodec.newHistogram()));
    }

    @Test
    void rejectsTextThatIsNoHistogram() {
        assertThrows(IllegalArgumentException.class, () -> HistogramCodec.decode("bm90IGEgaGlzdG9ncmFt"));
        assertThrows(IllegalArgumentException.class, () -> HistogramCodec.decode("%%%"));
    }
}
