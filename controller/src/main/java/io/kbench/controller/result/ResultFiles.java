package io.kbench.controller.result;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kbench.protocol.Json;
import io.kbench.protocol.message.LatencyKind;
import io.kbench.protocol.message.LatencyStats;
import io.kbench.protocol.message.RunSpec;
import io.kbench.protocol.message.RunSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a run's result files: {@code <workload>-<driver>-<yyyy-MM-dd-HH-mm-ss>.json} in OMB's format with a
 * {@code kbench} section, and one row appended to {@code kbench-results.csv}.
 */
public final class ResultFiles {

    public static final String CSV_NAME = "kbench-results.csv";
    static final String CSV_HEADER = "date,runId,workload,driver,status,publishRate,consumeRate,publishMBps,"
            + "publishLatencyP50Ms,publishLatencyP99Ms,intendedLatencyP99Ms,endToEndLatencyP99Ms,"
            + "messagesSent,messagesReceived,sendErrors,cpuPercent,agents";

    private static final ObjectMapper PRETTY = Json.WIRE.copy().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultFiles() {}

    public static List<Path> write(
            Path dir, RunSpec spec, RunSummary summary, java.util.Map<String, Object> extras, Clock clock) {
        List<Path> files = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            String time = LocalDateTime.now(clock).format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss"));
            Path json = dir.resolve(
                    fileSafe(spec.workloadName()) + "-" + fileSafe(spec.driverName()) + "-" + time + ".json");
            PRETTY.writeValue(json.toFile(), OmbResult.build(spec, summary, extras));
            files.add(json);
            files.add(appendCsv(dir.resolve(CSV_NAME), summary, time));
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results to " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Path appendCsv(Path csv, RunSummary s, String time) throws IOException {
        if (!Files.exists(csv)) {
            Files.writeString(csv, CSV_HEADER + "\n", StandardCharsets.UTF_8);
        }
        LatencyStats publish = s.latencies().getOrDefault(LatencyKind.PUBLISH_LATENCY, LatencyStats.EMPTY);
        LatencyStats intended = s.latencies().getOrDefault(LatencyKind.INTENDED_LATENCY, LatencyStats.EMPTY);
        LatencyStats e2e = s.latencies().getOrDefault(LatencyKind.END_TO_END_LATENCY, LatencyStats.EMPTY);
        String row = String.join(
                ",",
                time,
                s.runId(),
                csvText(s.workloadName()),
                csvText(s.driverName()),
                s.status().name(),
                num(s.rates().publishRate()),
                num(s.rates().consumeRate()),
                num(s.rates().publishMBps()),
                num(publish.p50() / 1000),
                num(publish.p99() / 1000),
                num(intended.p99() / 1000),
                num(e2e.p99() / 1000),
                Long.toString(s.messagesSent()),
                Long.toString(s.messagesReceived()),
                Long.toString(s.sendErrors()),
                num(s.cpuPercent()),
                Integer.toString(s.agents()));
        Files.writeString(csv, row + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        return csv;
    }

    private static String num(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    private static String csvText(String text) {
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }

    static String fileSafe(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("(^-+|-+$)", "");
        return safe.isEmpty() ? "run" : safe;
    }
}
