package io.kbench.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness's own helpers: compiled and tested with the reactor so they cannot rot while the modules change. */
class BenchTest {

    @TempDir
    Path logDir;

    @Test
    void waitsForNothingWhenTheTopicsFilesAreGone() throws Exception {
        Files.createDirectories(logDir.resolve("other-topic-0"));
        Bench.awaitTopicFilesGone(logDir, List.of("kbench-run-1"), Duration.ofMillis(1));
    }

    @Test
    void failsNamingTheFilesStillThereAfterTheTimeout() throws Exception {
        Files.createDirectories(logDir.resolve("kbench-run-1-0-delete"));
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> Bench.awaitTopicFilesGone(logDir, List.of("kbench-run-1"), Duration.ofMillis(300)));
        assertTrue(e.getMessage().contains("kbench-run-1-0-delete"), e.getMessage());
    }

    @Test
    void thisTestJvmIsNoAgent() {
        assertFalse(Bench.isAgent(ProcessHandle.current()));
    }

    @Test
    void headerNamesTheHostFacts() {
        String header = Bench.header("producer cost");
        assertTrue(header.contains("producer cost") && header.contains("cores"), header);
    }
}
