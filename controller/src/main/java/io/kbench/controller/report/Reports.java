package io.kbench.controller.report;

import io.kbench.controller.config.InputError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a report from result files, its kind told from their content: one run's result → a run report; several →
 * a comparison (kbench's and OMB's results mixed freely); a sweep's {@code sweep-<id>.json} → a sweep report.
 */
public final class Reports {

    private Reports() {}

    /** The report's file, and the percentile files written beside it. */
    public record Written(Path report, List<Path> percentileFiles) {
        public Written {
            percentileFiles = List.copyOf(percentileFiles);
        }
    }

    /**
     * @param outputDir where to write; {@code null}: beside the first file
     * @param hgrm also write each run's {@code .hgrm} percentile files
     */
    public static Written write(List<Path> files, Path outputDir, boolean hgrm) {
        if (files.isEmpty()) {
            throw new InputError("no result file given: kbench report RESULT.json…");
        }
        List<ReportInput> inputs = files.stream().map(ReportInput::read).toList();
        Path dir = outputDir != null ? outputDir : parent(files.get(0));
        List<ReportInput> sweeps =
                inputs.stream().filter(i -> i.kind() == ReportInput.Kind.SWEEP).toList();
        String html;
        String name;
        if (!sweeps.isEmpty()) {
            if (inputs.size() > 1) {
                throw new InputError(sweeps.get(0).file() + ": a sweep file is reported alone (its runs are its "
                        + "points); give it without other files");
            }
            ReportInput sweep = sweeps.get(0);
            Map<String, Object> data = Map.of("sweep", SweepView.of(sweep));
            html = ReportPage.render(
                    "kbench sweep " + sweep.root().path("sweepId").asText(), "sweep", data);
            name = sweep.stem() + "-report.html";
        } else {
            List<Map<String, Object>> runs = new ArrayList<>();
            inputs.forEach(i -> runs.add(RunView.of(i)));
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("runs", runs);
            if (inputs.size() == 1) {
                html = ReportPage.render("kbench run " + inputs.get(0).stem(), "run", data);
                name = inputs.get(0).stem() + "-report.html";
            } else {
                html = ReportPage.render("kbench comparison of " + inputs.size() + " runs", "compare", data);
                name = "compare-" + inputs.get(0).stem() + "-and-" + (inputs.size() - 1) + "-more.html";
            }
        }
        try {
            Files.createDirectories(dir);
            Path report = dir.resolve(name);
            Files.writeString(report, html, StandardCharsets.UTF_8);
            List<Path> percentiles = new ArrayList<>();
            if (hgrm) {
                inputs.stream()
                        .filter(i -> i.kind() == ReportInput.Kind.KBENCH_RUN)
                        .forEach(i -> percentiles.addAll(Hgrm.write(i, dir)));
            }
            return new Written(report, percentiles);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Path parent(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent != null ? parent : Path.of(".");
    }
}
