package io.kbench.worker.supervise;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A class-data sharing archive (AppCDS, JDK 13+ dynamic archive) for agent JVMs: a short training JVM started by
 * the daemon in the background ({@link #prepare}) runs the agent up to its metadata wait and writes the classes it
 * loaded to an archive when it exits ({@code -XX:ArchiveClassesAtExit}); every agent JVM started after that maps
 * them from it ({@code -XX:SharedArchiveFile}) instead of opening, parsing and verifying them again, which is most
 * of an agent's start-up when many JVMs start at once on few cores. Agents started before the archive is ready
 * start without it; no agent waits for it and no agent writes it.
 *
 * <p>The archive is named after a hash of the java executable's version, the class path and each jar's size and
 * modification time, so a rebuilt jar or another JDK gets a new archive rather than a mismatched one. An archive
 * is handed to agents only after a JVM started with it and {@code -Xshare:on} (an archive that does not fit is an
 * error then) succeeded, in a throw-away process: a truncated archive crashes a JVM that maps it. An existing one
 * that fails that check is deleted and trained anew. Agents start with {@code -Xshare:auto} and the JVM's archive
 * warnings turned off, so an archive that stops fitting later only costs the start-up it would have saved.
 *
 * <p>The directory belongs to the daemon: created owner-only, and not used (a warning, then no archive) when it
 * is a link, owned by another user or writable by others — a planted archive would be code run by every agent.
 */
public final class AgentClassData {

    private static final Logger LOGGER = LoggerFactory.getLogger(AgentClassData.class);

    /**
     * System property of the daemon's JVM: {@code false} turns the archive off (agents start without one, nothing
     * is trained). On by default.
     */
    public static final String PROPERTY = "kbench.agent.classData";

    /** The JVM's own messages about an archive it cannot use: off, the fallback is silent by design. */
    static final List<String> QUIET = List.of("-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off");

    /**
     * Maps the archive at the address it was written for, so the JVM does not rewrite its pointers. Relocated (the
     * default of Debian's JDK 17 and of JDK 21+, {@code ArchiveRelocationMode=1}, for address-space randomisation),
     * every page of the archive an agent touches becomes its private memory, and the rewrite costs every start
     * 25–33 ms of CPU (bench/README.md §6e). At its address the pages stay the file's, shared by every agent on the
     * host: 17 MB less private memory per warm agent. Where the address is taken the JVM relocates as before.
     */
    static final List<String> AT_ITS_ADDRESS = List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0");

    /** How long a training JVM may take, start to archive written (a loaded host takes seconds). */
    static final long TRAINING_TIMEOUT_SECONDS = 120;

    private final Optional<Path> archive;
    private final Path javaExecutable;
    private final String classPath;
    private final AtomicBoolean preparing = new AtomicBoolean();
    private final CompletableFuture<Boolean> prepared = new CompletableFuture<>();
    /** Set once the archive passed its check: from then on agents get it. */
    private volatile boolean ready;
    /** The training JVM while it runs, so that {@link #close()} can end it. */
    private volatile Process training;

    private volatile boolean closed;

    private AgentClassData(Optional<Path> archive, Path javaExecutable, String classPath) {
        this.archive = archive;
        this.javaExecutable = javaExecutable;
        this.classPath = classPath;
        if (archive.isEmpty()) {
            prepared.complete(false);
        }
    }

    /** No archive: agents start as before. */
    public static AgentClassData none() {
        return new AgentClassData(Optional.empty(), Path.of("java"), "");
    }

    /**
     * The archive for agents started with {@code javaExecutable} on {@code classPath}, kept in {@code dir}; none
     * when {@code -Dkbench.agent.classData=false}, (with one warning) when the directory cannot be made safe, or
     * when the class path has a directory entry (the JVM archives classes from jars only, and a directory's
     * contents change without the name changing). Cheap: nothing is checked or trained before {@link #prepare}.
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
        Optional<String> unsafe = ClassDataFiles.makeSafe(dir);
        if (unsafe.isPresent()) {
            LOGGER.warn("no class-data archive for agents (they start slower): {}", unsafe.get());
            return none();
        }
        Path file = dir.resolve("agent-" + key(javaExecutable, entries) + ".jsa");
        return new AgentClassData(Optional.of(file), javaExecutable, classPath);
    }

    /** The archive file, when there is one (written or still to write). */
    public Optional<Path> archive() {
        return archive;
    }

    /**
     * Makes the archive ready on a thread of its own, once (later calls return the same future): an archive
     * already there is checked (and deleted when it fails); without one, a training JVM started by {@code
     * training} writes it into the temporary file it is given, which becomes the archive once checked. Completes
     * with whether agents now get the archive; never exceptionally.
     */
    public CompletableFuture<Boolean> prepare(Function<Path, Training> training) {
        if (archive.isEmpty() || !preparing.compareAndSet(false, true)) {
            return prepared;
        }
        Thread thread = new Thread(
                () -> {
                    try {
                        prepared.complete(prepareNow(training));
                    } catch (RuntimeException e) {
                        LOGGER.info("no agent class-data archive: {}", e.toString());
                        prepared.complete(false);
                    }
                },
                "kbench-agent-class-data");
        thread.setDaemon(true);
        thread.start();
        return prepared;
    }

    private boolean prepareNow(Function<Path, Training> training) {
        Path file = archive.orElseThrow();
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            if (usable(file)) {
                ready = true;
                LOGGER.info("agents share class data through {} (present)", file);
                return true;
            }
            LOGGER.warn("agent class-data archive {} is not usable (another JDK?): deleted, training anew", file);
            delete(file);
        }
        Path temp = file.resolveSibling(
                file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        delete(temp);
        long startNs = System.nanoTime();
        try {
            Optional<Integer> exit = train(training.apply(temp), file.resolveSibling(file.getFileName() + ".log"));
            if (exit.isPresent() && Files.isRegularFile(temp, LinkOption.NOFOLLOW_LINKS) && usable(temp)) {
                ClassDataFiles.move(temp, file);
                ClassDataFiles.deleteOthers(file, "agent-");
                ready = true;
                LOGGER.info(
                        "agents share class data through {} ({} KB, trained in {} ms)",
                        file,
                        Files.size(file) / 1024,
                        (System.nanoTime() - startNs) / 1_000_000);
                return true;
            }
            if (closed) {
                LOGGER.info("no agent class-data archive: the daemon closed while the training JVM ran");
            } else {
                LOGGER.info(
                        "no agent class-data archive: the training JVM {} without a usable archive; agents start"
                                + " without one",
                        exit.map(code -> "exited with " + code).orElse("did not finish"));
            }
            return false;
        } catch (IOException e) {
            LOGGER.info("no agent class-data archive: {}", e.toString());
            return false;
        } finally {
            delete(temp);
        }
    }

    /**
     * Runs the training JVM to its end, its output in {@code log} (kept beside the archive, for whoever wonders
     * why there is none): its exit code, or empty when it failed to start or took too long.
     */
    private Optional<Integer> train(Training training, Path log) {
        Process process = null;
        try {
            if (closed) {
                return Optional.empty();
            }
            process = AgentCommandLine.environment(new ProcessBuilder(training.command()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            this.training = process;
            if (closed) {
                process.destroyForcibly();
            }
            // stdin stays open until the JVM exits: a closed stdin would stop the agent before its metadata wait.
            process.getOutputStream().write((training.stdin() + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
            if (!process.waitFor(TRAINING_TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS)) {
                return Optional.empty();
            }
            return Optional.of(process.exitValue());
        } catch (IOException e) {
            LOGGER.info("cannot start the agent class-data training JVM: {}", e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (process != null) {
                process.destroyForcibly();
            }
            this.training = null;
        }
    }

    /** Completes when {@link #prepare} has finished (with whether agents get the archive); for tests and logs. */
    public CompletableFuture<Boolean> prepared() {
        return prepared;
    }

    /** JVM options for the next agent JVM: the archive once it is ready, else nothing. */
    public Launch next() {
        if (!ready) {
            return Launch.NONE;
        }
        return new Launch(concat("-XX:SharedArchiveFile=" + archive.orElseThrow()));
    }

    /** Ends a training JVM still running (the daemon is closing); its archive is not kept. */
    public void close() {
        closed = true;
        Process process = training;
        if (process != null) {
            process.destroyForcibly();
        }
    }

    /**
     * Whether a JVM starts with this archive, as agents do but with {@code -Xshare:on}, which makes an archive
     * that does not fit an error; with the agents' mapping options, so a JVM that does not know them fails the
     * check and agents get no archive ({@link ClassDataFiles#check}).
     */
    boolean usable(Path file) {
        return ClassDataFiles.check(javaExecutable, file, classPath, AT_ITS_ADDRESS);
    }

    private static void delete(Path file) {
        ClassDataFiles.delete(file);
    }

    private static List<String> concat(String option) {
        return java.util.stream.Stream.of(List.of(option), AT_ITS_ADDRESS, QUIET)
                .flatMap(List::stream)
                .toList();
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
     */
    public record Launch(List<String> options) {

        static final Launch NONE = new Launch(List.of());

        public Launch {
            options = List.copyOf(options);
        }
    }

    /**
     * A training JVM: its whole command (which writes the archive at exit) and the one line it reads on stdin.
     *
     * @param command java and its arguments
     * @param stdin the first line the JVM reads (an agent's launch line), without its line end
     */
    public record Training(List<String> command, String stdin) {

        public Training {
            if (command == null || command.isEmpty()) {
                throw new IllegalArgumentException("command must not be empty, got " + command);
            }
            command = List.copyOf(command);
            if (stdin == null || stdin.contains("\n")) {
                throw new IllegalArgumentException("stdin must be one line, got " + stdin);
            }
        }
    }
}
