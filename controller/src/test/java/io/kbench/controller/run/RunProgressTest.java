package io.kbench.controller.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.WindowSummary;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The window lines a run prints when its output is not a terminal. */
class RunProgressTest {

    @Test
    void aMeasurementWindowBehindTheAskedRateSaysSoBesideTheRate() {
        String line = printed(100_000.0, window(Phase.MEASURE, 0));
        assertTrue(
                line.contains("pub 0 msg/s (0.0 MB/s, 0 % of the 100,000 asked: behind schedule)"),
                "a producer that fell behind reads 0 by intended time; the line says why: " + line);

        String short2 = printed(100_000.0, window(Phase.MEASURE, 97_000));
        assertTrue(short2.contains("97 % of the 100,000 asked: behind schedule"), short2);
    }

    @Test
    void onScheduleWarmUpAndMaxRateWindowsShowTheRateAlone() {
        assertFalse(printed(100_000.0, window(Phase.MEASURE, 99_500)).contains("behind"), "within 1 %");
        assertFalse(printed(100_000.0, window(Phase.WARMUP, 0)).contains("behind"), "warm-up windows ramp up");
        assertFalse(printed(null, window(Phase.MEASURE, 0)).contains("behind"), "max-rate discovery asks no rate");
    }

    private static String printed(Double producerRate, WindowSummary window) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RunProgress progress = RunFixtures.progress(out, RunFixtures.workload(producerRate), 0);
        progress.started(System.currentTimeMillis(), 10_000, 60_000);
        progress.window(window);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static WindowSummary window(Phase phase, double publishRate) {
        return RunFixtures.window(0, phase, publishRate);
    }
}
