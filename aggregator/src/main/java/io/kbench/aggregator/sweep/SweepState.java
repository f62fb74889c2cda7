package io.kbench.aggregator.sweep;

import java.util.ArrayList;
import java.util.List;

/** The points of one sweep as kept in the sweep store; a run's point is replaced, never added twice. */
public record SweepState(String sweepId, List<SweepFigures.Input> inputs) {
    public SweepState {
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
    }

    public SweepState with(SweepFigures.Input input) {
        List<SweepFigures.Input> next = new ArrayList<>();
        for (SweepFigures.Input existing : inputs) {
            if (!existing.runId().equals(input.runId())) {
                next.add(existing);
            }
        }
        next.add(input);
        return new SweepState(sweepId, next);
    }
}
