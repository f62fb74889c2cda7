package io.kbench.aggregator.run;

import io.kbench.protocol.message.RunSummary;
import io.kbench.protocol.message.WindowSummary;

/**
 * What the topology tells the world besides its output topics: skipped records, closed windows (for live
 * gauges) and finished runs. Called on a stream thread; implementations must be quick and thread-safe.
 */
public interface RunEvents {

    /** A record was skipped; {@code reason} is a short metric label such as {@code corrupt}. */
    void recordSkipped(String reason, String detail);

    /** A window of a run in progress was published. */
    void windowClosed(String workloadName, WindowSummary window);

    /** A run's summary was published. */
    void runFinished(RunSummary summary);

    /** A restarted task read back {@code count} reports from the metrics topic that its last checkpoint lacked. */
    default void reportsReplayed(int count) {}

    /** Ignores everything. */
    RunEvents NONE = new RunEvents() {
        @Override
        public void recordSkipped(String reason, String detail) {}

        @Override
        public void windowClosed(String workloadName, WindowSummary window) {}

        @Override
        public void runFinished(RunSummary summary) {}
    };
}
