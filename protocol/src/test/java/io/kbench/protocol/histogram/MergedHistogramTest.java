package io.kbench.protocol.histogram;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class MergedHistogramTest {

    @Test
    void addingByIndexGivesWhatHdrHistogramsAddGives() {
        Random random = new Random(7);
        Histogram expected = HistogramCodec.newHistogram();
        MergedHistogram merged = new MergedHistogram();
        for (int report = 0; report < 200; report++) {
            Histogram interval = HistogramCodec.newHistogram();
            int samples = random.nextInt(300);
            for (int i = 0; i < samples; i++) {
                // From 0 to hours in µs, mostly milliseconds: every magnitude the layout has.
                long value =
                        random.nextInt(4) == 0 ? (long) (random.nextDouble() * 3_600_000_000L) : random.nextInt(50_000);
                interval.recordValue(value);
            }
            expected.add(interval);
            HistogramCodec.decodeSparse(HistogramCodec.encode(interval)).addTo(merged);
        }
        Histogram actual = merged.toHistogram();

        assertEquals(expected.getTotalCount(), actual.getTotalCount());
        assertEquals(expected.getMaxValue(), actual.getMaxValue());
        assertEquals(expected.getMinNonZeroValue(), actual.getMinNonZeroValue());
        assertEquals(expected, actual);
    }

    @Test
    void mixesBucketsByIndexWithWholeHistogramsAndOtherLayouts() {
        Histogram checkpointed = HistogramCodec.newHistogram();
        checkpointed.recordValueWithCount(1_500, 3);
        Histogram coarse = new Histogram(2); // another layout: its buckets go by value
        coarse.recordValueWithCount(12_345, 2);
        Histogram fine = HistogramCodec.newHistogram();
        fine.recordValueWithCount(1_500, 1);
        fine.recordValueWithCount(7, 4);

        MergedHistogram merged = new MergedHistogram();
        merged.add(checkpointed);
        HistogramCodec.decodeSparse(HistogramCodec.encode(coarse)).addTo(merged);
        HistogramCodec.decodeSparse(HistogramCodec.encode(fine)).addTo(merged);

        Histogram expected = HistogramCodec.newHistogram();
        expected.add(checkpointed);
        expected.add(coarse);
        expected.add(fine);
        assertEquals(expected, merged.toHistogram());
    }
}
