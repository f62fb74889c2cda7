package io.kbench.controller.result;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The summary printed at a run's end says what the result's notes say. */
class SummaryTableTest {

    @Test
    void printsEveryNoteOfTheRun() {
        String printed = print(List.of(
                "agents' JVMs were still JIT-compiling during the measurement (15 % of its 20 s, averaged over 2 agents)",
                "backlog unknown: producer p1's last sends were never reported"));

        assertTrue(printed.contains("  note: agents' JVMs were still JIT-compiling during the measurement"), printed);
        assertTrue(printed.contains("  note: backlog unknown: producer p1's last sends were never reported"), printed);
    }

    @Test
    void printsNoNoteLineWithoutNotes() {
        assertFalse(print(List.of()).contains("note:"));
    }

    private static String print(List<String> notes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SummaryTable.print(
                new PrintStream(bytes, true, StandardCharsets.UTF_8), Summaries.complete(List.of(), Map.of(), notes));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
