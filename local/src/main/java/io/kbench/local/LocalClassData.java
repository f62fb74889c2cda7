package io.kbench.local;

import io.kbench.worker.supervise.ClassDataFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The class-data archive (AppCDS) of the JVM that runs {@code kbench local} and {@code kbench sweep --local}: the
 * broker's, Kafka Streams', the worker's and the controller's classes, ~7,000 read from jars and JDK modules, which every launch otherwise
 * opens, parses and verifies again while the broker starts and the first run's agent JVMs boot on the same cores.
 *
 * <p>The launcher ({@code bin/kbench}) names the archive after the java executable and the class path's jars (their
 * sizes and times) and maps it when it is there; when it is not, it starts the JVM with {@code
 * -XX:+RecordDynamicDumpInfo} and names the file in {@value #PROPERTY}. After a run that was not interrupted, {@link
 * #keep} has the JVM write the classes it loaded (the diagnostic command {@code VM.cds dynamic_dump}) into a
 * temporary file, checks it in a throw-away JVM ({@link ClassDataFiles#check}), and moves it into place; archives of
 * earlier builds beside it are deleted. Every later launch maps it. Nothing here is fatal: without an archive kbench
 * starts as it did before.
 */
public final class LocalClassData {

    /** System property the launcher sets to the archive to write, when there is none yet. */
    public static final String PROPERTY = "kbench.classData.archive";

    /**
     * System property the launcher sets to its class-data directory, whenever class data is on: the local worker
     * keeps its agents' archive there too, so a run from any directory finds it trained.
     */
    public static final String DIR_PROPERTY = "kbench.classData.dir";

    /** Archives the launcher names: {@code local-<key>.jsa}. */
    static final String PREFIX = "local-";

    static final String SUFFIX = ".jsa";

    private LocalClassData() {}

    /** The launcher's class-data directory, when class data is on. */
    public static Optional<Path> directory() {
        String dir = System.getProperty(DIR_PROPERTY);
        return dir == null || dir.isBlank()
                ? Optional.empty()
                : Optional.of(Path.of(dir).toAbsolutePath());
    }

    /**
     * The archive the launcher asked this JVM to write: named as the launcher names them, and not there yet (a run
     * beside this one may have written it meanwhile).
     */
    public static Optional<Path> asked() {
        String asked = System.getProperty(PROPERTY);
        if (asked == null || asked.isBlank()) {
            return Optional.empty();
        }
        Path file = Path.of(asked).toAbsolutePath();
        String name = file.getFileName().toString();
        if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX) || Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        return Optional.of(file);
    }

    /** Writes this JVM's class data into {@code file}, the one {@link #asked} named; the line to show. */
    public static Optional<String> keep(Path file) {
        String name = file.getFileName().toString();
        Path dir = file.getParent();
        Optional<String> unsafe = ClassDataFiles.makeSafe(dir);
        if (unsafe.isPresent()) {
            return notKept(unsafe.get());
        }
        Path temp = dir.resolve(name + ".tmp-" + ProcessHandle.current().pid());
        long startNs = System.nanoTime();
        try {
            Optional<String> failed = dump(temp);
            if (failed.isPresent()) {
                return notKept(failed.get());
            }
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            if (!ClassDataFiles.check(java, temp, System.getProperty("java.class.path"), List.of())) {
                return notKept("a JVM could not start with the archive just written");
            }
            ClassDataFiles.move(temp, file);
            ClassDataFiles.deleteOthers(file, PREFIX);
            return Optional.of(String.format(
                    "  kept: %s (%d MB, %.1f s)", file, Files.size(file) >> 20, (System.nanoTime() - startNs) / 1e9));
        } catch (IOException e) {
            return notKept(e.toString());
        } finally {
            ClassDataFiles.delete(temp);
        }
    }

    /** The console's line when the archive was not kept: later launches ask again, unless told not to. */
    private static Optional<String> notKept(String why) {
        return Optional.of("  not kept: " + why + " (later starts stay as slow; KBENCH_CLASS_DATA=off stops asking)");
    }

    /**
     * Has the JVM write its loaded classes to {@code file} ({@code jcmd PID VM.cds dynamic_dump FILE}, through the
     * platform's diagnostic-command bean): empty when the file is there, else why not.
     */
    static Optional<String> dump(Path file) {
        Object said;
        // The JDK's dump says " Dynamic dump to file …" on System.out; the run's console is not the place.
        PrintStream console = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            said = ManagementFactory.getPlatformMBeanServer()
                    .invoke(
                            new ObjectName("com.sun.management:type=DiagnosticCommand"),
                            "vmCds",
                            new Object[] {new String[] {"dynamic_dump", file.toString()}},
                            new String[] {String[].class.getName()});
        } catch (JMException | RuntimeException e) {
            return Optional.of("the JVM cannot write class data (" + e + ")");
        } finally {
            System.setOut(console);
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            String why = said == null ? "" : said.toString().strip();
            return Optional.of("the JVM wrote no archive" + (why.isEmpty() ? "" : " (" + why + ")"));
        }
        return Optional.empty();
    }
}
