package io.kbench.protocol.message;

/**
 * The latencies kbench records, all in microseconds on the wire.
 *
 * <ul>
 *   <li>{@link #PUBLISH_LATENCY}: ack time minus actual send time (OMB's publish latency).
 *   <li>{@link #PUBLISH_DELAY}: actual send time minus intended send time (OMB's publish delay).
 *   <li>{@link #INTENDED_LATENCY}: ack time minus intended send time: free of coordinated omission.
 *   <li>{@link #END_TO_END_LATENCY}: consume time minus the send time stamped into the payload, corrected by
 *       the producer's and the consumer's host clock offsets when they differ ({@link ClockOffset}).
 *   <li>{@link #END_TO_END_RAW}: the same, uncorrected: what the two hosts' clocks said.
 * </ul>
 */
public enum LatencyKind {
    PUBLISH_LATENCY("publishLatency"),
    PUBLISH_DELAY("publishDelay"),
    INTENDED_LATENCY("intendedLatency"),
    END_TO_END_LATENCY("endToEndLatency"),
    END_TO_END_RAW("endToEndLatencyRaw");

    private final String wireName;

    LatencyKind(String wireName) {
        this.wireName = wireName;
    }

    @com.fasterxml.jackson.annotation.JsonValue
    public String wireName() {
        return wireName;
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    public static LatencyKind fromWireName(String name) {
        for (LatencyKind kind : values()) {
            if (kind.wireName.equals(name) || kind.name().equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown latency kind '" + name + "'");
    }
}
