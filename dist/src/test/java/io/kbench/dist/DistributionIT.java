package io.kbench.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tarball as a user gets it: unpacked into an empty directory and run with a Java runtime and a PATH without
 * Maven, so nothing can come from the source tree or the build. Also checks that each process kind's class path
 * (the launcher's layers of lib/) holds only what that process needs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DistributionIT {

    /** The broker, Scala and Kafka's server side: only the full class path of local and broker carries them. */
    private static final Pattern BROKER = Pattern.compile("^(kafka_2\\.13|scala-|kafka-server).*\\.jar$");

    private static final Pattern ROCKSDB = Pattern.compile("^rocksdb.*\\.jar$");

    /** The class paths bin/kbench builds, as layers of lib/ (dist/pom.xml, bin/kbench). */
    private static final Map<String, List<String>> CLASS_PATHS = new LinkedHashMap<>();

    static {
        CLASS_PATHS.put("agent", List.of("agent"));
        CLASS_PATHS.put("cli", List.of("cli", "agent"));
        CLASS_PATHS.put("worker", List.of("worker", "agent"));
        CLASS_PATHS.put("aggregator", List.of("aggregator", "agent"));
        CLASS_PATHS.put("full", List.of("local", "cli", "worker", "aggregator", "agent"));
    }

    @TempDir
    static Path dir;

    private Path home;
    private final String version = System.getProperty("kbench.version");

    @BeforeAll
    void unpack() throws Exception {
        Path tarball = Path.of(System.getProperty("kbench.tarball"));
        assertTrue(Files.isRegularFile(tarball), "no tarball at " + tarball + " (run after mvn package)");
        Path install = Files.createDirectories(dir.resolve("install"));
        Process tar = new ProcessBuilder("tar", "xzf", tarball.toString(), "-C", install.toString())
                .inheritIO()
                .start();
        assertTrue(tar.waitFor(2, TimeUnit.MINUTES), "tar did not finish");
        assertEquals(0, tar.exitValue(), "tar xzf " + tarball);
        home = install.resolve("kbench-" + version);
        assertTrue(Files.isExecutable(home.resolve("bin/kbench")), "bin/kbench missing or not executable");
        for (String path : List.of(
                "LICENSE", "README.md", "workloads/quick-start.yaml", "configs", "payload", "dashboards", "lib")) {
            assertTrue(Files.exists(home.resolve(path)), path + " missing from the distribution");
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void printsItsVersionWithoutMaven() throws Exception {
        Run run = kbench(dir.resolve("version.log"), "--version");
        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("kbench " + version), run.output());
    }

    @Test
    void eachProcessKindsClassPathHoldsOnlyWhatItNeeds() throws IOException {
        for (Map.Entry<String, List<String>> kind : CLASS_PATHS.entrySet()) {
            List<Path> jars = jars(kind.getValue());
            long bytes = 0;
            for (Path jar : jars) {
                bytes += Files.size(jar);
            }
            System.out.printf(
                    Locale.ROOT, "class path of %-10s %3d jars, %5.1f MB%n", kind.getKey(), jars.size(), bytes / 1e6);
            List<String> names =
                    jars.stream().map(p -> p.getFileName().toString()).toList();
            if (!kind.getKey().equals("full")) {
                assertEquals(
                        List.of(),
                        names.stream().filter(n -> BROKER.matcher(n).find()).toList(),
                        kind.getKey() + " carries the broker");
            }
            // The aggregator's stores are in memory: no process needs RocksDB.
            assertEquals(
                    List.of(),
                    names.stream().filter(n -> ROCKSDB.matcher(n).find()).toList(),
                    kind.getKey() + " carries RocksDB");
        }
        List<String> agent = jars(List.of("agent")).stream()
                .map(p -> p.getFileName().toString())
                .toList();
        assertTrue(agent.stream().anyMatch(n -> n.startsWith("kbench-agent-")), agent.toString());
        assertTrue(agent.stream().anyMatch(n -> n.startsWith("kafka-clients-")), agent.toString());
        assertFalse(agent.stream().anyMatch(n -> n.startsWith("picocli-")), "the agent has no command line");
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void runsTheQuickStartLocallyWithoutMaven() throws Exception {
        Path results = dir.resolve("results");
        Run run = kbench(
                dir.resolve("local.log"),
                "local",
                "workloads/quick-start.yaml",
                "--duration",
                "5",
                "--warmup",
                "1",
                "-o",
                results.toString());
        assertEquals(0, run.exit(), run.output());
        List<Path> written;
        try (Stream<Path> files = Files.list(results)) {
            written = files.filter(p -> p.getFileName().toString().startsWith("quick-start-")
                            && p.toString().endsWith(".json"))
                    .toList();
        }
        assertEquals(1, written.size(), "one result file expected in " + results + "; output:\n" + run.output());
        JsonNode result = new ObjectMapper().readTree(written.get(0).toFile());
        assertEquals(
                "COMPLETE",
                result.path("kbench").path("status").asText(),
                written.get(0).toString());
        // KBENCH_VERBOSE=1 shows the in-process daemon's start-up line: its agents run on lib/agent alone.
        String agentDir = home.resolve("lib").resolve("agent").toString();
        assertTrue(
                run.output().contains("agents start on their own class path")
                        && run.output().contains("from " + agentDir),
                "the daemon did not start agents on " + agentDir + "; output:\n" + run.output());

        // The run kept its JVM's class data for the next launch, in the user's cache (HOME is this test's dir) ...
        Path cache = dir.resolve(".cache").resolve("kbench");
        List<Path> archives;
        try (Stream<Path> files = Files.list(cache)) {
            archives = files.filter(p -> p.getFileName().toString().matches("local-[0-9]+\\.jsa"))
                    .toList();
        }
        assertEquals(1, archives.size(), "one class-data archive expected in " + cache + "; output:\n" + run.output());
        assertTrue(run.output().contains("  kept: " + archives.get(0)), run.output());
        // The local worker trains its agents' archive there too, not in the run's log directory.
        assertFalse(Files.exists(home.resolve("kbench-logs").resolve("cds")), "agents' class data in kbench-logs/cds");
        // ... which the next launch maps: kbench's own classes come from it ("top", the dynamic archive's layer).
        Run next = kbench(
                dir.resolve("local-help.log"), Map.of("KBENCH_JAVA_OPTS", "-Xlog:class+load=info"), "local", "--help");
        assertEquals(0, next.exit(), next.output());
        assertTrue(
                next.output().contains("io.kbench.controller.command.KbenchMain source: shared objects file (top)"),
                "the second launch did not map " + archives.get(0) + "; output:\n" + next.output());
        // KBENCH_CLASS_DATA=off: nothing mapped, nothing asked.
        Run off = kbench(
                dir.resolve("local-help-off.log"),
                Map.of("KBENCH_JAVA_OPTS", "-Xlog:class+load=info", "KBENCH_CLASS_DATA", "off"),
                "local",
                "--help");
        assertEquals(0, off.exit(), off.output());
        assertTrue(off.output().contains("io.kbench.controller.command.KbenchMain source: file:"), off.output());
    }

    private List<Path> jars(List<String> layers) throws IOException {
        List<Path> jars = new ArrayList<>();
        for (String layer : layers) {
            try (Stream<Path> files = Files.list(home.resolve("lib").resolve(layer))) {
                files.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(jars::add);
            }
        }
        return jars;
    }

    private record Run(int exit, String output) {}

    /** bin/kbench in the unpacked distribution, from its directory, with JAVA_HOME and a PATH without Maven. */
    private Run kbench(Path log, String... args) throws Exception {
        return kbench(log, Map.of(), args);
    }

    /** As {@link #kbench(Path, String...)}, with more environment variables. */
    private Run kbench(Path log, Map<String, String> moreEnv, String... args) throws Exception {
        List<String> command =
                new ArrayList<>(List.of(home.resolve("bin/kbench").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("PATH", toolsOnly().toString());
        env.put("HOME", dir.toString());
        env.put("KBENCH_VERBOSE", "1");
        env.putAll(moreEnv);
        Process process = builder.start();
        try {
            if (!process.waitFor(4, TimeUnit.MINUTES)) {
                throw new AssertionError(
                        "bin/kbench " + String.join(" ", args) + " did not finish; output:\n" + Files.readString(log));
            }
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        return new Run(process.exitValue(), Files.readString(log));
    }

    /**
     * A PATH of only the tools bin/kbench uses (no Maven, no java: JAVA_HOME names it), as on a host that has
     * nothing but a Java runtime.
     */
    private Path toolsOnly() throws IOException {
        Path tools = dir.resolve("tools");
        if (Files.isDirectory(tools)) {
            return tools;
        }
        Files.createDirectories(tools);
        for (String tool : List.of("sh", "ls", "sed", "dirname", "find", "cksum", "cut", "head")) {
            Path found = which(tool);
            Files.createSymbolicLink(tools.resolve(tool), found);
        }
        assertFalse(Files.exists(tools.resolve("mvn")));
        return tools;
    }

    private static Path which(String tool) {
        for (String entry :
                System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(entry, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(tool + " not found on the PATH");
    }
}
