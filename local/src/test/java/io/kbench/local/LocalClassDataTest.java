package io.kbench.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the local JVM's class data asks and does without the launcher's JVM options (the distribution's IT runs the
 * real launcher: an archive written after a run, mapped by the next launch).
 */
class LocalClassDataTest {

    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        System.clearProperty(LocalClassData.PROPERTY);
    }

    @Test
    void nothingIsAskedWithoutTheLaunchersProperty() {
        assertEquals(Optional.empty(), LocalClassData.asked());
        assertEquals(Optional.empty(), LocalClassData.asked().flatMap(LocalClassData::keep));
    }

    @Test
    void onlyAnArchiveNamedAsTheLauncherNamesThemAndNotYetThereIsAsked() throws Exception {
        System.setProperty(LocalClassData.PROPERTY, dir.resolve("other.jsa").toString());
        assertEquals(Optional.empty(), LocalClassData.asked(), "a name the launcher does not give");
        Path archive = dir.resolve("local-123.jsa");
        System.setProperty(LocalClassData.PROPERTY, archive.toString());
        assertEquals(Optional.of(archive), LocalClassData.asked());
        Files.writeString(archive, "written by a run beside this one");
        assertEquals(Optional.empty(), LocalClassData.asked(), "already there");
    }

    @Test
    void aJvmStartedWithoutRecordingSaysWhyNothingWasKeptAndLeavesNoFile() throws Exception {
        // This test JVM was not started with -XX:+RecordDynamicDumpInfo: the dump must fail as a sentence.
        Path archive = dir.resolve("cache").resolve("local-123.jsa");
        System.setProperty(LocalClassData.PROPERTY, archive.toString());
        String said = LocalClassData.asked().flatMap(LocalClassData::keep).orElseThrow();
        assertTrue(said.startsWith("  not kept: "), said);
        assertFalse(Files.exists(archive));
        try (var left = Files.list(archive.getParent())) {
            assertEquals(0, left.count(), "a temporary file was left in " + archive.getParent());
        }
    }
}
