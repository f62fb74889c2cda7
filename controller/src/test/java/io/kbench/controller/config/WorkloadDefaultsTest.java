package io.kbench.controller.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.protocol.message.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Omitted workload fields take OMB's defaults (its Workload.java): every count, size and duration 0. */
class WorkloadDefaultsTest {

    @TempDir
    Path dir;

    @Test
    void omittedFieldsAreOmbsZeros() throws Exception {
        Path file = dir.resolve("w.yaml");
        Files.writeString(file, "name: only a name\n");

        Workload w = BenchmarkFiles.workload(file).workload();

        assertEquals(0, w.topics());
        assertEquals(0, w.partitionsPerTopic());
        assertEquals(0, w.messageSize());
        assertEquals(0, w.subscriptionsPerTopic());
        assertEquals(0, w.producersPerTopic());
        assertEquals(0, w.consumerPerSubscription());
        assertEquals(0, w.testDurationMinutes());
        assertEquals(0.0, w.producerRate());
        assertTrue(w.discoversMaxRate(), "producerRate 0 is OMB's max-rate discovery");
        assertEquals(1, w.warmupDurationMinutes(), "OMB's warm-up default stays 1 minute");
    }

    @Test
    void messageSizeComesFromThePayloadFileWhenOmitted() throws Exception {
        Files.write(dir.resolve("p.data"), new byte[300]);
        Path file = dir.resolve("w.yaml");
        Files.writeString(file, """
                topics: 1
                partitionsPerTopic: 1
                payloadFile: p.data
                producersPerTopic: 1
                testDurationMinutes: 1
                """);

        BenchmarkFiles.LoadedWorkload loaded = BenchmarkFiles.workload(file);
        BenchmarkFiles.requireRunnable(loaded);

        assertEquals(300, loaded.workload().messageSize());
    }

    @Test
    void everyShippedWorkloadStatesWhatItNeeds() throws Exception {
        try (var files = Files.list(Path.of("../workloads"))) {
            var yaml = files.filter(f -> f.toString().endsWith(".yaml")).toList();
            assertTrue(yaml.size() >= 8, "the shipped workloads: " + yaml);
            for (Path file : yaml) {
                BenchmarkFiles.LoadedWorkload loaded = BenchmarkFiles.workload(file);
                BenchmarkFiles.requireRunnable(loaded);
                assertTrue(loaded.workload().producerRate() > 0, file + " states its rate");
            }
        }
    }
}
