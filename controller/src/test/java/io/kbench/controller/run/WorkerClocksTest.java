package io.kbench.controller.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.protocol.message.ClockOffset;
import io.kbench.protocol.message.MemberHealth;
import io.kbench.protocol.message.MemberHeartbeat;
import io.kbench.protocol.message.MemberRole;
import io.kbench.protocol.registry.RegistryView;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkerClocksTest {

    private static RegistryView.Member worker(String id, ClockOffset clock) {
        return new RegistryView.Member(
                new MemberHeartbeat(
                        id, MemberRole.WORKER, "h", 2, 1, 8, 0, "v", 1, 2000, MemberHealth.healthy(1), clock),
                1);
    }

    @Test
    void keepsThePlannedWorkersThatHaveAnEstimate() {
        RegistryView registry = RegistryView.of(List.of(
                worker("w2", new ClockOffset(-50_020, 310, 5)),
                worker("w1", new ClockOffset(10, 200, 5)),
                worker("w3", null),
                worker("other", new ClockOffset(0, 100, 5))));

        WorkerClocks clocks = WorkerClocks.of(registry, Set.of("w1", "w2", "w3"));

        assertEquals(Set.of("w1", "w2"), clocks.offsets().keySet());
        assertEquals(
                "clock offsets against the cluster (end-to-end corrected by their differences):"
                        + " w1 +0.01 ms +/- 0.20, w2 -50.02 ms +/- 0.31",
                clocks.line().orElseThrow());
        assertEquals(
                Map.of("offsetMillis", -50.02, "uncertaintyMillis", 0.31, "measuredAt", 5L),
                clocks.result().get("w2"));
    }

    @Test
    void saysNothingWhenNoWorkerHasAnEstimate() {
        WorkerClocks clocks = WorkerClocks.of(RegistryView.of(List.of(worker("w1", null))), Set.of("w1"));
        assertTrue(clocks.line().isEmpty());
        assertTrue(clocks.result().isEmpty());
    }
}
