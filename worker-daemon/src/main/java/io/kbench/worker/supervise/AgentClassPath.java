package io.kbench.worker.supervise;

import io.kbench.protocol.AgentIo;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The class path agents start on: the agent's own jars (agent, protocol, Kafka clients, HdrHistogram, Jackson,
 * slf4j), never the daemon's, which in {@code kbench local} also holds the broker, Scala and Kafka Streams. A JVM
 * opens and checks fewer jars, and an agent cannot pick a class up from anything but its own dependencies.
 *
 * <p>Where it comes from, first match wins ({@link #resolve}):
 *
 * <ol>
 *   <li>the system property {@value #PROPERTY}, else the environment variable {@value #ENV}: a class path, where
 *       an entry {@code DIR/*} stands for the jars in {@code DIR}, as for {@code java -cp};
 *   <li>development: the entry of this JVM's class path that holds the agent ({@code agent/target/classes} or
 *       {@code agent/target/kbench-agent-*.jar}) has the file {@value #BUILD_FILE} beside it, written by the agent
 *       module's build: that entry plus the class path in the file;
 *   <li>the distribution: the agent's jar lies in a directory named {@code agent} ({@code lib/agent/}): every jar
 *       in it;
 *   <li>otherwise this JVM's own class path, with a warning: agents then start slower and carry whatever the
 *       daemon carries.
 * </ol>
 *
 * @param classPath the agents' class path, entries joined by {@link File#pathSeparator}
 * @param source where it came from, for the daemon's log
 * @param own whether it is the daemon's own class path (the last resort)
 */
public record AgentClassPath(String classPath, String source, boolean own) {

    public static final String PROPERTY = "kbench.agent.classpath";
    public static final String ENV = "KBENCH_AGENT_CLASSPATH";
    public static final String BUILD_FILE = "agent.classpath";
    private static final String AGENT_MAIN_RESOURCE = AgentIo.AGENT_MAIN_CLASS.replace('.', '/') + ".class";

    /** This JVM's answer. */
    public static AgentClassPath forThisJvm() {
        return resolve(
                Optional.ofNullable(System.getProperty(PROPERTY)),
                Optional.ofNullable(System.getenv(ENV)),
                // A resource, not Class.forName: the daemon never loads the agent's classes, it starts them.
                Optional.ofNullable(AgentClassPath.class.getClassLoader().getResource(AGENT_MAIN_RESOURCE)),
                System.getProperty("java.class.path"));
    }

    /**
     * @param property the value of {@value #PROPERTY}, if set
     * @param env the value of {@value #ENV}, if set
     * @param agentMain where this JVM finds the agent's main class, if anywhere
     * @param ownClassPath this JVM's {@code java.class.path}
     */
    static AgentClassPath resolve(
            Optional<String> property, Optional<String> env, Optional<URL> agentMain, String ownClassPath) {
        if (property.filter(p -> !p.isBlank()).isPresent()) {
            return new AgentClassPath(expand(property.get()), "-D" + PROPERTY, false);
        }
        if (env.filter(e -> !e.isBlank()).isPresent()) {
            return new AgentClassPath(expand(env.get()), "$" + ENV, false);
        }
        Optional<Path> entry = agentMain.flatMap(AgentClassPath::classPathEntry);
        if (entry.isPresent()) {
            Path dir = entry.get().toAbsolutePath().getParent();
            Path buildFile = dir.resolve(BUILD_FILE);
            if (Files.isRegularFile(buildFile)) {
                String deps = read(buildFile).strip();
                String classPath = deps.isEmpty() ? entry.get().toString() : entry.get() + File.pathSeparator + deps;
                return new AgentClassPath(classPath, buildFile.toString(), false);
            }
            if (dir.getFileName() != null && dir.getFileName().toString().equals("agent")) {
                return new AgentClassPath(expand(dir + File.separator + "*"), dir.toString(), false);
            }
        }
        return new AgentClassPath(ownClassPath, "this JVM's class path", true);
    }

    /** The class path entry (directory or jar) a class file resource was found in. */
    static Optional<Path> classPathEntry(URL resource) {
        try {
            String protocol = resource.getProtocol();
            if (protocol.equals("jar")) {
                String path = resource.getPath(); // file:/x/kbench-agent.jar!/io/kbench/agent/AgentMain.class
                int bang = path.indexOf("!/");
                if (bang < 0 || !path.startsWith("file:")) {
                    return Optional.empty();
                }
                return Optional.of(Path.of(URI.create(path.substring(0, bang))));
            }
            if (protocol.equals("file")) {
                Path file = Path.of(resource.toURI());
                Path root = file;
                for (int i = 0; i < AGENT_MAIN_RESOURCE.split("/").length && root != null; i++) {
                    root = root.getParent();
                }
                return Optional.ofNullable(root);
            }
            return Optional.empty();
        } catch (URISyntaxException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Expands {@code DIR/*} entries to the jars in DIR, sorted, so the command line names every jar. */
    static String expand(String classPath) {
        List<String> entries = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            if (entry.endsWith(File.separator + "*") || entry.equals("*")) {
                String dirName = entry.substring(0, entry.length() - 1);
                Path dir = Path.of(dirName.isEmpty() ? "." : dirName);
                try (Stream<Path> jars = Files.list(dir)) {
                    jars.filter(p -> p.getFileName()
                                    .toString()
                                    .toLowerCase(java.util.Locale.ROOT)
                                    .endsWith(".jar"))
                            .map(Path::toString)
                            .sorted()
                            .forEach(entries::add);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list the agent class path directory " + dir, e);
                }
            } else {
                entries.add(entry);
            }
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("the agent class path '" + classPath + "' names no jar or directory");
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The class path's entries, for logs and tests. */
    public List<String> entries() {
        return List.of(classPath.split(File.pathSeparator));
    }

    /** Jars and bytes, for the daemon's start-up line. */
    public String size() {
        long bytes = 0;
        int jars = 0;
        for (String entry : entries()) {
            Path path = Path.of(entry);
            if (Files.isRegularFile(path)) {
                jars++;
                try {
                    bytes += Files.size(path);
                } catch (IOException e) {
                    // Only for a log line: an unreadable size counts as 0.
                }
            }
        }
        return String.format(java.util.Locale.ROOT, "%d jars, %.1f MB", jars, bytes / 1e6);
    }
}
