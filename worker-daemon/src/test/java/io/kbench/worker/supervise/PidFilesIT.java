package io.kbench.worker.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reaping with real processes: only listed ones whose command line still shows the marker die. */
class PidFilesIT {

    @Test
    void reapsListedMarkedProcessesOnlyAndDeletesEveryFile(@TempDir Path dir) throws Exception {
        Process leftover = new ProcessBuilder("sleep", "61").start();
        Process reusedPid = new ProcessBuilder("tail", "-f", "/dev/null").start();
        Process unlisted = new ProcessBuilder("sleep", "62").start();
        try {
            PidFiles pids = new PidFiles(dir, "sleep");
            pids.write(leftover.pid(), "run-1 p0");
            pids.write(reusedPid.pid(), "run-1 p1");
            pids.write(999_999_999L, "run-1 p2"); // long gone

            assertEquals(1, pids.reap());

            assertTrue(leftover.waitFor(5, TimeUnit.SECONDS), "the listed agent is killed");
            assertTrue(reusedPid.isAlive(), "a pid now used by another program is left alone");
            assertTrue(unlisted.isAlive(), "a process without a pid file is left alone");
            try (var files = Files.list(dir)) {
                assertFalse(files.findAny().isPresent(), "every pid file is deleted");
            }
        } finally {
            leftover.destroyForcibly();
            reusedPid.destroyForcibly();
            unlisted.destroyForcibly();
        }
    }
}
