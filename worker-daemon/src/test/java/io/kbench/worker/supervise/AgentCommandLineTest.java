package io.kbench.worker.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentCommandLineTest {

    private final AgentCommandLine line = new AgentCommandLine(Path.of("/jdk/bin/java"), "a.jar:b.jar", "Main");

    @Test
    void boundsAnAgentsHeapAndUsesOneGcThreadByDefault() {
        List<String> command = line.command(List.of(), 1);
        assertEquals(
                List.of(
                        "/jdk/bin/java",
                        "-XX:+UseSerialGC",
                        "-Xmx256m",
                        "-Xss512k",
                        "-XX:+ExitOnOutOfMemoryError",
                        "-cp",
                        "a.jar:b.jar",
                        "Main"),
                command);
    }

    @Test
    void scalesTheHeapWithTheAgentsInTheJvm() {
        assertTrue(line.command(List.of(), 4).contains("-Xmx640m"));
    }

    @Test
    void theAssignmentsOwnOptionsReplaceTheDefaults() {
        List<String> command = line.command(List.of("-XX:+UseG1GC", "-Xmx1g", "-Xss1m"), 2);
        assertFalse(command.contains("-XX:+UseSerialGC"), "two collectors would not start: " + command);
        assertFalse(command.stream().anyMatch(o -> o.startsWith("-Xmx") && !o.equals("-Xmx1g")), command.toString());
        assertFalse(command.contains("-Xss512k"));
        assertTrue(command.containsAll(List.of("-XX:+UseG1GC", "-Xmx1g", "-Xss1m")));
    }
}
