package io.kbench.controller.command;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kbench run}: OMB's benchmark command against a running fleet. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run OMB workloads on the live workers of a fleet (workers and an aggregator must be running).",
            "Example: kbench run -b kafka:9092 -d configs/kafka-digital-twin.yaml"
                    + " workloads/1-producer-4-consumers-1kb.yaml"
        })
public final class RunCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Mixin
    RunOptions options;

    @Option(
            names = "--workers",
            paramLabel = "N|ID,...",
            description = "Use N live workers, or exactly these worker ids. Default: all live workers.")
    String workers;

    @Override
    public Integer call() throws Exception {
        int count = 0;
        List<String> ids = new ArrayList<>();
        if (workers != null && !workers.isBlank()) {
            if (workers.matches("\\d+")) {
                count = Integer.parseInt(workers);
                if (count < 1) {
                    throw new io.kbench.controller.config.InputError("--workers must be >= 1, got " + workers);
                }
            } else {
                ids.addAll(List.of(workers.split(",")));
            }
        }
        BenchmarkRunner.Benchmarks benchmarks = BenchmarkRunner.Benchmarks.load(options);
        try (Interruption interruption = Interruption.install();
                var control = cluster.controlPlane()) {
            return BenchmarkRunner.runAll(
                    control, benchmarks, options, ids, count, null, 0, interruption.flag(), System.out);
        }
    }
}
