package io.kbench.worker.supervise;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A class-data sharing archive (AppCDS, JDK 13+ dynamic archive) for agent JVMs: the first agent JVM started on a
 * class path writes the classes it loaded to an archive when it exits ({@code -XX:ArchiveClassesAtExit}); every
 * later one maps them from it ({@code -XX:SharedArchiveFile}) instead of opening, parsing and verifying them
 * again, which is most of an agent's start-up when many JVMs start at once on few cores.
 *
 * <p>The archive is named after a hash of the java executable's version, the class path and each jar's size and
 * modification time, so a rebuilt jar or another JDK gets a new archive rather than a mismatched one. The JVM
 * checks the archive again itself and ignores one that does not fit ({@code -Xshare:auto}); its warnings are
 * turned off, so a missing, corrupt or mismatched archive only costs the start-up it would have saved. Only one
 * JVM at a time writes, into a temporary file that becomes the archive only once a JVM has started with it.
 *
 * <p>The directory belongs to the daemon: created owner-only, and not used (a warning, then no archive) when it
 * is a link, owned by another user or writable by others — a planted archive would be code run by every agent.
 */
public final class AgentClassData {

    private static final Logger LOGGER = LoggerFactory.getLogger(AgentClassData.class);

    /**
     * System property of the daemon's JVM: {@code true} turns the archive on. Off by default for now: the archive is
     * written by the first agent JVM as it exits, which delays that agent's exit by seconds on a loaded host (seen
     * as agents outliving a killed daemon by more than 3 s); writing it from a throw-away training JVM at the
     * daemon's start is the way to turn it on by default. {@code false} also turns it off.
     */
    public static final String PROPERTY = "kbench.agent.classData";

    /** Whether the daemon's JVM was started with {@code -Dkbench.agent.classData=true}. */
    public static boolean enabled() {
        return "true".equalsIgnoreCase(System.getProperty(PROPERTY));
    }

    /** The JVM's own messages about an archive it cannot use: off, the fallback is silent by design. */
    static final List<String> QUIET = List.of("-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off");

    /** How long the check of a new archive (a JVM printing its version) may take. */
    private static final long CHECK_TIMEOUT_SECONDS = 60;

    private final Optional<Path> archive;
    private final Path javaExecutable;
    private final String classPath;
    private final AtomicBoolean writing = new AtomicBoolean();

    private AgentClassData(Optional<Path> archive, Path javaExecutable, String classPath) {
        this.archive = archive;
        this.javaExecutable = javaExecutable;
        this.classPath = classPath;
    }

    /** No archive: agents start as before. */
    public static AgentClassData none() {
        return new AgentClassData(Optional.empty(), Path.of("java"), "");
    }

    /**
     * The archive for agents started with {@code javaExecutable} on {@code classPath}, kept in {@code dir}; none
     * (with one warning) when the directory cannot be made safe, or the class path has a directory entry (the JVM
     * archives classes from jars only, and a directory's contents change without the name changing).
     */
    public static AgentClassData in(Path dir, Path javaExecutable, String classPath) {
        if ("false".equalsIgnoreCase(System.getProperty(PROPERTY))) {
            LOGGER.info("no class-data archive for agents: -D{}=false", PROPERTY);
            return none();
        }
        List<String> entries = List.of(classPath.split(File.pathSeparator));
        Optional<String> notJar = entries.stream()
                .filter(e -> !e.toLowerCase(java.util.Locale.ROOT).endsWith(".jar") || !Files.isRegularFile(Path.of(e)))
                .findFirst();
        if (notJar.isPresent()) {
            LOGGER.info("no class-data archive for agents: class path entry {} is not a jar file", notJar.get());
            return none();
        }
        Optional<String> unsafe = makeSafe(dir);
        if (unsafe.isPresent()) {
            LOGGER.warn("no class-data archive for agents (they start slower): {}", unsafe.get());
            return none();
        }
        Path file = dir.resolve("agent-" + key(javaExecutable, entries) + ".jsa");
        AgentClassData data = new AgentClassData(Optional.of(file), javaExecutable, classPath);
        boolean present = Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
        if (present && !data.usable(file)) {
            LOGGER.warn("agent class-data archive {} is not usable: deleted, the next agent JVM writes it anew", file);
            delete(file);
            present = false;
        }
        LOGGER.info(
                "agents share class data through {} ({})",
                file,
                present ? "present" : "written by the first agent JVM when it exits");
        return data;
    }

    /** The archive file, when there is one (written or still to write). */
    public Optional<Path> archive() {
        return archive;
    }

    /**
     * JVM options for the next agent JVM: use the archive when it exists; otherwise let this one JVM write it
     * ({@link Launch#writing()}), unless another is already writing; or nothing.
     */
    public Launch next() {
        if (archive.isEmpty()) {
            return Launch.NONE;
        }
        Path file = archive.get();
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return new Launch(concat("-XX:SharedArchiveFile=" + file), Optional.empty());
        }
        if (!writing.compareAndSet(false, true)) {
            return Launch.NONE;
        }
        Path temp = file.resolveSibling(
                file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        delete(temp);
        return new Launch(concat("-XX:ArchiveClassesAtExit=" + temp), Optional.of(temp));
    }

    /** An agent JVM started with {@code launch} exited: what it wrote becomes the archive if a JVM can use it. */
    public void exited(Launch launch, int exitCode) {
        if (launch.writing().isEmpty()) {
            return;
        }
        Path temp = launch.writing().get();
        try {
            // Any exit the JVM itself went through writes the archive (a failed run's agents load the same
            // classes); a SIGKILL (137) or a failed start (-1) does not. Either way it is checked before use.
            if (exitCode >= 0 && exitCode != 137 && Files.isRegularFile(temp) && usable(temp)) {
                move(temp, archive.orElseThrow());
                LOGGER.info(
                        "agent class-data archive written: {} ({} KB)",
                        archive.get(),
                        Files.size(archive.get()) / 1024);
            } else {
                LOGGER.info("no agent class-data archive from that agent JVM (exit code {})", exitCode);
            }
        } catch (IOException e) {
            LOGGER.info("no agent class-data archive from that agent JVM: {}", e.toString());
        } finally {
            delete(temp);
            writing.set(false);
        }
    }

    /**
     * Whether a JVM starts with this archive, as agents do but with {@code -Xshare:on}, which makes an archive
     * that does not fit an error. A truncated archive crashes the JVM (SIGBUS while mapping it), so an archive is
     * checked this way once, in its own process, before any agent gets it.
     */
    boolean usable(Path file) {
        Path errorFile = file.resolveSibling(file.getFileName() + ".check-error.log");
        List<String> command = List.of(
                javaExecutable.toString(),
                "-XX:SharedArchiveFile=" + file,
                "-Xshare:on",
                "-XX:ErrorFile=" + errorFile,
                "-cp",
                classPath,
                "-version");
        Process process = null;
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(CHECK_TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS)) {
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

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOGGER.debug("cannot delete {}: {}", file, e.toString());
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static List<String> concat(String option) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(option), QUIET.stream())
                .toList();
    }

    /**
     * Creates {@code dir} owner-only, or checks an existing one: a real directory (no link), this user's, not
     * writable by group or others. Empty when usable, else why not.
     */
    static Optional<String> makeSafe(Path dir) {
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

    /** Hash of the JVM and of every jar's path, size and modification time. */
    static String key(Path javaExecutable, List<String> jars) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            update(digest, javaExecutable.toString());
            update(digest, System.getProperty("java.vm.version", "") + "|" + System.getProperty("java.home", ""));
            for (String jar : jars) {
                Path path = Path.of(jar);
                update(
                        digest,
                        path.toAbsolutePath() + "|" + Files.size(path) + "|"
                                + Files.getLastModifiedTime(path).toMillis());
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException("cannot name the class-data archive: " + e, e);
        }
    }

    private static void update(MessageDigest digest, String value) {
        digest.update(value.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
    }

    /**
     * The options one agent JVM starts with.
     *
     * @param options JVM options, empty for none
     * @param writing the temporary archive this JVM writes at exit, if it does
     */
    public record Launch(List<String> options, Optional<Path> writing) {

        static final Launch NONE = new Launch(List.of(), Optional.empty());

        public Launch {
            options = List.copyOf(options);
            writing = writing == null ? Optional.empty() : writing;
        }
    }
}
