package io.kbench.controller.command;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What to run, shared by {@code kbench run} and {@code kbench local}: OMB's command shape. */
public final class RunOptions {

    @Option(
            names = {"-d", "--drivers"},
            paramLabel = "DRIVER.yaml",
            split = ",",
            description = "OMB driver files (Kafka). Each workload runs once per driver. Default: kbench's defaults.")
    List<Path> drivers = new ArrayList<>();

    @Option(
            names = {"-o", "--output"},
            paramLabel = "DIR",
            defaultValue = "results",
            description = "Directory for result files (JSON per run, kbench-results.csv). Default: ${DEFAULT-VALUE}.")
    Path outputDir;

    @Option(
            names = "--target-bootstrap",
            paramLabel = "HOST:PORT",
            description = "Cluster under test; overrides the driver's bootstrap.servers.")
    String targetBootstrap;

    @Option(names = "--keep-topics", description = "Keep the benchmark topics after the run.")
    boolean keepTopics;

    @Option(
            names = "--report",
            description = "Also write an HTML report (as `kbench report` does) beside the result files at the end.")
    boolean report;

    @Option(
            names = "--ready-timeout",
            paramLabel = "SECONDS",
            defaultValue = "90",
            description = "How long agents may take to be ready. Default: ${DEFAULT-VALUE}.")
    int readyTimeoutSeconds;

    @Option(
            names = "--duration",
            paramLabel = "SECONDS",
            description = "Override every workload's measurement duration (files stay unchanged).")
    Integer durationSeconds;

    @Option(
            names = "--warmup",
            paramLabel = "SECONDS",
            description = "Override every workload's warm-up duration (files stay unchanged).")
    Integer warmupSeconds;

    @Option(
            names = "--agents-per-jvm",
            paramLabel = "N|auto",
            description = "Agents sharing one JVM (overrides the workload's agentsPerJvm). auto: in kbench local, "
                    + "pack the agents into at most --max-agents JVMs. A worker daemon's capacity counts agents, "
                    + "not JVMs, so on a fleet packing saves memory but does not make a run fit.")
    String agentsPerJvm;

    /** {@code --agents-per-jvm}: null when not given, 0 for auto, else N. */
    Integer agentsPerJvm() {
        if (agentsPerJvm == null) {
            return null;
        }
        if (agentsPerJvm.strip().equalsIgnoreCase("auto")) {
            return 0;
        }
        try {
            int n = Integer.parseInt(agentsPerJvm.strip());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the value the user gave
        }
        throw new io.kbench.controller.config.InputError(
                "--agents-per-jvm must be a whole number >= 1 or 'auto', got '" + agentsPerJvm + "'");
    }

    @Option(
            names = "--agent-jvm-option",
            paramLabel = "OPTION",
            description = "A JVM option for every agent JVM of the run, repeatable (for example -Xmx512m or"
                    + " -XX:+UseG1GC). A worker daemon admits only the options on its allow list (its --jvm-options;"
                    + " by default heap, stack and collector settings) and refuses the run's agents otherwise.")
    List<String> agentJvmOptions = new ArrayList<>();

    /** {@code --agent-jvm-option}s, each checked to be one option: the daemons judge which they allow. */
    List<String> agentJvmOptions() {
        for (String option : agentJvmOptions) {
            if (option == null || !option.startsWith("-") || option.length() < 2 || option.matches(".*\\s.*")) {
                throw new io.kbench.controller.config.InputError(
                        "--agent-jvm-option must be one JVM option starting with '-' (no spaces), got '" + option
                                + "'");
            }
        }
        return List.copyOf(agentJvmOptions);
    }

    @Option(
            names = "--agent-c2-after-warmup",
            paramLabel = "auto|keep|stop",
            defaultValue = "auto",
            description = "Whether the agents' JVMs stop compiling with C2 (the JIT's optimizing compiler) as the"
                    + " warm-up ends, so that its compiles during the measurement do not show as the cluster's"
                    + " latency. auto: at a fixed rate of at most 10,000 msg/s per agent after a warm-up (not in"
                    + " max-rate discovery or backlog mode). Default: ${DEFAULT-VALUE}.")
    String agentC2AfterWarmup = "auto";

    /** {@code --agent-c2-after-warmup}, checked. */
    io.kbench.controller.mode.C2AfterWarmup agentC2AfterWarmup() {
        return io.kbench.controller.mode.C2AfterWarmup.parse(agentC2AfterWarmup);
    }

    @Parameters(arity = "1..*", paramLabel = "WORKLOAD.yaml", description = "OMB workload files.")
    List<Path> workloads = new ArrayList<>();
}
