package io.kbench.worker.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataFilesTest {

    @TempDir
    Path dir;

    @Test
    void aNewArchiveDeletesThoseOfOtherKeysAndGoneWritersLeftoversButNoWriteInProgressNorOthersFiles()
            throws IOException {
        String running = "agent-dd.jsa.tmp-" + ProcessHandle.current().pid();
        for (String name : List.of(
                "agent-aa.jsa",
                "agent-aa.jsa.log",
                "agent-bb.jsa",
                "agent-bb.jsa.log",
                "agent-cc.jsa.tmp-" + Long.MAX_VALUE,
                running,
                "local-1.jsa",
                "notes.txt")) {
            Files.writeString(dir.resolve(name), name);
        }
        ClassDataFiles.deleteOthers(dir.resolve("agent-aa.jsa"), "agent-");
        try (var left = Files.list(dir)) {
            assertEquals(
                    List.of("agent-aa.jsa", "agent-aa.jsa.log", running, "local-1.jsa", "notes.txt"),
                    left.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void aTemporaryFileIsAGoneWritersOnlyWhenItsPidNoLongerRuns() {
        assertFalse(ClassDataFiles.writerGone(
                "local-1.jsa.tmp-" + ProcessHandle.current().pid()));
        assertTrue(ClassDataFiles.writerGone("local-1.jsa.tmp-" + Long.MAX_VALUE));
        assertFalse(ClassDataFiles.writerGone("local-1.jsa"), "not a temporary file");
        assertFalse(ClassDataFiles.writerGone("local-1.jsa.tmp-x"), "not a pid");
    }
}
