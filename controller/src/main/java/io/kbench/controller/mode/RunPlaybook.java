package io.kbench.controller.mode;

import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.StatsReport;
import io.kbench.protocol.message.WindowSummary;
import io.kbench.protocol.message.Workload;
import java.util.List;
import java.util.Map;

/**
 * What the controller does during a run beyond starting it: a fixed-rate run does nothing; max-rate discovery
 * changes the rate window by window; backlog mode pauses and resumes consumers and ends the run itself.
 */
public interface RunPlaybook {

    /** The budget for phases whose length is not known in advance (backlog build and drain). */
    long OPEN_ENDED_BUDGET_MS = 30 * 60_000L;

    /** For StartRun: {@code > 0} the agents stop on their own after it; 0 the playbook stops them (StopRun). */
    long agentMeasureMs();

    /** Time the run may take beyond warm-up and measurement (for deadlines). */
    default long extraBudgetMs() {
        return 0;
    }

    /** Control records to publish when a window arrives. */
    default List<Message> onWindow(WindowSummary window, long now) {
        return List.of();
    }

    /** Control records to publish as time passes (checked several times a second). */
    default List<Message> onTick(long now) {
        return List.of();
    }

    /** Called once with the start barrier's instant and the run's agents. */
    default void started(long startAt, List<String> agentIds) {}

    /** Whether the playbook reads the agents' own reports ({@link #onReport}); the controller follows them only then. */
    default boolean followsReports() {
        return false;
    }

    /** An agent's report of the run, as it arrived (duplicates included), when {@link #followsReports()}. */
    default void onReport(StatsReport report) {}

    /** Lines for the user about what the playbook is doing (e.g. "rate 9,500 msg/s"); empty when nothing new. */
    default List<String> news() {
        return List.of();
    }

    /** What goes into the result's {@code kbench} section. */
    default Map<String, Object> extras() {
        return Map.of();
    }

    /** The playbook a workload asks for. */
    static RunPlaybook of(Workload workload, long warmupMs, long measureMs) {
        if (workload.discoversMaxRate() && workload.consumerBacklogSizeGB() > 0) {
            throw new io.kbench.controller.config.InputError("workload '" + workload.name()
                    + "': producerRate <= 0 (max-rate discovery) and consumerBacklogSizeGB > 0 (backlog mode) "
                    + "cannot be combined; give producerRate a value for a backlog run");
        }
        if (workload.discoversMaxRate()) {
            return new MaxRateDiscovery(
                    workload.totalProducers(),
                    workload.totalConsumers() > 0,
                    measureMs,
                    workload.statsWindowSeconds(),
                    warmupMs + measureMs);
        }
        if (workload.consumerBacklogSizeGB() > 0) {
            return new BacklogPlaybook(workload, warmupMs, measureMs);
        }
        return () -> measureMs;
    }
}
