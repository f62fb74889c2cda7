package io.kbench.controller.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.controller.command.KbenchMain;
import io.kbench.controller.config.InputError;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReportInputTest {

    @TempDir
    Path dir;

    @Test
    void tellsTheKindFromTheContent() throws Exception {
        assertEquals(
                ReportInput.Kind.KBENCH_RUN,
                ReportInput.read(file("a.json", "{\"publishRate\":[1],\"kbench\":{}}"))
                        .kind());
        assertEquals(
                ReportInput.Kind.OMB_RUN,
                ReportInput.read(file("b.json", "{\"publishRate\":[1]}")).kind());
        assertEquals(
                ReportInput.Kind.SWEEP,
                ReportInput.read(file("c.json", "{\"sweepId\":\"s\",\"points\":[]}"))
                        .kind());
    }

    @Test
    void aFileThatIsNoResultIsNamedWithWhatItLacks() throws Exception {
        Path notJson = file("x.json", "publishRate: [1]");
        InputError e = assertThrows(InputError.class, () -> ReportInput.read(notJson));
        assertTrue(e.getMessage().startsWith(notJson + ": not JSON"), e.getMessage());

        Path noRates = file("y.json", "{\"workload\":\"w\"}");
        e = assertThrows(InputError.class, () -> ReportInput.read(noRates));
        assertTrue(e.getMessage().contains(noRates + ": field 'publishRate' is missing"), e.getMessage());

        Path badPoint = file("sweep-z.json", "{\"sweepId\":\"z\",\"points\":[{\"scale\":\"many\"}]}");
        e = assertThrows(InputError.class, () -> Reports.write(List.of(badPoint), dir, false));
        assertTrue(e.getMessage().contains("field 'points[0].scale' is '\"many\"', not a number"), e.getMessage());

        Path unequal = file("u.json", "{\"publishRate\":[1,2],\"kbench\":{\"windows\":[{\"start\":0}]}}");
        e = assertThrows(InputError.class, () -> Reports.write(List.of(unequal), dir, false));
        assertTrue(e.getMessage().contains("'kbench.windows' has 1 entries but 'publishRate' has 2"), e.getMessage());
    }

    @Test
    void aRunsFactsShowItsWorkersClockOffsetsTheRawEndToEndAndTheAgentsC2() throws Exception {
        Path run = file(
                "clock.json",
                "{\"publishRate\":[1],\"kbench\":{\"windows\":[{\"start\":0,\"lengthMs\":1000}],\"clockOffsets\":{\"w1\":{\"offsetMillis\":-0.76,"
                        + "\"uncertaintyMillis\":4.64},\"w2\":{\"offsetMillis\":-50.47,\"uncertaintyMillis\":2.56}},"
                        + "\"agentC2AfterWarmup\":\"stopped\","
                        + "\"latencies\":{\"endToEndLatencyRawMicros\":{\"p99\":130300}}}}");
        @SuppressWarnings("unchecked")
        List<String[]> facts =
                (List<String[]>) RunView.of(ReportInput.read(run)).get("facts");
        java.util.Map<String, String> byName = new java.util.HashMap<>();
        facts.forEach(f -> byName.put(f[0], f[1]));
        assertEquals("w1 -0.76 ± 4.64, w2 -50.47 ± 2.56", byName.get("clock offsets (ms)"));
        assertEquals("130.30", byName.get("end-to-end p99, raw clocks (ms)"));
        assertEquals("stopped", byName.get("agents' C2 after the warm-up"));
    }

    @Test
    void theCommandExitsTwoWithOneLine() throws Exception {
        Path noRates = file("y.json", "{\"workload\":\"w\"}");
        StringWriter err = new StringWriter();
        CommandLine cli = KbenchMain.commandLine();
        cli.setErr(new PrintWriter(err, true));

        int exit = cli.execute("report", noRates.toString());

        assertEquals(2, exit);
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertTrue(err.toString().contains(noRates + ": field 'publishRate' is missing"), err.toString());
    }

    private Path file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }
}
