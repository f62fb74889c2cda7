package io.kbench.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** What every benchmark main needs: the class path to start JVMs from, /proc readings, printing. */
final class Bench {

    private Bench() {}

    /** This JVM's class path: agent, daemon, aggregator and kafka-tools are all on it, as in a worker daemon. */
    static String classPath() {
        return System.getProperty("java.class.path");
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** This JDK's {@code jcmd}, for diagnostic commands to the benchmark's child JVMs. */
    static Path jcmd() {
        return Path.of(System.getProperty("java.home"), "bin", "jcmd");
    }

    /** Sleeps until the epoch-ms instant (at once when it has passed). */
    static void sleepUntil(long epochMs) throws InterruptedException {
        long wait = epochMs - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** A field of /proc/PID/status in kB ({@code VmHWM}, {@code VmRSS}), or -1 when the process is gone. */
    static long statusKb(long pid, String field) {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(
                            line.substring(field.length() + 1).replace("kB", "").trim());
                }
            }
            return -1;
        } catch (IOException | UncheckedIOException e) {
            // The process exited between the check and the read: there is nothing to measure any more.
            return -1;
        }
    }

    /** Whether a live process runs the agent's main class (from /proc/PID/cmdline; false when it is gone). */
    static boolean isAgent(ProcessHandle process) {
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
            String command = new String(cmdline, java.nio.charset.StandardCharsets.UTF_8);
            // The daemon's class-data training JVM runs the agent too, but belongs to no run.
            return command.contains(io.kbench.protocol.AgentIo.AGENT_MAIN_CLASS)
                    && !command.contains("-XX:ArchiveClassesAtExit");
        } catch (IOException e) {
            // The process exited while we looked: it is no agent any more.
            return false;
        }
    }

    /**
     * Waits until no directory of the given topics is left under the broker's log directory, so that a deleted
     * topic's disk work does not overlap the next measurement (docs/architecture.md, Measurement).
     */
    static void awaitTopicFilesGone(Path logDir, Collection<String> topics, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> left = topicDirs(logDir, topics);
            if (left.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "files of deleted topics still in " + logDir + " after " + timeout.toSeconds() + " s: " + left);
            }
            Thread.sleep(200); // polling a directory: there is no event to wait on
        }
    }

    private static List<String> topicDirs(Path logDir, Collection<String> topics) {
        if (!Files.isDirectory(logDir)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(logDir)) {
            return dirs.map(p -> p.getFileName().toString())
                    .filter(name -> topics.stream().anyMatch(name::startsWith))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + logDir, e);
        }
    }

    static String header(String title) {
        return String.format(
                Locale.ROOT,
                "== %s — %s, %d cores, java %s ==",
                title,
                LocalDate.now(),
                cores(),
                System.getProperty("java.version"));
    }

    static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    static void println(String format, Object... args) {
        System.out.println(f(format, args));
        System.out.flush();
    }

    static String verdict(boolean met, String what) {
        return (met ? "GOAL MET: " : "GOAL MISSED: ") + what;
    }
}
