package io.kbench.agent.launch;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.protocol.message.AgentLaunch;
import io.kbench.protocol.message.AgentTask;
import io.kbench.protocol.message.KeyDistributorType;
import io.kbench.protocol.message.PayloadSpec;
import io.kbench.protocol.message.ProducerTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchValidatorTest {

    private static final long NOW = 1_000_000L;

    @TempDir
    Path dir;

    static ProducerTask producer(String id, double rate, int size, PayloadSpec payload) {
        return new ProducerTask(
                id, "127.0.0.1:9092", Map.of(), "t", rate, 1, size, payload, KeyDistributorType.NO_KEY, 1000);
    }

    static AgentLaunch launch(AgentTask... tasks) {
        return new AgentLaunch(
                "run-1", "w1", List.of(tasks), "127.0.0.1:9092", Map.of(), "kbench", NOW + 60_000, null, 0);
    }

    private static String reasonFor(AgentLaunch launch) {
        return assertThrows(BadTaskException.class, () -> LaunchValidator.validate(launch, NOW))
                .getMessage();
    }

    @Test
    void acceptsANegativeRateAsUnthrottled() {
        Map<String, ?> payloads =
                assertDoesNotThrow(() -> LaunchValidator.validate(launch(producer("p0", -1, 100, null)), NOW));
        assertEquals(List.of("p0"), List.copyOf(payloads.keySet()));
    }

    @Test
    void rejectsAMissingPayloadFileAndASizeMismatch() throws Exception {
        Path small = Files.write(dir.resolve("small.data"), new byte[10]);
        String reason = reasonFor(launch(
                producer("p0", 100, 100, new PayloadSpec(dir.resolve("missing").toString(), false, 0, 0)),
                producer("p1", 100, 100, new PayloadSpec(small.toString(), false, 0, 0))));

        assertTrue(reason.contains("tasks[0] (p0): payload.payloadFile"), reason);
        assertTrue(reason.contains("does not exist"), reason);
        assertTrue(reason.contains("tasks[1] (p1): payload.payloadFile"), reason);
        assertTrue(reason.contains("10 bytes but messageSize is 100"), reason);
    }

    @Test
    void rejectsDuplicateAgentIdsAndAPastDeadline() {
        AgentTask task = producer("p0", 1, 10, null);
        AgentLaunch stale =
                new AgentLaunch("run-1", "w1", List.of(task, task), "b:1", Map.of(), "kbench", NOW - 1, null, 0);

        String reason = reasonFor(stale);

        assertTrue(reason.contains("tasks[1] (p0): agentId must be unique"), reason);
        assertTrue(reason.contains("deadlineAt"), reason);
    }

    @Test
    void rejectsALaunchWithoutTasksOrControlCluster() {
        AgentLaunch empty = new AgentLaunch("run-1", "w1", List.of(), " ", Map.of(), "bad prefix!", NOW + 1, null, 0);

        String reason = reasonFor(empty);

        assertTrue(reason.contains("tasks must not be empty"), reason);
        assertTrue(reason.contains("controlBootstrap must be set"), reason);
        assertTrue(reason.contains("topicPrefix"), reason);
    }
}
