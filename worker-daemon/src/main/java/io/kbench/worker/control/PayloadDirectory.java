package io.kbench.worker.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only directory whose files an agent may read as payload ({@code --payload-dir}). A task's
 * {@code payload.payloadFile} must be a relative path that stays inside it and names a readable regular file
 * there once every symbolic link is resolved; the agent then gets the file's real, absolute path.
 *
 * <p>What a refusal says never depends on anything outside the directory: a path that leaves it is refused by
 * looking at the path alone, before the file system is asked; everything the file system answers for a path
 * inside (missing, not a file, unreadable, a link to elsewhere) gets the same words. So the events topic learns
 * neither the content, nor the size, nor the existence of any file outside the directory.
 *
 * @param dir the payload directory; empty: payload files are refused
 */
public record PayloadDirectory(Optional<Path> dir) {

    private static final Logger LOGGER = LoggerFactory.getLogger(PayloadDirectory.class);

    public PayloadDirectory {
        dir = dir == null ? Optional.empty() : dir.map(d -> d.toAbsolutePath().normalize());
    }

    public static PayloadDirectory none() {
        return new PayloadDirectory(Optional.empty());
    }

    public static PayloadDirectory of(Path dir) {
        return new PayloadDirectory(Optional.of(dir));
    }

    /** What became of a task's payload file. */
    public sealed interface Resolution permits Inside, Refused {}

    /** The file's real path, inside the payload directory: what the agent gets. */
    public record Inside(Path realPath) implements Resolution {}

    /** Why the file is refused, showing only the path as the assignment gave it. */
    public record Refused(String detail) implements Resolution {}

    public Resolution resolve(String payloadFile) {
        String shown = "payload file " + Details.quote(payloadFile);
        if (dir.isEmpty()) {
            return new Refused(shown + " is refused: this worker has no payload directory (--payload-dir)");
        }
        Path given;
        try {
            given = Path.of(payloadFile);
        } catch (InvalidPathException e) {
            return new Refused(shown + " is not a valid path inside the worker's payload directory (--payload-dir)");
        }
        if (given.isAbsolute() || given.getRoot() != null) {
            return new Refused(shown + " must be relative to the worker's payload directory (--payload-dir);"
                    + " absolute paths are refused");
        }
        Path base = dir.get();
        Path lexical = base.resolve(given).normalize();
        if (!lexical.startsWith(base) || lexical.equals(base)) {
            return new Refused(shown + " is outside the worker's payload directory (--payload-dir)");
        }
        Path realBase;
        try {
            realBase = base.toRealPath();
        } catch (IOException e) {
            // The operator's own directory: worth a log line with its path; the topic gets no path of ours.
            LOGGER.warn(
                    "payload directory unusable, payload files refused: payloadDir={} error={}", base, e.toString());
            return new Refused(shown + " is refused: this worker's payload directory (--payload-dir) does not exist"
                    + " or cannot be read");
        }
        String notReadable =
                shown + " is not a readable regular file inside the worker's payload directory" + " (--payload-dir)";
        Path real;
        try {
            // Relative to the real directory, so a link in the directory's own path does not count as leaving it.
            real = realBase.resolve(base.relativize(lexical)).toRealPath();
        } catch (IOException e) {
            return new Refused(notReadable);
        }
        if (!real.startsWith(realBase) || !Files.isRegularFile(real) || !Files.isReadable(real)) {
            return new Refused(notReadable);
        }
        return new Inside(real);
    }
}
