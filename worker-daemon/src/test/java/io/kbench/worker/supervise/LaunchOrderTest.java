package io.kbench.worker.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kbench.protocol.message.AgentTask;
import io.kbench.worker.testing.Tasks;
import java.util.List;
import org.junit.jupiter.api.Test;

class LaunchOrderTest {

    private static final List<AgentTask> TASKS = List.of(
            Tasks.producer("p0", "b:9092", "t", 10),
            Tasks.producer("p1", "b:9092", "t", 10),
            Tasks.producer("p2", "b:9092", "t", 10),
            Tasks.consumer("c0", "b:9092", "t", "g"),
            Tasks.consumer("c1", "b:9092", "t", "g"));

    @Test
    void jvmsWithAConsumerAreLaunchedFirstTheRestInTheAssignmentsOrder() {
        assertEquals(
                List.of(List.of("c0"), List.of("c1"), List.of("p0"), List.of("p1"), List.of("p2")),
                ids(AgentSupervisor.launchOrder(AgentSupervisor.groups(TASKS, 1))));
        assertEquals(
                List.of(List.of("p2", "c0"), List.of("c1"), List.of("p0", "p1")),
                ids(AgentSupervisor.launchOrder(AgentSupervisor.groups(TASKS, 2))));
    }

    private static List<List<String>> ids(List<List<AgentTask>> groups) {
        return groups.stream()
                .map(group -> group.stream().map(AgentTask::agentId).toList())
                .toList();
    }
}
