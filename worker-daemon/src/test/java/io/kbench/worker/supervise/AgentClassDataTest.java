package io.kbench.worker.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
        assertTrue(AgentClassData.makeSafe(open).orElseThrow().contains("writable by others"));

        Path link = Files.createSymbolicLink(dir.resolve("link"), Files.createDirectory(dir.resolve("real")));
        assertTrue(
                AgentClassData.makeSafe(link).orElseThrow().contains("link"),
                AgentClassData.makeSafe(link).get());
    }

    @Test
    void aClassPathWithADirectoryGetsNoArchive() throws IOException {
        String classPath = jars() + File.pathSeparator + Files.createDirectory(dir.resolve("classes"));
        assertEquals(
                AgentClassData.Launch.NONE,
                AgentClassData.in(dir.resolve("cds"), JAVA, classPath).next());
    }

    @Test
    void oneJvmWritesTheOthersStartWithoutUntilTheArchiveExists() throws IOException {
        AgentClassData data = AgentClassData.in(dir.resolve("cds"), JAVA, jars());
        AgentClassData.Launch first = data.next();
        assertTrue(first.writing().isPresent());
        assertTrue(first.options().get(0).startsWith("-XX:ArchiveClassesAtExit="), first.toString());
        assertTrue(first.options().containsAll(AgentClassData.QUIET), first.toString());
        assertEquals(AgentClassData.Launch.NONE, data.next(), "a second writer while the first runs");

        // That JVM was killed: nothing is kept, and the next JVM writes instead.
        data.exited(first, 137);
        AgentClassData.Launch second = data.next();
        assertTrue(second.writing().isPresent());

        // It exited cleanly, but what it wrote is no archive: the check JVM refuses it, it is not kept.
        Files.write(second.writing().get(), new byte[] {0, 1, 2, 3});
        data.exited(second, 0);
        assertFalse(Files.exists(data.archive().get()));
        assertFalse(Files.exists(second.writing().get()));
    }

    @Test
    void aRealJvmsArchiveIsCheckedKeptAndHandedToTheNextJvms() throws Exception {
        Path jar = dir.resolve("real.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("readme.txt"));
            out.write('x');
        }
        AgentClassData data = AgentClassData.in(dir.resolve("cds"), JAVA, jar.toString());
        AgentClassData.Launch writer = data.next();
        List<String> command = new ArrayList<>(List.of(JAVA.toString()));
        command.addAll(writer.options());
        command.addAll(List.of("-cp", jar.toString(), "-version"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        data.exited(writer, process.exitValue());

        assertTrue(Files.isRegularFile(data.archive().get()), "no archive kept; the JVM said: " + output);
        AgentClassData.Launch reader = data.next();
        assertEquals(Optional.empty(), reader.writing());
        assertEquals(
                "-XX:SharedArchiveFile=" + data.archive().get(),
                reader.options().get(0));
        assertTrue(data.usable(data.archive().get()));
    }

    @Test
    void anExistingArchiveIsUsedAndABadOneIsDeletedAtStart() throws IOException {
        String classPath = jars();
        Path cds = dir.resolve("cds");
        Path archive = AgentClassData.in(cds, JAVA, classPath).archive().orElseThrow();
        Files.write(archive, new byte[] {9, 9, 9});
        AgentClassData data = AgentClassData.in(cds, JAVA, classPath);
        assertFalse(Files.exists(archive), "a truncated archive would crash every agent JVM");
        assertTrue(data.next().writing().isPresent());
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
}
