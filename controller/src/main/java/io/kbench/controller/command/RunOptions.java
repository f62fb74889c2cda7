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

    @Parameters(arity = "1..*", paramLabel = "WORKLOAD.yaml", description = "OMB workload files.")
    List<Path> workloads = new ArrayList<>();
}
