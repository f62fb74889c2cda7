package io.kbench.agent.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kbench.protocol.histogram.HistogramCodec;
import io.kbench.protocol.message.AgentRole;
import io.kbench.protocol.message.LatencyKind;
import java.util.List;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * A recorder with a shared histogram records a sample known from one value once — a consumer's corrected and raw
 * end-to-end latency when they are the same, a producer's send made on time — and its intervals hold exactly what
 * recording every kind's value would have given.
 */
class LatencyRecorderTest {

    private static final List<LatencyKind> END_TO_END =
            List.of(LatencyKind.END_TO_END_LATENCY, LatencyKind.END_TO_END_RAW);
    private static final List<LatencyKind> PRODUCER =
            List.of(LatencyKind.PUBLISH_LATENCY, LatencyKind.PUBLISH_DELAY, LatencyKind.INTENDED_LATENCY);

    @Test
    void pairedSamplesGiveTheSameIntervalsAsRecordingBothKinds() {
        LatencyRecorder paired = LatencyRecorder.paired(END_TO_END.get(0), END_TO_END.get(1));
        LatencyRecorder separate = LatencyRecorder.separate(END_TO_END);
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
    void sendsOnTimeGiveTheSameIntervalsAsRecordingAllThreeKinds() {
        AgentStats stats = new AgentStats(AgentRole.PRODUCER);
        LatencyRecorder separate = LatencyRecorder.separate(PRODUCER);
        SplittableRandom random = new SplittableRandom(11);
        long clock = 1_000_000_000L;
        for (int interval = 0; interval < 3; interval++) {
            Histogram[] expected = {
                HistogramCodec.newHistogram(), HistogramCodec.newHistogram(), HistogramCodec.newHistogram()
            };
            for (int ack = 0; ack < 20_000; ack++) {
                long intended = clock += 1 + random.nextInt(5_000);
                // Unthrottled or on time (sent at its intended nanosecond), a little late (under a microsecond:
                // the delay is 0 but the intended latency may be a microsecond longer), or late; in interval 2
                // every send is late.
                int lateness = interval == 2 ? 1 + random.nextInt(2) : random.nextInt(3);
                long send = intended
                        + switch (lateness) {
                            case 0 -> 0;
                            case 1 -> random.nextInt(1_000);
                            default -> 1_000 + random.nextInt(3_000_000);
                        };
                long ackAt = send + 200_000 + random.nextInt(20_000_000);
                stats.recordAck(100, intended, send, ackAt);
                long latency = (ackAt - send) / 1_000;
                long delay = (send - intended) / 1_000;
                long intendedLatency = (ackAt - intended) / 1_000;
                separate.record(latency, delay, intendedLatency);
                expected[0].recordValue(latency);
                expected[1].recordValue(delay);
                expected[2].recordValue(intendedLatency);
            }
            Histogram[] shared = stats.latencies().sample();
            Histogram[] fromSeparate = separate.sample();
            assertEquals(3, shared.length, "one histogram per kind");
            for (int kind = 0; kind < 3; kind++) {
                assertEquals(expected[kind], shared[kind], "interval " + interval + ": " + PRODUCER.get(kind));
                assertEquals(fromSeparate[kind], shared[kind]);
            }
        }
        Histogram[] empty = stats.latencies().sample();
        for (Histogram histogram : empty) {
            assertEquals(0, histogram.getTotalCount(), "the recycled sets were reset, the shared one too");
        }
    }

    @Test
    void onlyAnOnTimeRecorderRecordsSendsOnTime() {
        LatencyRecorder separate = LatencyRecorder.separate(PRODUCER);
        assertThrows(IllegalStateException.class, () -> separate.recordOnTime(5));
    }
}
