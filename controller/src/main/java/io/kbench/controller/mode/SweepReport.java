package io.kbench.controller.mode;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kbench.protocol.Json;
import io.kbench.protocol.message.SweepSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The sweep's table (with its grades) and its JSON and CSV files. */
public final class SweepReport {

    private static final ObjectMapper PRETTY = Json.WIRE.copy().enable(SerializationFeature.INDENT_OUTPUT);

    private SweepReport() {}

    /** The grading of throughput scaling efficiency. */
    public static String efficiencyGrade(double efficiency) {
        return efficiency > 0.9 ? "excellent" : efficiency > 0.7 ? "good" : "poor";
    }

    /** The grading of p99 latency growth. */
    public static String latencyGrade(double growth) {
        return growth < 0.2 ? "excellent" : growth < 0.5 ? "good" : "poor";
    }

    public static void print(PrintStream out, SweepSummary sweep, String dimension) {
        out.printf(Locale.ROOT, "%n== sweep %s (%s) ==%n", sweep.sweepId(), dimension);
        out.printf(
                Locale.ROOT,
                "%8s %12s %9s %11s %11s %7s %18s %18s %12s%n",
                "n",
                "msg/s",
                "MB/s",
                "p99 pub ms",
                "p99 e2e ms",
                "CPU %",
                "efficiency",
                "p99 growth",
                "msg/s/1%CPU");
        for (SweepSummary.Point p : sweep.points()) {
            out.printf(
                    Locale.ROOT,
                    "%8.0f %,12.0f %9.2f %11.2f %11.2f %7.0f %7.1f%% %-10s %7.1f%% %-10s %12.0f%n",
                    p.scale(),
                    p.throughput(),
                    p.publishMBps(),
                    p.p99PublishLatencyUs() / 1000,
                    p.p99EndToEndLatencyUs() / 1000,
                    p.cpuPercent(),
                    p.throughputEfficiency() * 100,
                    efficiencyGrade(p.throughputEfficiency()),
                    p.latencyGrowth() * 100,
                    latencyGrade(p.latencyGrowth()),
                    p.msgPerCpuPercent());
        }
    }

    public static List<Path> write(Path dir, SweepSummary sweep, String dimension) {
        try {
            Files.createDirectories(dir);
            Path json = dir.resolve("sweep-" + sweep.sweepId() + ".json");
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("sweepId", sweep.sweepId());
            doc.put("dimension", dimension);
            List<Map<String, Object>> points = new ArrayList<>();
            for (SweepSummary.Point p : sweep.points()) {
                Map<String, Object> point = PRETTY.convertValue(p, Map.class);
                point.put("efficiencyGrade", efficiencyGrade(p.throughputEfficiency()));
                point.put("latencyGrowthGrade", latencyGrade(p.latencyGrowth()));
                points.add(point);
            }
            doc.put("points", points);
            PRETTY.writeValue(json.toFile(), doc);
            Path csv = dir.resolve("sweep-" + sweep.sweepId() + ".csv");
            StringBuilder rows = new StringBuilder("runId,scale,throughput,publishMBps,p99PublishMs,p99EndToEndMs,"
                    + "cpuPercent,throughputEfficiency,latencyGrowth,msgPerCpuPercent\n");
            for (SweepSummary.Point p : sweep.points()) {
                rows.append(String.format(
                        Locale.ROOT,
                        "%s,%.0f,%.3f,%.3f,%.3f,%.3f,%.3f,%.5f,%.5f,%.3f%n",
                        p.runId(),
                        p.scale(),
                        p.throughput(),
                        p.publishMBps(),
                        p.p99PublishLatencyUs() / 1000,
                        p.p99EndToEndLatencyUs() / 1000,
                        p.cpuPercent(),
                        p.throughputEfficiency(),
                        p.latencyGrowth(),
                        p.msgPerCpuPercent()));
            }
            Files.writeString(csv, rows);
            return List.of(json, csv);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write sweep results to " + dir + ": " + e.getMessage(), e);
        }
    }
}
