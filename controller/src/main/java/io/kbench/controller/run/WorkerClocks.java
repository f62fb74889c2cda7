package io.kbench.controller.run;

import io.kbench.protocol.message.ClockOffset;
import io.kbench.protocol.registry.RegistryView;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The clock offsets of a run's workers against the cluster, as their last heartbeats said (docs/architecture.md,
 * Clock offsets): printed when the run starts and kept in its result as {@code kbench.clockOffsets}.
 *
 * @param offsets by worker id; workers without an estimate are left out
 */
record WorkerClocks(Map<String, ClockOffset> offsets) {

    WorkerClocks {
        offsets = Map.copyOf(offsets);
    }

    /** The offsets of {@code workers} that have one. */
    static WorkerClocks of(RegistryView registry, Collection<String> workers) {
        Map<String, ClockOffset> offsets = new TreeMap<>();
        for (RegistryView.Member member : registry.all()) {
            ClockOffset clock = member.heartbeat().clock();
            if (clock != null && workers.contains(member.id())) {
                offsets.put(member.id(), clock);
            }
        }
        return new WorkerClocks(offsets);
    }

    /** {@code clock offsets against the cluster (…): w1 +0.01 ms +/- 0.20, w2 -50.02 ms +/- 0.31}; empty if none. */
    Optional<String> line() {
        if (offsets.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("clock offsets against the cluster (end-to-end corrected by their differences): "
                + String.join(
                        ", ",
                        new TreeMap<>(offsets)
                                .entrySet().stream()
                                        .map(e ->
                                                e.getKey() + " " + e.getValue().describe())
                                        .toList()));
    }

    /** The result's {@code kbench.clockOffsets}: per worker, the offset and its uncertainty in ms, and when. */
    Map<String, Object> result() {
        Map<String, Object> out = new TreeMap<>();
        offsets.forEach((worker, clock) -> out.put(
                worker,
                Map.of(
                        "offsetMillis", clock.offsetMicros() / 1000.0,
                        "uncertaintyMillis", clock.uncertaintyMicros() / 1000.0,
                        "measuredAt", clock.measuredAt())));
        return out;
    }
}
