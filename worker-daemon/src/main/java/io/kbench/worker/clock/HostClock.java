package io.kbench.worker.clock;

import io.kbench.protocol.message.ClockOffset;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * This host's clock as its agents are told of it: the latest offset estimate against the control cluster, and
 * the skew a test plays ({@code --clock-skew-ms}; 0 in real runs).
 *
 * @param offset the latest estimate, read at each agent's launch
 * @param skewMicros added to every agent's clock
 */
public record HostClock(Supplier<Optional<ClockOffset>> offset, long skewMicros) {

    /** No estimate, no skew. */
    public static final HostClock UNKNOWN = new HostClock(Optional::empty, 0);

    public HostClock {
        if (offset == null) {
            throw new IllegalArgumentException("offset must be set, got null");
        }
    }

    /** The estimate now, or null when there is none. */
    public ClockOffset current() {
        return offset.get().orElse(null);
    }
}
