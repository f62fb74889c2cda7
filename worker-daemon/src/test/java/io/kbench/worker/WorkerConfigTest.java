package io.kbench.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.worker.control.GlobPattern;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerConfigTest {

    @Test
    void defaultsAllowOnlyTheControlClusterAsTarget() {
        WorkerConfig config = WorkerConfig.builder("b1:9092, b2:9092").build();
        assertEquals(
                List.of("b1:9092", "b2:9092"),
                config.allowedTargets().stream().map(GlobPattern::pattern).toList());
        assertTrue(config.allowedTargets().get(0).matches("B1:9092"));
        assertFalse(config.allowedTargets().stream().anyMatch(p -> p.matches("b3:9092")));
        assertEquals(Runtime.getRuntime().availableProcessors() * 8, config.maxAgents());
        assertEquals("kbench", config.topicPrefix());
        assertEquals(Duration.ofSeconds(2), config.heartbeatInterval());
        assertTrue(config.allowedJvmOptions().stream().anyMatch(p -> p.matches("-Xmx256m")));
        assertFalse(config.allowedJvmOptions().stream().anyMatch(p -> p.matches("-javaagent:x.jar")));
        assertFalse(config.workerId().isBlank());
        assertEquals("kbench-worker-" + config.workerId(), config.consumerGroup());
    }

    @Test
    void rejectsBadValuesNamingFieldAndValue() {
        assertEquals(
                "maxAgents must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> WorkerConfig.builder("b:9092")
                                .maxAgents(0)
                                .build())
                        .getMessage());
        assertEquals(
                "workerId must be 1-200 characters of a-z, A-Z, 0-9, '.', '_', '-', got 'a/b'",
                assertThrows(IllegalArgumentException.class, () -> WorkerConfig.builder("b:9092")
                                .workerId("a/b")
                                .build())
                        .getMessage());
        assertEquals(
                "metricsPort must be 0 (none) or 1-65535, got 70000",
                assertThrows(IllegalArgumentException.class, () -> WorkerConfig.builder("b:9092")
                                .metricsPort(70000)
                                .build())
                        .getMessage());
        assertEquals(
                "bootstrapServers must not be blank, got ' '",
                assertThrows(IllegalArgumentException.class, () -> WorkerConfig.builder(" ")
                                .build())
                        .getMessage());
    }

    @Test
    void toStringHidesClientSettingValues() {
        WorkerConfig config = WorkerConfig.builder("b:9092")
                .clientConfig(Map.of("sasl.jaas.config", "password=\"hunter2\""))
                .build();
        assertFalse(config.toString().contains("hunter2"), config.toString());
        assertTrue(config.toString().contains("sasl.jaas.config"));
    }
}
