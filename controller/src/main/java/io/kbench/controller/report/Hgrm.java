package io.kbench.controller.report;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * HdrHistogram percentile files ({@code .hgrm}, {@code outputPercentileDistribution}'s format, in ms), one per
 * latency kind of a run whose result keeps its merged histograms: HdrHistogram's plotter reads them.
 */
final class Hgrm {

    /** Histograms hold µs; the files say ms, as kbench's other latencies. */
    private static final double MICROS_PER_MS = 1000.0;

    private Hgrm() {}

    static List<Path> write(ReportInput run, Path dir) {
        List<Path> files = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            for (LatencyKinds kind : LatencyKinds.values()) {
                Histogram histogram = RunView.histogram(run, kind);
                if (histogram == null) {
                    continue;
                }
                Path file = dir.resolve(run.stem() + "-" + kind.key() + ".hgrm");
                try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8)) {
                    histogram.outputPercentileDistribution(out, MICROS_PER_MS);
                }
                files.add(file);
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write percentile files to " + dir + ": " + e.getMessage(), e);
        }
    }
}
