package io.kbench.worker.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentClassDataTest {

    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    @TempDir
    Path dir;

    private String jars() throws IOException {
        Path a = Files.write(dir.resolve("a.jar"), new byte[] {1});
        Path b = Files.write(dir.resolve("b.jar"), new byte[] {2});
        return a + File.pathSeparator + b;
    }

    @Test
    void createsItsDirectoryOwnerOnly() throws IOException {
        Path cds = dir.resolve("logs").resolve("cds");
        AgentClassData data = AgentClassData.in(cds, JAVA, jars());
        assertTrue(data.archive().isPresent());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cds)));
    }

    @Test
    void refusesADirectoryOthersCanWriteOrALink() throws IOException {
        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals(Optional.empty(), AgentClassData.in(open, JAVA, jars()).archive());
        assertTrue(ClassDataFiles.makeSafe(open).orElseThrow().contains("writable by others"));

        Path link = Files.createSymbolicLink(dir.resolve("link"), Files.createDirectory(dir.resolve("real")));
        assertTrue(
                ClassDataFiles.makeSafe(link).orElseThrow().contains("link"),
                ClassDataFiles.makeSafe(link).get());
    }

    @Test
    void aClassPathWithADirectoryGetsNoArchive() throws IOException {
        String classPath = jars() + File.pathSeparator + Files.createDirectory(dir.resolve("classes"));
        assertEquals(
                AgentClassData.Launch.NONE,
                AgentClassData.in(dir.resolve("cds"), JAVA, classPath).next());
    }

    /** A training JVM that prints its version and writes the archive it is asked for. */
    private static Function<Path, AgentClassData.Training> versionTraining(String classPath) {
        return temp -> new AgentClassData.Training(
                List.of(JAVA.toString(), "-XX:ArchiveClassesAtExit=" + temp, "-cp", classPath, "-version"), "ignored");
    }

    private Path realJar() throws IOException {
        Path jar = dir.resolve("real.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("readme.txt"));
            out.write('x');
        }
        return jar;
    }

    /** Everything in the archive directory but the training JVM's output. */
    private List<Path> archives() throws IOException {
        try (var files = Files.list(dir.resolve("cds"))) {
            return files.filter(f -> !f.toString().endsWith(".log")).toList();
        }
    }

    @Test
    void aTrainingJvmWritesTheArchiveInTheBackgroundAndLaterAgentsGetIt() throws Exception {
        String classPath = realJar().toString();
        AgentClassData data = AgentClassData.in(dir.resolve("cds"), JAVA, classPath);
        assertEquals(AgentClassData.Launch.NONE, data.next(), "no archive before it is trained");

        CompletableFuture<Boolean> prepared = data.prepare(versionTraining(classPath));
        assertTrue(prepared.get(90, TimeUnit.SECONDS), "training failed");
        assertTrue(Files.isRegularFile(data.archive().get()));
        AgentClassData.Launch launch = data.next();
        assertEquals(
                "-XX:SharedArchiveFile=" + data.archive().get(),
                launch.options().get(0));
        assertTrue(launch.options().containsAll(AgentClassData.QUIET), launch.toString());
        assertTrue(data.usable(data.archive().get()));
        String mapping = mappingLog(launch, classPath);
        assertTrue(mapping.contains("Mapped dynamic region"), "the agent's archive is mapped:\n" + mapping);
        assertFalse(mapping.contains("alternative address"), "and not relocated:\n" + mapping);
        assertEquals(List.of(data.archive().get()), archives(), "no temporary file left");
        assertTrue(Files.isRegularFile(Path.of(data.archive().get() + ".log")), "the training JVM's output");
        assertSame(prepared, data.prepare(versionTraining(classPath)), "trained once");
    }

    @Test
    void aTrainingThatWritesNoUsableArchiveLeavesAgentsWithout() throws Exception {
        String classPath = realJar().toString();
        AgentClassData data = AgentClassData.in(dir.resolve("cds"), JAVA, classPath);
        // Exits 0 without writing anything; then one that writes garbage where the archive should be.
        assertFalse(data.prepare(temp -> new AgentClassData.Training(List.of(JAVA.toString(), "-version"), "x"))
                .get(90, TimeUnit.SECONDS));
        assertEquals(AgentClassData.Launch.NONE, data.next());

        AgentClassData garbage = AgentClassData.in(dir.resolve("cds"), JAVA, classPath);
        assertFalse(garbage.prepare(temp -> {
                    try {
                        Files.write(temp, new byte[] {0, 1, 2, 3});
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return new AgentClassData.Training(List.of(JAVA.toString(), "-version"), "x");
                })
                .get(90, TimeUnit.SECONDS));
        assertEquals(AgentClassData.Launch.NONE, garbage.next());
        assertFalse(Files.exists(garbage.archive().get()), "a truncated archive would crash every agent JVM");
        assertEquals(List.of(), archives(), "no temporary file left");
    }

    @Test
    void aStaleArchiveIsDeletedAndTrainedAnewNeverHandedOut() throws Exception {
        String classPath = realJar().toString();
        Path cds = dir.resolve("cds");
        Path archive = AgentClassData.in(cds, JAVA, classPath).archive().orElseThrow();
        byte[] stale = {9, 9, 9};
        Files.write(archive, stale);

        AgentClassData data = AgentClassData.in(cds, JAVA, classPath);
        assertEquals(AgentClassData.Launch.NONE, data.next(), "not handed out before it is checked");
        assertTrue(data.prepare(versionTraining(classPath)).get(90, TimeUnit.SECONDS));
        assertNotEquals(stale.length, Files.size(archive), "the stale archive was replaced");
        assertTrue(data.next().options().get(0).startsWith("-XX:SharedArchiveFile="));

        // A good archive already there is used as it is, without training.
        AgentClassData again = AgentClassData.in(cds, JAVA, classPath);
        assertTrue(again.prepare(temp -> {
                    throw new AssertionError("trained although a good archive was there");
                })
                .get(90, TimeUnit.SECONDS));
        assertEquals(data.next(), again.next());
    }

    @Test
    void closingEndsATrainingStillRunning() throws Exception {
        String classPath = realJar().toString();
        AgentClassData data = AgentClassData.in(dir.resolve("cds"), JAVA, classPath);
        // A training that would take a minute; the daemon closes a second after it started.
        CompletableFuture<Boolean> prepared =
                data.prepare(temp -> new AgentClassData.Training(List.of("sleep", "60"), "x"));
        // The training runs, as it does when a daemon closes soon after its start.
        io.kbench.worker.testing.Poll.until(
                () -> ProcessHandle.current()
                        .children()
                        .anyMatch(p -> p.info().command().orElse("").endsWith("sleep")),
                Boolean::booleanValue,
                java.time.Duration.ofSeconds(30));
        long start = System.nanoTime();
        data.close();
        assertFalse(prepared.get(30, TimeUnit.SECONDS));
        assertTrue(
                System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20),
                "the training process was ended, not waited for");
        assertEquals(AgentClassData.Launch.NONE, data.next());
        assertEquals(List.of(), archives(), "no archive, no temporary file");
    }

    @Test
    void theSwitchTurnsItOff() throws IOException {
        String before = System.getProperty(AgentClassData.PROPERTY);
        System.setProperty(AgentClassData.PROPERTY, "false");
        try {
            AgentClassData data =
                    AgentClassData.in(dir.resolve("cds"), JAVA, realJar().toString());
            assertEquals(Optional.empty(), data.archive());
            assertFalse(data.prepare(versionTraining("unused")).join());
            assertEquals(AgentClassData.Launch.NONE, data.next());
        } finally {
            if (before == null) {
                System.clearProperty(AgentClassData.PROPERTY);
            } else {
                System.setProperty(AgentClassData.PROPERTY, before);
            }
        }
    }

    @Test
    void theArchivesNameChangesWithAJarsContentOrTheClassPath() throws IOException {
        String classPath = jars();
        String key = AgentClassData.key(JAVA, List.of(classPath.split(File.pathSeparator)));
        assertEquals(key, AgentClassData.key(JAVA, List.of(classPath.split(File.pathSeparator))));
        Path a = dir.resolve("a.jar");
        Files.setLastModifiedTime(
                a, FileTime.fromMillis(Files.getLastModifiedTime(a).toMillis() - 10_000));
        assertNotEquals(key, AgentClassData.key(JAVA, List.of(classPath.split(File.pathSeparator))));
        assertNotEquals(key, AgentClassData.key(JAVA, List.of(a.toString())));
    }

    /** What a JVM started with an agent's archive options says about mapping the archive. */
    private static String mappingLog(AgentClassData.Launch launch, String classPath) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(JAVA.toString()));
        command.addAll(launch.options());
        command.addAll(List.of("-Xlog:cds=info", "-cp", classPath, "-version"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return output;
    }
}
