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
 * Writes a run's result files: {@code <workload-file>-<driver>-<yyyy-MM-dd-HH-mm-ss>.json} in OMB's format with a
 * {@code kbench} section, and one row appended to {@code kbench-results.csv}.
 *
 * <p>Named after the workload <em>file</em> as OMB does: several OMB workloads share one {@code name:}. A file is
 * never overwritten: two runs in the same second get {@code -2}, {@code -3}, ….
 */
public final class ResultFiles {

    public static final String CSV_NAME = "kbench-results.csv";
    static final String CSV_HEADER = "date,runId,workload,driver,status,publishRate,consumeRate,publishMBps,"
            + "publishLatencyP50Ms,publishLatencyP99Ms,intendedLatencyP99Ms,endToEndLatencyP99Ms,"
            + "messagesSent,messagesReceived,sendErrors,cpuPercent,agents";

    private static final org.slf4j.Logger LOGGER = org.slf4j.LoggerFactory.getLogger(ResultFiles.class);
    /**
     * The wire mapper, indented, keeping {@code null} map values: a result says {@code "discoveredRate": null}
     * (no rate found) rather than leaving the field out.
     */
    private static final ObjectMapper PRETTY = Json.WIRE
            .copy()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .setDefaultPropertyInclusion(com.fasterxml.jackson.annotation.JsonInclude.Value.construct(
                    com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL,
                    com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS));

    private ResultFiles() {}

    /** Files named after the workload's name (for a run known only from Kafka, as {@code kbench show} has it). */
    public static List<Path> write(
            Path dir, RunSpec spec, RunSummary summary, java.util.Map<String, Object> extras, Clock clock) {
        return write(dir, spec.workloadName(), spec, summary, extras, clock);
    }

    /**
     * @param workloadFile the workload file's base name without its extension ({@link #baseName}); the JSON file is
     *     named after it
     */
    public static List<Path> write(
            Path dir,
            String workloadFile,
            RunSpec spec,
            RunSummary summary,
            java.util.Map<String, Object> extras,
            Clock clock) {
        List<Path> files = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            String time = LocalDateTime.now(clock).format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss"));
            String stem = fileSafe(workloadFile) + "-" + fileSafe(spec.driverName()) + "-" + time;
            byte[] json = PRETTY.writeValueAsBytes(OmbResult.build(spec, summary, extras));
            files.add(writeNew(dir, stem, json));
            files.add(appendCsv(dir.resolve(CSV_NAME), summary, time));
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results to " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The result file already written for a run in {@code dir} (its {@code kbench.runId}), if any: {@code kbench
     * show} reuses it rather than minting a second name for the same run.
     */
    public static java.util.Optional<Path> find(Path dir, String runId) {
        if (!Files.isDirectory(dir)) {
            return java.util.Optional.empty();
        }
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json"))
                    .filter(f -> !f.getFileName().toString().startsWith("sweep-"))
                    // The first name taken: "x.json" before "x-2.json".
                    .sorted(java.util.Comparator.comparingInt(
                                    (Path f) -> f.toString().length())
                            .thenComparing(Path::toString))
                    .filter(f -> runId.equals(runIdOf(f)))
                    .findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String runIdOf(Path file) {
        try {
            return Json.WIRE
                    .readTree(file.toFile())
                    .path("kbench")
                    .path("runId")
                    .asText(null);
        } catch (IOException e) {
            LOGGER.debug("{} is not a result file: {}", file, e.getMessage());
            return null;
        }
    }

    /** Writes {@code <stem>.json}, or {@code <stem>-2.json}, {@code -3}, … : never over an existing file. */
    static Path writeNew(Path dir, String stem, byte[] content) throws IOException {
        for (int n = 1; ; n++) {
            Path file = dir.resolve(n == 1 ? stem + ".json" : stem + "-" + n + ".json");
            try {
                // CREATE_NEW fails if the file exists, atomically: two kbench processes cannot both take a name.
                Files.write(file, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return file;
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                LOGGER.debug("result file {} exists, trying the next suffix", file);
            }
        }
    }

    /** A workload file's name without directory and {@code .yaml}/{@code .yml}, as OMB names result files. */
    public static String baseName(Path workloadFile) {
        String name = workloadFile.getFileName().toString();
        return name.replaceFirst("(?i)\\.ya?ml$", "");
    }

    private static Path appendCsv(Path csv, RunSummary s, String time) throws IOException {
        if (!Files.exists(csv)) {
            Files.writeString(csv, CSV_HEADER + "\n", StandardCharsets.UTF_8);
        } else if (hasRow(csv, s.runId())) {
            return csv; // one row per run: writing a run's files again (kbench show) adds none
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

    private static boolean hasRow(Path csv, String runId) throws IOException {
        try (java.util.stream.Stream<String> lines = Files.lines(csv, StandardCharsets.UTF_8)) {
            return lines.map(line -> line.split(",", 3))
                    .anyMatch(fields -> fields.length > 1 && fields[1].equals(runId));
        }
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
