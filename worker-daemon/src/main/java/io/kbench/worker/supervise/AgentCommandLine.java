package io.kbench.worker.supervise;

import io.kbench.protocol.AgentIo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How an agent JVM is started, as JMH starts its forks: this JVM's own {@code java} executable and class path
 * and the agent's main class. Nothing here comes from a topic; an assignment may add only JVM options, and only
 * those its daemon's allow list admits.
 *
 * @param javaExecutable {@code <java.home>/bin/java}
 * @param classPath this JVM's {@code java.class.path}, which holds the agent's classes
 * @param mainClass {@link AgentIo#AGENT_MAIN_CLASS}; tests may start a stand-in
 */
public record AgentCommandLine(Path javaExecutable, String classPath, String mainClass) {

    public AgentCommandLine {
        if (javaExecutable == null) {
            throw new IllegalArgumentException("javaExecutable must be set, got null");
        }
        if (classPath == null || classPath.isBlank()) {
            throw new IllegalArgumentException("classPath must not be blank, got '" + classPath + "'");
        }
        if (mainClass == null || mainClass.isBlank()) {
            throw new IllegalArgumentException("mainClass must not be blank, got '" + mainClass + "'");
        }
    }

    /** The agent started from the JVM this code runs in. */
    public static AgentCommandLine forThisJvm() {
        return forThisJvm(AgentIo.AGENT_MAIN_CLASS);
    }

    public static AgentCommandLine forThisJvm(String mainClass) {
        Path home = Path.of(System.getProperty("java.home"));
        Path java = home.resolve("bin").resolve(isWindows() ? "java.exe" : "java");
        if (!Files.isExecutable(java)) {
            throw new IllegalStateException("no java executable at " + java + " (java.home=" + home + ")");
        }
        return new AgentCommandLine(java, System.getProperty("java.class.path"), mainClass);
    }

    /** The full command: java, the (already allowed) JVM options, the class path and the main class. */
    public List<String> command(List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable.toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        return List.copyOf(command);
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "")
                .toLowerCase(java.util.Locale.ROOT)
                .startsWith("windows");
    }
}
