package io.kbench.controller.run;

import io.kbench.protocol.message.RunStatus;
import io.kbench.protocol.message.RunSummary;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How a run ended and what it wrote.
 *
 * @param summary the aggregator's summary, or one built from the windows seen when none came
 * @param extras what a run mode adds to the result (discovered rate, backlog figures)
 * @param topics the benchmark topics the run loaded
 * @param problem what went wrong, for the user; {@code null} when complete
 */
public record RunOutcome(
        String runId,
        RunStatus status,
        RunSummary summary,
        Map<String, Object> extras,
        List<String> topics,
        List<Path> files,
        String problem) {

    /** The CLI's exit code: 0 complete, 1 failed or incomplete, 130 interrupted. */
    public int exitCode() {
        return switch (status) {
            case COMPLETE -> 0;
            case INTERRUPTED -> 130;
            default -> 1;
        };
    }
}
