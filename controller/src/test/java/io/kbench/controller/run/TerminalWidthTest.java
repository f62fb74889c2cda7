package io.kbench.controller.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class TerminalWidthTest {

    @Test
    void columnsWinsThenSttyThenEighty() {
        assertEquals(132, TerminalWidth.of(Map.of("COLUMNS", "132"), () -> OptionalInt.of(50)));
        assertEquals(50, TerminalWidth.of(Map.of("COLUMNS", "wide"), () -> OptionalInt.of(50)));
        assertEquals(50, TerminalWidth.of(Map.of(), () -> OptionalInt.of(50)));
        assertEquals(80, TerminalWidth.of(Map.of("COLUMNS", "0"), OptionalInt::empty));
    }

    @Test
    void fitDropsWholeTrailingFieldsFirst() {
        String line = "  [####----] measure 12s left  pub 1,000 msg/s (1.0 MB/s)  cons 1,000 msg/s  backlog 0";
        assertEquals(line, TerminalWidth.fit(line, 200));
        assertEquals("  [####----] measure 12s left  pub 1,000 msg/s (1.0 MB/s)", TerminalWidth.fit(line, 70));
        assertEquals("  [####--", TerminalWidth.fit("  [####----]", 10));
    }

    @Test
    void theProgressBarNeverWrapsANarrowTerminal() {
        for (int width : new int[] {40, 80, 100}) {
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            RunProgress progress = RunFixtures.progress(printed, RunFixtures.workload(null), width);
            progress.ready(1);
            progress.started(System.currentTimeMillis() - 1_000, 10_000, 60_000);
            progress.window(RunFixtures.window(0));
            String text = printed.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("\r  [") && text.contains("s left"), "a bar was drawn: " + text);
            // Redrawn segments follow a \r and end without a newline; printed lines (which may wrap) end with one.
            for (String segment : text.split("\r")) {
                if (!segment.contains("\n")) {
                    assertTrue(
                            segment.length() <= width - 1,
                            width + " columns, drew " + segment.length() + ": " + segment);
                }
            }
        }
    }
}
