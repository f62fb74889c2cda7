package io.kbench.worker.supervise;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every class-data archive of kbench's (the agents', {@link AgentClassData}; the local JVM's own) needs from
 * the file system: a directory nobody else can plant an archive in, a check of a new archive in a throw-away JVM
 * before anything maps it, and an atomic hand-over.
 */
public final class ClassDataFiles {

    private static final Logger LOGGER = LoggerFactory.getLogger(ClassDataFiles.class);

    /** How long the check of an archive (a JVM printing its version) may take. */
    private static final long CHECK_TIMEOUT_SECONDS = 60;

    private ClassDataFiles() {}

    /**
     * Creates {@code dir} owner-only, or checks an existing one: a real directory (no link), this user's, not
     * writable by group or others — an archive is code that every JVM mapping it runs. Empty when usable, else why
     * not.
     */
    public static Optional<String> makeSafe(Path dir) {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        try {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dir.getParent() == null ? dir : dir.getParent());
                if (posix) {
                    Files.createDirectory(
                            dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectory(dir);
                }
            }
            BasicFileAttributes basic = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!basic.isDirectory()) {
                return Optional.of(dir + " is not a directory (or is a link)");
            }
            if (posix) {
                PosixFileAttributes attrs =
                        Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String me = System.getProperty("user.name");
                if (!attrs.owner().getName().equals(me)) {
                    return Optional.of(dir + " belongs to " + attrs.owner().getName() + ", not to " + me);
                }
                Set<PosixFilePermission> perms = attrs.permissions();
                if (perms.contains(PosixFilePermission.GROUP_WRITE)
                        || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                    return Optional.of(dir + " is writable by others (" + PosixFilePermissions.toString(perms) + ")");
                }
            }
            return Optional.empty();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.of("cannot use " + dir + ": " + e);
        }
    }

    /**
     * Whether {@code java} starts with the archive on {@code classPath} and {@code options} under {@code
     * -Xshare:on}, which makes an archive that does not fit an error. A truncated archive crashes the JVM that maps
     * it (SIGBUS), so a new archive is checked this way once, in its own process, before anything else maps it.
     */
    public static boolean check(Path java, Path file, String classPath, List<String> options) {
        Path errorFile = file.resolveSibling(file.getFileName() + ".check-error.log");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-XX:SharedArchiveFile=" + file));
        command.addAll(options);
        command.addAll(List.of("-Xshare:on", "-XX:ErrorFile=" + errorFile, "-cp", classPath, "-version"));
        Process process = null;
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(CHECK_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (process != null) {
                process.destroyForcibly();
            }
            delete(errorFile);
        }
    }

    /** Moves {@code from} to {@code to} atomically where the file system can, so no reader sees half an archive. */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Deletes, beside a newly written {@code archive}, what other writers of {@code <prefix>*.jsa} archives left: the
     * archives of other keys (other builds, other JDKs; each tens of MB) with their {@code .log}, and the temporary
     * files ({@code .tmp-<pid>}) of writers no longer running. A JVM that has an archive mapped keeps its pages; a
     * writer still running keeps its temporary file.
     */
    public static void deleteOthers(Path archive, String prefix) {
        String keep = archive.getFileName().toString();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(archive.getParent(), prefix + "*.jsa*")) {
            for (Path other : files) {
                String name = other.getFileName().toString();
                boolean stale = name.contains(".tmp-")
                        ? writerGone(name)
                        : (name.endsWith(".jsa") || name.endsWith(".jsa.log"))
                                && !name.equals(keep)
                                && !name.equals(keep + ".log");
                if (stale) {
                    delete(other);
                }
            }
        } catch (IOException e) {
            LOGGER.debug("cannot list {}: {}", archive.getParent(), e.toString());
        }
    }

    /** Whether a temporary file's name ends in the pid of a process that no longer runs. */
    static boolean writerGone(String name) {
        int at = name.lastIndexOf(".tmp-");
        if (at < 0) {
            return false;
        }
        try {
            long pid = Long.parseLong(name.substring(at + ".tmp-".length()));
            return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Deletes a file if it is there; a failure is only logged (a leftover is harmless). */
    public static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOGGER.debug("cannot delete {}: {}", file, e.toString());
        }
    }
}
