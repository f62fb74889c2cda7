package io.kbench.aggregator.run;

import io.kbench.protocol.message.RunSpec;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StopRun;
import java.util.List;
import java.util.Map;

/**
 * Everything a {@link RunAccumulator} has folded so far, as written to the run store. Reports folded after the
 * checkpoint are read back from the metrics topic from the input offset stored beside it, and reports still waiting
 * for the run's control records stay in the store's report log, so checkpoint + replay + log is always the whole
 * state of a run at a commit. Fields added later ({@code stopSentAt}, {@code agents}, {@code failuresForwarded})
 * read as empty from an older checkpoint.
 */
public record RunCheckpoint(
        String runId,
        RunSpec spec,
        StartRun start,
        StopRun stop,
        long stopSeenAt,
        long firstSeenAt,
        long lastActivityAt,
        Map<String, Long> maxSeq,
        Map<String, Long> watermarks,
        List<String> lastReported,
        long cumulativeSent,
        long cumulativeReceived,
        long closedSent,
        long closedReceived,
        long closedThrough,
        StatsCheckpoint measured,
        List<StatsCheckpoint> openWindows,
        Long stopSentAt,
        Map<String, AgentFacts> agents,
        List<String> failuresForwarded) {

    public RunCheckpoint {
        maxSeq = maxSeq == null ? Map.of() : maxSeq;
        watermarks = watermarks == null ? Map.of() : watermarks;
        lastReported = lastReported == null ? List.of() : lastReported;
        openWindows = openWindows == null ? List.of() : openWindows;
        agents = agents == null ? Map.of() : agents;
        failuresForwarded = failuresForwarded == null ? List.of() : failuresForwarded;
    }
}
