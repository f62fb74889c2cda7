package io.kbench.worker.supervise;

import com.sun.management.OperatingSystemMXBean;
import io.kbench.protocol.AgentIo;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an agent JVM is started, as JMH starts its forks: this JVM's own {@code java} executable, the agent's own
 * class path ({@link AgentClassPath}: the agent's jars only, not the daemon's) and the agent's main class.
 * Nothing here comes from a topic; an assignment may add only JVM options, and only those its daemon's allow
 * list admits.
 *
 * @param javaExecutable {@code <java.home>/bin/java}
 * @param classPath the agent's class path
 * @param mainClass {@link AgentIo#AGENT_MAIN_CLASS}; tests may start a stand-in
 */
public record AgentCommandLine(Path javaExecutable, String classPath, String mainClass) {

    private static final Logger LOGGER = LoggerFactory.getLogger(AgentCommandLine.class);

    /** An agent's heap at start (see {@link #command(List, int, List)}). */
    public static final int INITIAL_HEAP_MB = 16;

    /**
     * An agent JVM's heap limit where the host has the memory for it (see {@link #heapLimitMb}): room for an
     * unthrottled producer's heap to grow to about five times its in-flight set, which a limit of 256 MB held at
     * about twice (its collector then took 37 % of its CPU at 100-byte records).
     */
    public static final int ROOMY_HEAP_LIMIT_MB = 1024;

    /** The smallest heap limit: what every agent got before unthrottled producers' heaps could grow. */
    public static final int SMALL_HEAP_LIMIT_MB = 256;

    /** A heap limit per agent in a packed JVM. */
    public static final int HEAP_MB_PER_AGENT = 160;

    /** This host's memory, 0 when the JVM cannot say. */
    private static final long HOST_MEMORY_BYTES = hostMemoryBytes();

    /** glibc's limit on its malloc arenas, set for agent JVMs (see {@link #environment}). */
    public static final String MALLOC_ARENA_MAX = "MALLOC_ARENA_MAX";

    /** Agents' {@value #MALLOC_ARENA_MAX} unless the daemon's own environment sets one. */
    public static final String AGENT_MALLOC_ARENAS = "2";

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

    /** The agent, started with this JVM's java on the agent's own class path ({@link AgentClassPath}). */
    public static AgentCommandLine forThisJvm() {
        AgentClassPath agent = AgentClassPath.forThisJvm();
        if (agent.own()) {
            LOGGER.warn(
                    "agents start on this daemon's own class path ({}): the agent's class path was not found (set"
                            + " -D{} or ${}, or start the daemon through the kbench launcher; see the worker"
                            + " daemon's README)",
                    agent.size(),
                    AgentClassPath.PROPERTY,
                    AgentClassPath.ENV);
        } else {
            LOGGER.info("agents start on their own class path ({}), from {}", agent.size(), agent.source());
        }
        return new AgentCommandLine(thisJavaExecutable(), agent.classPath(), AgentIo.AGENT_MAIN_CLASS);
    }

    /** A stand-in for the agent (tests), started on this JVM's own class path, where its class is. */
    public static AgentCommandLine forThisJvm(String mainClass) {
        return new AgentCommandLine(thisJavaExecutable(), System.getProperty("java.class.path"), mainClass);
    }

    private static Path thisJavaExecutable() {
        Path home = Path.of(System.getProperty("java.home"));
        Path java = home.resolve("bin").resolve(isWindows() ? "java.exe" : "java");
        if (!Files.isExecutable(java)) {
            throw new IllegalStateException("no java executable at " + java + " (java.home=" + home + ")");
        }
        return java;
    }

    /** The full command for one agent; see {@link #command(List, int, List)}. */
    public List<String> command(List<String> jvmOptions) {
        return command(jvmOptions, 1);
    }

    /** The full command without options of the daemon's own; see {@link #command(List, int, List)}. */
    public List<String> command(List<String> jvmOptions, int agentsInJvm) {
        return command(jvmOptions, agentsInJvm, List.of());
    }

    /**
     * The full command: java, kbench's defaults for agents, the daemon's own options ({@code daemonOptions}:
     * class-data sharing, the agent's settings as system properties), the (already allowed) JVM options of the
     * assignment, the class path and the main class.
     *
     * <p>Defaults, each left out when the assignment sets its own: the serial collector (one GC thread: many
     * agent JVMs share a host's cores, and an agent's heap is small), a heap limit of 160 MB per agent in the JVM
     * (at least {@link #heapLimitMb}: up to {@value #ROOMY_HEAP_LIMIT_MB} MB, as the host's memory allows, so that
     * an unthrottled producer can let its heap grow to about five times its in-flight set, see the agent's {@code
     * HeapHeadroom}; every other agent's heap stays near twice its live data, so the limit is not what bounds it)
     * that starts at {@value #INITIAL_HEAP_MB} MB and grows only when the agent needs it (an initial
     * heap of a 64th of the host's memory, capped by the maximum, was committed and touched by an idle agent),
     * 512 KB thread stacks, and exit on OutOfMemoryError so the daemon reports it. Always: no {@code hsperfdata}
     * file ({@code -XX:-UsePerfData}: one less shared-memory file per agent and less to do at start-up; {@code
     * jcmd} still works).
     */
    public List<String> command(List<String> jvmOptions, int agentsInJvm, List<String> daemonOptions) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable.toString());
        if (jvmOptions.stream().noneMatch(o -> o.matches("-XX:\\+Use\\w+GC"))) {
            command.add("-XX:+UseSerialGC");
        }
        if (jvmOptions.stream().noneMatch(o -> o.startsWith("-Xmx") || o.startsWith("-XX:MaxRAM"))) {
            command.add("-Xmx" + defaultHeapLimitMb(agentsInJvm) + "m");
        }
        if (jvmOptions.stream().noneMatch(o -> o.startsWith("-Xms") || o.startsWith("-XX:InitialRAM"))) {
            command.add("-Xms" + INITIAL_HEAP_MB + "m");
        }
        if (jvmOptions.stream().noneMatch(o -> o.startsWith("-Xss"))) {
            command.add("-Xss512k");
        }
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.add("-XX:-UsePerfData");
        command.addAll(daemonOptions);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        return List.copyOf(command);
    }

    /**
     * The default heap limit of an agent JVM: half the host's memory shared among its cores, between {@value
     * #SMALL_HEAP_LIMIT_MB} and {@value #ROOMY_HEAP_LIMIT_MB} MB, and at least {@value #HEAP_MB_PER_AGENT} MB per
     * agent in the JVM. Per core, because the only agents whose heap grows toward the limit are unthrottled
     * producers, and each keeps about a core busy: a host runs about as many of them as it has cores.
     */
    static int defaultHeapLimitMb(int agentsInJvm) {
        return heapLimitMb(agentsInJvm, HOST_MEMORY_BYTES, Runtime.getRuntime().availableProcessors());
    }

    /**
     * {@link #defaultHeapLimitMb} for a given host.
     *
     * @param hostMemoryBytes the host's (or container's) memory; 0 when unknown, which gives the small limit
     */
    static int heapLimitMb(int agentsInJvm, long hostMemoryBytes, int cores) {
        long share = hostMemoryBytes / (2L * Math.max(cores, 1) * 1024 * 1024);
        int single = (int) Math.max(SMALL_HEAP_LIMIT_MB, Math.min(ROOMY_HEAP_LIMIT_MB, share));
        return Math.max(single, HEAP_MB_PER_AGENT * Math.max(agentsInJvm, 1));
    }

    /** This host's (or container's) memory in bytes; 0 when the JVM cannot say. */
    public static long hostMemoryBytes() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
                ? Math.max(os.getTotalMemorySize(), 0)
                : 0;
    }

    /**
     * Sets the environment of an agent JVM's process: the daemon's own (what {@code builder} inherits), plus
     * {@value #MALLOC_ARENA_MAX}={@value #AGENT_MALLOC_ARENAS} when the daemon's environment has none. glibc gives
     * every thread that mallocs under contention an arena of its own, up to eight per core, and keeps what each
     * arena once held: the JIT compiler's and Kafka's client threads made an agent's peak RSS at 100,000 msg/s 20-30 MB
     * larger than with two arenas (bench/footprint.sh). The JVM's heap is not malloc'd, so its speed does not depend
     * on this; a daemon started with its own {@value #MALLOC_ARENA_MAX} passes that one on unchanged.
     */
    public static ProcessBuilder environment(ProcessBuilder builder) {
        Map<String, String> environment = builder.environment();
        environment.putIfAbsent(MALLOC_ARENA_MAX, AGENT_MALLOC_ARENAS);
        return builder;
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "")
                .toLowerCase(java.util.Locale.ROOT)
                .startsWith("windows");
    }
}
