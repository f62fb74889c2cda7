package io.kbench.controller.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.protocol.message.Rates;
import io.kbench.protocol.message.RunSpec;
import io.kbench.protocol.message.RunStatus;
import io.kbench.protocol.message.RunSummary;
import io.kbench.protocol.message.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultFilesTest {

    @TempDir
    Path dir;

    private final Clock clock = Clock.fixed(Instant.parse("2024-05-06T07:08:09Z"), ZoneOffset.UTC);

    @Test
    void namesTheFileAfterTheWorkloadFileNotItsName() throws Exception {
        List<Path> files = ResultFiles.write(
                dir,
                ResultFiles.baseName(Path.of("workloads/100-topics-1-partitions-1kb.yaml")),
                spec("1 topic / 1 partition / 1kb"),
                summary(),
                Map.of(),
                clock);

        assertEquals(dir.resolve("100-topics-1-partitions-1kb-Kafka-2024-05-06-07-08-09.json"), files.get(0));
        assertTrue(Files.readString(files.get(0)).contains("\"workload\" : \"1 topic / 1 partition / 1kb\""));
    }

    @Test
    void neverOverwritesAnExistingResult() throws Exception {
        Path first = ResultFiles.write(dir, "same", spec("a"), summary(), Map.of(), clock)
                .get(0);
        String firstContent = Files.readString(first);
        Path second = ResultFiles.write(dir, "same", spec("b"), summary(), Map.of(), clock)
                .get(0);
        Path third = ResultFiles.write(dir, "same", spec("c"), summary(), Map.of(), clock)
                .get(0);

        assertEquals("same-Kafka-2024-05-06-07-08-09.json", first.getFileName().toString());
        assertEquals(
                "same-Kafka-2024-05-06-07-08-09-2.json", second.getFileName().toString());
        assertEquals(
                "same-Kafka-2024-05-06-07-08-09-3.json", third.getFileName().toString());
        assertEquals(firstContent, Files.readString(first), "the first file is untouched");
        try (Stream<Path> json = Files.list(dir).filter(f -> f.toString().endsWith(".json"))) {
            assertEquals(3, json.count());
        }
    }

    @Test
    void oneCsvRowPerRunAndTheRunsFileIsFoundAgain() throws Exception {
        assertTrue(ResultFiles.find(dir, "run-1").isEmpty());
        Path first = ResultFiles.write(dir, "w", spec("w"), summary(), Map.of(), clock)
                .get(0);
        ResultFiles.write(dir, "w", spec("w"), summary(), Map.of(), clock);

        List<String> csv = Files.readAllLines(dir.resolve(ResultFiles.CSV_NAME));
        assertEquals(2, csv.size(), "the header and one row for run-1: " + csv);
        assertEquals(java.util.Optional.of(first), ResultFiles.find(dir, "run-1"));
        assertTrue(ResultFiles.find(dir, "another-run").isEmpty());
    }

    @Test
    void aRateNotFoundIsWrittenAsNull() throws Exception {
        java.util.Map<String, Object> extras = new java.util.LinkedHashMap<>();
        extras.put("discoveredRate", null);
        Path file =
                ResultFiles.write(dir, "w", spec("w"), summary(), extras, clock).get(0);
        assertTrue(Files.readString(file).contains("\"discoveredRate\" : null"), Files.readString(file));
    }

    @Test
    void baseNameDropsDirectoryAndYamlExtension() {
        assertEquals("max-rate", ResultFiles.baseName(Path.of("/a/b/max-rate.yaml")));
        assertEquals("x.y", ResultFiles.baseName(Path.of("x.y.YML")));
        assertEquals("plain", ResultFiles.baseName(Path.of("plain")));
    }

    private static RunSpec spec(String name) {
        Workload workload = Workload.builder()
                .name(name)
                .topics(1)
                .partitionsPerTopic(1)
                .messageSize(1024)
                .subscriptionsPerTopic(1)
                .producersPerTopic(1)
                .consumerPerSubscription(1)
                .producerRate(1000.0)
                .testDurationSeconds(10)
                .warmupDurationSeconds(0)
                .build();
        return new RunSpec(
                name,
                "Kafka",
                workload,
                Map.of(),
                List.of("p0"),
                Map.of(),
                List.of("t"),
                1,
                0,
                10_000,
                1000,
                10,
                null,
                null,
                0);
    }

    private static RunSummary summary() {
        return new RunSummary(
                "run-1",
                "w",
                "Kafka",
                null,
                null,
                RunStatus.COMPLETE,
                List.of(),
                0,
                10_000,
                new Rates(1000, 0, 1000, 1.0, 1.0),
                10_000,
                10_240_000,
                0,
                Map.of(),
                10_000,
                10_240_000,
                0,
                0,
                Map.of(),
                Map.of(),
                List.of(),
                Map.of(),
                Map.of(),
                1.0,
                1,
                1,
                null,
                List.of());
    }
}
