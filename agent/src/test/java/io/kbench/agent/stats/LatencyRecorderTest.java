package io.kbench.agent.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kbench.protocol.histogram.HistogramCodec;
import io.kbench.protocol.message.LatencyKind;
import java.util.List;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * A paired recorder (a consumer's corrected and raw end-to-end latency) records a sample that is the same in both
 * kinds once, and its intervals hold exactly what recording every value in both kinds would have given.
 */
class LatencyRecorderTest {

    private static final List<LatencyKind> END_TO_END =
            List.of(LatencyKind.END_TO_END_LATENCY, LatencyKind.END_TO_END_RAW);

    @Test
    void pairedSamplesGiveTheSameIntervalsAsRecordingBothKinds() {
        LatencyRecorder paired = new LatencyRecorder(END_TO_END, true);
        LatencyRecorder separate = new LatencyRecorder(END_TO_END, false);
        SplittableRandom random = new SplittableRandom(7);
        for (int interval = 0; interval < 3; interval++) {
            Histogram corrected = HistogramCodec.newHistogram();
            Histogram raw = HistogramCodec.newHistogram();
            for (int poll = 0; poll < 200; poll++) {
                int count = 1 + random.nextInt(500);
                long[] first = new long[count];
                long[] second = new long[count];
                for (int i = 0; i < count; i++) {
                    first[i] =
                            random.nextInt(100) == 0 ? 1_000_000 + random.nextInt(5_000_000) : random.nextInt(20_000);
                    // Mostly no correction; now and then a sample from a host whose offset differs.
                    second[i] = interval == 1 && random.nextInt(4) == 0 ? first[i] + 1_500 : first[i];
                    corrected.recordValue(first[i]);
                    raw.recordValue(second[i]);
                }
                paired.record(first, second, count);
                separate.record(first, second, count);
            }
            long single = random.nextInt(10_000);
            paired.recordBoth(single);
            separate.recordBoth(single);
            corrected.recordValue(single);
            raw.recordValue(single);

            Histogram[] fromPaired = paired.sample();
            Histogram[] fromSeparate = separate.sample();
            assertEquals(2, fromPaired.length, "one histogram per kind");
            assertEquals(corrected, fromPaired[0], "interval " + interval + ": corrected");
            assertEquals(raw, fromPaired[1], "interval " + interval + ": raw");
            assertEquals(fromSeparate[0], fromPaired[0]);
            assertEquals(fromSeparate[1], fromPaired[1]);
        }
        Histogram[] empty = paired.sample();
        assertEquals(0, empty[0].getTotalCount(), "the recycled sets were reset, the shared one too");
        assertEquals(0, empty[1].getTotalCount());
    }

    @Test
    void onlyTwoKindsCanBePaired() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new LatencyRecorder(
                        List.of(LatencyKind.PUBLISH_LATENCY, LatencyKind.PUBLISH_DELAY, LatencyKind.INTENDED_LATENCY),
                        true));
    }
}
