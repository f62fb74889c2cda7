package io.kbench.worker.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentCommandLineTest {

    private final AgentCommandLine line = new AgentCommandLine(Path.of("/jdk/bin/java"), "a.jar:b.jar", "Main");

    @Test
    void boundsAnAgentsHeapAndUsesOneGcThreadByDefault() {
        List<String> command = line.command(List.of(), 1);
        assertEquals(
                List.of(
                        "/jdk/bin/java",
                        "-XX:+UseSerialGC",
                        "-Xmx" + AgentCommandLine.defaultHeapLimitMb(1) + "m",
                        "-Xms16m",
                        "-Xss512k",
                        "-XX:+ExitOnOutOfMemoryError",
                        "-XX:-UsePerfData",
                        "-cp",
                        "a.jar:b.jar",
                        "Main"),
                command);
    }

    @Test
    void theDaemonsOwnOptionsComeBeforeTheAssignmentsSoTheyCannotBeOverriddenByPosition() {
        List<String> command = line.command(List.of("-Xms64m"), 1, List.of("-Dx=1"));
        assertFalse(command.contains("-Xms16m"), command.toString());
        assertTrue(command.indexOf("-Dx=1") < command.indexOf("-Xms64m"), command.toString());
        assertEquals("-cp", command.get(command.size() - 3));
    }

    @Test
    void agentJvmsGetTwoMallocArenasUnlessTheDaemonSetsItsOwn() throws Exception {
        ProcessBuilder unset = new ProcessBuilder("sh", "-c", "echo $" + AgentCommandLine.MALLOC_ARENA_MAX);
        unset.environment().remove(AgentCommandLine.MALLOC_ARENA_MAX);
        assertEquals("2", outputOf(AgentCommandLine.environment(unset)));

        ProcessBuilder own = new ProcessBuilder("sh", "-c", "echo $" + AgentCommandLine.MALLOC_ARENA_MAX);
        own.environment().put(AgentCommandLine.MALLOC_ARENA_MAX, "4");
        assertEquals("4", outputOf(AgentCommandLine.environment(own)));
    }

    private static String outputOf(ProcessBuilder builder) throws Exception {
        Process process = builder.redirectErrorStream(true).start();
        assertTrue(process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS), "sh did not exit");
        return new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
    }

    @Test
    void scalesTheHeapWithTheAgentsInTheJvm() {
        assertTrue(line.command(List.of(), 40).contains("-Xmx6400m"), "160 MB per agent");
    }

    @Test
    void givesAnUnthrottledProducerRoomWhereTheHostHasTheMemory() {
        long gib = 1024L * 1024 * 1024;
        // Half the host's memory shared among its cores, within 256 MB .. 1 GB: an unthrottled producer keeps a core
        // busy and lets its heap grow to about five times its in-flight set.
        assertEquals(1024, AgentCommandLine.heapLimitMb(1, 24 * gib, 2));
        assertEquals(1024, AgentCommandLine.heapLimitMb(1, 64 * gib, 32));
        assertEquals(512, AgentCommandLine.heapLimitMb(1, 8 * gib, 8));
        assertEquals(256, AgentCommandLine.heapLimitMb(1, 2 * gib, 8));
        assertEquals(256, AgentCommandLine.heapLimitMb(1, 0, 8), "memory unknown");
        // Packed: 160 MB per agent when that is more.
        assertEquals(1024, AgentCommandLine.heapLimitMb(4, 24 * gib, 2));
        assertEquals(1280, AgentCommandLine.heapLimitMb(8, 24 * gib, 2));
        assertEquals(640, AgentCommandLine.heapLimitMb(4, 2 * gib, 8));
    }

    @Test
    void theAssignmentsOwnOptionsReplaceTheDefaults() {
        List<String> command = line.command(List.of("-XX:+UseG1GC", "-Xmx1g", "-Xss1m"), 2);
        assertFalse(command.contains("-XX:+UseSerialGC"), "two collectors would not start: " + command);
        assertFalse(command.stream().anyMatch(o -> o.startsWith("-Xmx") && !o.equals("-Xmx1g")), command.toString());
        assertFalse(command.contains("-Xss512k"));
        assertTrue(command.containsAll(List.of("-XX:+UseG1GC", "-Xmx1g", "-Xss1m")));
    }

    /** Jars an agent never needs: the broker, Scala, Kafka's server side, RocksDB (Kafka Streams' state). */
    static final Pattern FORBIDDEN = Pattern.compile(
            "(kafka_2\\.13|scala-|rocksdb|kafka-server)[^" + Pattern.quote(File.separator) + "]*\\.jar$");

    @Test
    void anAgentStartsOnTheAgentsClassPathNotTheDaemons() {
        // This test's own class path holds the broker (the daemon's tests start one): the agent's must not.
        String own = System.getProperty("java.class.path");
        assertTrue(
                List.of(own.split(File.pathSeparator)).stream()
                        .anyMatch(e -> FORBIDDEN.matcher(e).find()),
                "the test class path was expected to hold the broker: " + own);

        AgentCommandLine agent = AgentCommandLine.forThisJvm();
        List<String> command = agent.command(List.of());
        String classPath = command.get(command.indexOf("-cp") + 1);
        List<String> entries = List.of(classPath.split(File.pathSeparator));
        System.out.printf(
                Locale.ROOT,
                "agent class path: %s (the daemon's own: %s)%n",
                AgentClassPath.forThisJvm().size(),
                new AgentClassPath(own, "", true).size());
        // Run alone (mvn -pl worker-daemon), the agent comes from the local Maven repository, which has no class
        // path file: the daemon then falls back to its own, as designed. From the reactor it must find it.
        String agentMain = String.valueOf(getClass().getClassLoader().getResource("io/kbench/agent/AgentMain.class"));
        Assumptions.assumeTrue(
                agentMain.contains("/agent/target/"), "the agent does not come from this build: " + agentMain);
        assertFalse(AgentClassPath.forThisJvm().own(), "the agent's class path was not found (agent.classpath)");
        assertEquals(
                List.of(),
                entries.stream().filter(e -> FORBIDDEN.matcher(e).find()).toList(),
                "forbidden jars on the agent's class path");
        assertTrue(entries.stream().anyMatch(e -> e.contains("kafka-clients")), classPath);
        assertTrue(entries.stream().anyMatch(e -> e.contains("HdrHistogram")), classPath);
        assertTrue(entries.stream().anyMatch(e -> e.contains("agent")), classPath);
        assertEquals("io.kbench.agent.AgentMain", command.get(command.size() - 1));
    }

    @Test
    void thePropertyWinsAndExpandsDirectoriesOfJars(@TempDir Path dir) throws IOException {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Files.createFile(lib.resolve("b.jar"));
        Files.createFile(lib.resolve("a.jar"));
        Files.createFile(lib.resolve("notes.txt"));
        AgentClassPath resolved = AgentClassPath.resolve(
                Optional.of(lib + File.separator + "*" + File.pathSeparator + "extra"),
                Optional.of("ignored"),
                Optional.empty(),
                "own.jar");
        assertEquals(
                List.of(lib.resolve("a.jar").toString(), lib.resolve("b.jar").toString(), "extra"), resolved.entries());
        assertFalse(resolved.own());
        assertEquals(
                List.of("from-env"),
                AgentClassPath.resolve(Optional.empty(), Optional.of("from-env"), Optional.empty(), "own.jar")
                        .entries());
    }

    @Test
    void inTheDistributionAgentsTakeEveryJarOfLibAgent(@TempDir Path dir) throws IOException {
        Path agentDir = Files.createDirectories(dir.resolve("lib/agent"));
        Path agentJar = Files.createFile(agentDir.resolve("kbench-agent-1.0.jar"));
        Files.createFile(agentDir.resolve("kafka-clients-4.3.1.jar"));
        URL main = new URL("jar:" + agentJar.toUri() + "!/io/kbench/agent/AgentMain.class");
        AgentClassPath resolved = AgentClassPath.resolve(Optional.empty(), Optional.empty(), Optional.of(main), "own");
        assertEquals(
                List.of(agentDir.resolve("kafka-clients-4.3.1.jar").toString(), agentJar.toString()),
                resolved.entries());
    }

    @Test
    void inABuildAgentsTakeTheirClassesAndTheClassPathFileBesideThem(@TempDir Path dir) throws IOException {
        Path classes = Files.createDirectories(dir.resolve("agent/target/classes/io/kbench/agent"));
        Path mainClass = Files.createFile(classes.resolve("AgentMain.class"));
        Files.writeString(dir.resolve("agent/target/agent.classpath"), "/m2/kafka-clients.jar:/m2/jackson.jar\n");
        AgentClassPath resolved = AgentClassPath.resolve(
                Optional.empty(),
                Optional.empty(),
                Optional.of(mainClass.toUri().toURL()),
                "own");
        assertEquals(
                List.of(dir.resolve("agent/target/classes").toString(), "/m2/kafka-clients.jar", "/m2/jackson.jar"),
                resolved.entries());
    }

    @Test
    void withoutTheAgentsClassPathTheDaemonsOwnIsTheLastResort(@TempDir Path dir) throws IOException {
        Path jar = Files.createFile(Files.createDirectories(dir.resolve("lib")).resolve("everything.jar"));
        URL main = new URL("jar:" + jar.toUri() + "!/io/kbench/agent/AgentMain.class");
        AgentClassPath resolved = AgentClassPath.resolve(Optional.empty(), Optional.empty(), Optional.of(main), "own");
        assertTrue(resolved.own());
        assertEquals("own", resolved.classPath());
    }
}
