package io.kbench.controller.command;

import io.kbench.controller.report.Reports;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kbench report}: an HTML report of one run, several runs side by side, or a sweep. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Write an HTML report of runs or a sweep and print its path.",
            "One self-contained file that opens offline: one result file gives a run's report, several a comparison"
                    + " (kbench and OMB results alike), a sweep-<id>.json a sweep's.",
            "",
            "Example: kbench report results/*.json (after `kbench local workloads/quick-start.yaml`)"
        })
public final class ReportCommand implements Callable<Integer> {

    @Option(
            names = {"-o", "--output"},
            paramLabel = "DIR",
            description = "Where to write (default: the first file's directory).")
    Path output;

    @Option(
            names = "--hgrm",
            description = "Also write each kbench run's merged latency histograms as HdrHistogram percentile files"
                    + " (<result>-<kind>.hgrm, ms).")
    boolean hgrm;

    @Parameters(paramLabel = "RESULT.json", arity = "1..*", description = "Result files, or one sweep-<id>.json.")
    List<Path> files;

    @Override
    public Integer call() {
        Reports.Written written = Reports.write(files, output, hgrm);
        System.out.println(written.report());
        written.percentileFiles().forEach(System.out::println);
        if (hgrm && written.percentileFiles().isEmpty()) {
            System.err.println("kbench: no merged histograms in these files (OMB's results and sweeps keep none);"
                    + " no .hgrm written");
        }
        return 0;
    }
}
