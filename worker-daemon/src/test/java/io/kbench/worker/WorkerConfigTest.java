package io.kbench.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.protocol.security.ControlSigner;
import io.kbench.worker.control.GlobPattern;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
                "metricsPort must be -1 (none), 0 (a free port) or 1-65535, got 70000",
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

    @Test
    void payloadFilesComeFromThePayloadDirOfTheWorkingDirectoryByDefault() {
        WorkerConfig config = WorkerConfig.builder("b:9092").build();
        assertEquals(Optional.of(Path.of("payload").toAbsolutePath()), config.payloadDir());
        assertEquals(
                Optional.empty(),
                WorkerConfig.builder("b:9092").payloadDir(null).build().payloadDir());
    }

    @Test
    void allowClientConfigExtendsTheDefaults() {
        WorkerConfig config = WorkerConfig.builder("b:9092")
                .allowClientConfig(List.of("transaction.timeout.ms"))
                .build();
        List<String> patterns =
                config.allowedClientConfig().stream().map(GlobPattern::pattern).toList();
        assertTrue(patterns.contains("transaction.timeout.ms"));
        assertTrue(patterns.contains("linger.ms"));
    }

    @Test
    void requireSignedWithoutSecretIsRefused() {
        assertEquals(
                "requireSigned is set but there is no secret (--secret-file): this worker would act on anything"
                        + " written to kbench.control",
                assertThrows(IllegalArgumentException.class, () -> WorkerConfig.builder("b:9092")
                                .requireSigned(true)
                                .build())
                        .getMessage());
        WorkerConfig signed = WorkerConfig.builder("b:9092")
                .requireSigned(true)
                .secret(new ControlSigner("0123456789abcdef-secret".getBytes(StandardCharsets.UTF_8)))
                .build();
        assertTrue(signed.unsignedWarning().isEmpty());
    }

    @Test
    void unsignedWorkerSaysWhomItTrustsInOneLine() {
        String warning = WorkerConfig.builder("b:9092")
                .workerId("w9")
                .build()
                .unsignedWarning()
                .orElseThrow();
        assertFalse(warning.contains("\n"), warning);
        assertTrue(warning.contains("trusts everyone who can write kbench.control"), warning);
    }

    @Test
    void targetClientConfigMayNotNameTheTarget() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WorkerConfig.builder("b:9092")
                .targetClientConfig(Map.of("bootstrap.servers", "prod:9092"))
                .build());
        assertTrue(e.getMessage().startsWith("targetClientConfig must not set bootstrap.servers"), e.getMessage());
    }

    @Test
    void toStringHidesTargetClientSettingValues() {
        WorkerConfig config = WorkerConfig.builder("b:9092")
                .targetClientConfig(Map.of("ssl.keystore.password", "hunter2"))
                .build();
        assertFalse(config.toString().contains("hunter2"), config.toString());
        assertTrue(config.toString().contains("ssl.keystore.password"));
    }
}
