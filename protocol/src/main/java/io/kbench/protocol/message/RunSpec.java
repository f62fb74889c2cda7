package io.kbench.protocol.message;

import java.util.List;
import java.util.Map;

/**
 * The whole plan of a run, published before any assignment. The aggregator learns from it which agents to
 * wait for and how to window their stats.
 *
 * @param agentIds every agent of the run; the run is complete when each has sent its last report
 * @param agentsPerWorker how many agents each worker runs
 * @param subscriptions consumer subscriptions per topic (for backlog = sent × subscriptions − received)
 * @param topics the benchmark topics
 * @param sweepId shared by the runs of a sweep; {@code null} otherwise
 * @param sweepScale the point's scale in the sweep (producers, consumers or message size)
 */
public record RunSpec(
        String workloadName,
        String driverName,
        Workload workload,
        Map<String, Object> driver,
        List<String> agentIds,
        Map<String, Integer> agentsPerWorker,
        List<String> topics,
        int subscriptions,
        long warmupMs,
        long measureMs,
        int statsIntervalMs,
        int windowSeconds,
        String sweepId,
        Double sweepScale,
        long createdAt)
        implements Message {

    public RunSpec {
        agentIds = agentIds == null ? List.of() : List.copyOf(agentIds);
        agentsPerWorker = agentsPerWorker == null ? Map.of() : Map.copyOf(agentsPerWorker);
        topics = topics == null ? List.of() : List.copyOf(topics);
        driver = driver == null ? Map.of() : driver;
        windowSeconds = windowSeconds <= 0 ? 10 : windowSeconds;
        statsIntervalMs = statsIntervalMs <= 0 ? 1000 : statsIntervalMs;
    }
}
