package io.kbench.controller.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kbench.protocol.message.Workload;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalModeTest {

    /** 1 producer and 4 consumers on one topic. */
    private static Workload workload(Integer agentsPerJvm) {
        return Workload.builder()
                .name("w")
                .topics(1)
                .partitionsPerTopic(16)
                .messageSize(1024)
                .subscriptionsPerTopic(1)
                .producersPerTopic(1)
                .consumerPerSubscription(4)
                .producerRate(10_000.0)
                .agentsPerJvm(agentsPerJvm)
                .build();
    }

    @Test
    void theFirstRunsDefaultAgentJvmsAreBootedWithTheFleet() {
        assertEquals(5, LocalMode.firstRunJvms(workload(null), null, List.of(), 16, 16), "one JVM per agent");
        assertEquals(5, LocalMode.firstRunJvms(workload(1), 1, List.of(), 16, 16));
        assertEquals(3, LocalMode.firstRunJvms(workload(null), null, List.of(), 16, 3), "within the capacity");
        assertEquals(5, LocalMode.firstRunJvms(workload(null), 0, List.of(), 16, 16), "auto: 5 JVMs fit 16");
    }

    @Test
    void packedAgentsOrJvmOptionsAreNotDefaultJvmsSoNoneIsBooted() {
        assertEquals(0, LocalMode.firstRunJvms(workload(5), null, List.of(), 16, 16), "the workload packs them");
        assertEquals(0, LocalMode.firstRunJvms(workload(null), 2, List.of(), 16, 16), "--agents-per-jvm 2");
        assertEquals(0, LocalMode.firstRunJvms(workload(null), 0, List.of(), 2, 16), "auto packs 5 into 2 JVMs");
        assertEquals(0, LocalMode.firstRunJvms(workload(null), null, List.of("-Xmx64m"), 16, 16), "JVM options");
    }
}
