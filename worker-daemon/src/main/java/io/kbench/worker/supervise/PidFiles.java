package io.kbench.worker.supervise;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One file per live agent JVM, named by its pid, so a daemon that was killed can, when it starts again, find
 * agents of its own that outlived it. Agents exit on their own when their stdin closes; this catches the ones
 * that hang. A pid is only killed when its command line still names the agent's main class: pids are reused.
 */
public final class PidFiles {

    private static final Logger LOGGER = LoggerFactory.getLogger(PidFiles.class);
    private static final String SUFFIX = ".pid";

    private final Path dir;
    private final String marker;

    /**
     * @param dir this daemon's own pid directory
     * @param marker text a leftover's command line must contain to be killed (the agent's main class)
     */
    public PidFiles(Path dir, String marker) {
        this.dir = dir;
        this.marker = marker;
    }

    public Path dir() {
        return dir;
    }

    /**
     * Records a live agent. A failure is logged, not thrown: the agent runs anyway and still exits when its stdin
     * closes; only the reaping of a hung one after a daemon crash is lost.
     */
    public boolean write(long pid, String description) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(pid + SUFFIX), description + System.lineSeparator(), StandardCharsets.UTF_8);
            return true;
        } catch (IOException e) {
            LOGGER.warn("cannot write pid file: pid={} dir={} error={}", pid, dir, e.toString());
            return false;
        }
    }

    public void delete(long pid) {
        try {
            Files.deleteIfExists(dir.resolve(pid + SUFFIX));
        } catch (IOException e) {
            LOGGER.warn("cannot delete pid file: pid={} dir={} error={}", pid, dir, e.toString());
        }
    }

    /** Kills every live process listed here whose command line contains the marker; deletes every file. */
    public int reap() {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int killed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                Optional<Long> pid = pidOf(file);
                if (pid.isPresent() && kill(pid.get())) {
                    killed++;
                }
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reap leftover agents in " + dir + ": " + e.getMessage(), e);
        }
        return killed;
    }

    private boolean kill(long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (handle.isEmpty()) {
            return false;
        }
        String commandLine = handle.get().info().commandLine().orElse("");
        if (!commandLine.contains(marker)) {
            LOGGER.info("pid {} from a pid file is not an agent any more, left alone: {}", pid, commandLine);
            return false;
        }
        LOGGER.warn("killing leftover agent of an earlier run of this daemon: pid={}", pid);
        handle.get().destroyForcibly();
        try {
            handle.get().onExit().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOGGER.warn("leftover agent pid={} did not exit within 5 s of SIGKILL: {}", pid, e.toString());
        }
        return true;
    }

    private static Optional<Long> pidOf(Path file) {
        String name = file.getFileName().toString();
        try {
            return Optional.of(Long.parseLong(name.substring(0, name.length() - SUFFIX.length())));
        } catch (NumberFormatException e) {
            LOGGER.warn("ignoring pid file with a bad name: {}", file);
            return Optional.empty();
        }
    }
}
