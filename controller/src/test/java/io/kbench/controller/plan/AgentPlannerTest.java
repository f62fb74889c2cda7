package io.kbench.controller.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.controller.plan.AgentPlanner.WorkerSlot;
import io.kbench.protocol.message.AgentTask;
import io.kbench.protocol.message.ConsumerTask;
import io.kbench.protocol.message.ProducerTask;
import io.kbench.protocol.message.Workload;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class AgentPlannerTest {

    private static Workload workload(int producers, int consumers, double totalRate) {
        return Workload.builder()
                .name("w")
                .topics(1)
                .partitionsPerTopic(16)
                .messageSize(1024)
                .subscriptionsPerTopic(1)
                .producersPerTopic(producers)
                .consumerPerSubscription(consumers)
                .producerRate(totalRate)
                .testDurationSeconds(10)
                .warmupDurationSeconds(0)
                .build();
    }

    private static Stream<ProducerTask> producers(List<AgentTask> tasks) {
        return tasks.stream().filter(ProducerTask.class::isInstance).map(ProducerTask.class::cast);
    }

    /** The plan of {@code workload}'s agents for run "r" on topic "t" over {@code slots}. */
    private static AgentPlanner.Plan plan(Workload workload, WorkerSlot... slots) {
        return AgentPlanner.plan("r", workload, List.of("t"), "b:9092", Map.of(), Map.of(), List.of(slots), 1000);
    }

    @Test
    void dividesTheTotalRateAmongProducersAsOmbDoes() {
        AgentPlanner.Plan plan = plan(workload(5, 4, 50_000), new WorkerSlot("w1", 100));

        List<AgentTask> tasks = plan.tasksByWorker().get("w1");
        assertEquals(9, tasks.size());
        assertEquals(5, plan.producers());
        producers(tasks).forEach(t -> {
            assertEquals(10_000, t.ratePerSecond(), 1e-9);
            assertEquals(5, t.producerCount());
            assertEquals("t", t.topic());
        });
        assertEquals(
                1,
                tasks.stream()
                        .filter(ConsumerTask.class::isInstance)
                        .map(t -> ((ConsumerTask) t).subscription())
                        .distinct()
                        .count(),
                "one subscription, one group");
        assertEquals(
                List.of(4, 4, 4, 4),
                tasks.stream()
                        .filter(ConsumerTask.class::isInstance)
                        .map(t -> ((ConsumerTask) t).groupMembers())
                        .toList(),
                "each consumer knows its group's size, so that it is ready once the group has filled in");
    }

    @Test
    void everyAssignmentAsksForTheRunsAgentJvmOptions() {
        AgentPlanner.Plan plan = plan(workload(3, 2, 30_000), new WorkerSlot("w1", 100), new WorkerSlot("w2", 100));

        var assignments = plan.assignments("r", 1, List.of("-Xmx512m", "-XX:+UseG1GC"), 9_000);

        assertEquals(2, assignments.size());
        for (var assignment : assignments) {
            assertEquals(List.of("-Xmx512m", "-XX:+UseG1GC"), assignment.jvmOptions(), assignment.workerId());
            assertEquals(9_000, assignment.deadlineAt());
        }
    }

    @Test
    void spreadsBothRolesEvenlyOverWorkers() {
        AgentPlanner.Plan plan = plan(workload(4, 4, 1000), new WorkerSlot("a", 10), new WorkerSlot("b", 10));

        assertEquals(Map.of("a", 4, "b", 4), plan.agentsPerWorker());
        for (List<AgentTask> tasks : plan.tasksByWorker().values()) {
            assertEquals(2, producers(tasks).count());
        }
    }

    @Test
    void fillsSmallWorkersFirstToCapacityThenTheRest() {
        AgentPlanner.Plan plan = plan(workload(3, 3, 1000), new WorkerSlot("small", 1), new WorkerSlot("big", 10));

        assertEquals(Map.of("small", 1, "big", 5), plan.agentsPerWorker());
    }

    @Test
    void refusesAPlanLargerThanTheFleet() {
        AgentPlanner.FleetTooSmall error = assertThrows(
                AgentPlanner.FleetTooSmall.class, () -> plan(workload(3, 3, 1000), new WorkerSlot("w", 4)));
        assertTrue(error.getMessage().contains("needs 6 agents"), error.getMessage());
    }

    @Test
    void zeroOrNegativeRateMeansUnthrottledProducers() {
        AgentPlanner.Plan plan = plan(workload(2, 0, 0), new WorkerSlot("w", 4));
        List<AgentTask> tasks = plan.tasksByWorker().get("w");
        assertEquals(2, producers(tasks).count());
        producers(tasks).forEach(t -> assertEquals(0, t.ratePerSecond()));
    }

    @Test
    void autoPackingFitsOmbsHundredTopicWorkloadIntoTheLocalWorker() {
        AgentPlanner.Packing packing = AgentPlanner.pack(400, 64, 1);

        assertEquals(7, packing.perJvm(), "6 per JVM would need 67 JVMs");
        assertEquals(58, packing.jvms());
        assertTrue(packing.jvms() <= 64);
        assertEquals("packing 400 agents into 58 JVMs (7 per JVM) to fit 1 worker with room for 64", packing.line());
    }

    @Test
    void autoPackingKeepsOneJvmPerAgentWhenTheyFit() {
        AgentPlanner.Packing packing = AgentPlanner.pack(64, 64, 1);
        assertEquals(1, packing.perJvm());
        assertEquals(64, packing.jvms());
        assertEquals(2, AgentPlanner.pack(65, 64, 1).perJvm());
    }

    @Test
    void aFleetTooSmallSaysCapacityCountsAgentsAndSuggestsAutoPacking() {
        AgentPlanner.FleetTooSmall error = assertThrows(
                AgentPlanner.FleetTooSmall.class,
                () -> AgentPlanner.plan(
                        "r",
                        workload(1, 1, 100),
                        java.util.stream.IntStream.range(0, 100)
                                .mapToObj(i -> "t" + i)
                                .toList(),
                        "b:9092",
                        Map.of(),
                        Map.of(),
                        List.of(new AgentPlanner.WorkerSlot("w1", 64)),
                        1000));
        assertTrue(error.getMessage().contains("needs 200 agents"), error.getMessage());
        assertTrue(error.getMessage().contains("--agents-per-jvm auto"), error.getMessage());
        assertTrue(error.getMessage().contains("counts agents, not JVMs"), error.getMessage());
    }
}
