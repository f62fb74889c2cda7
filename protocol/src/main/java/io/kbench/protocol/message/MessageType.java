package io.kbench.protocol.message;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Wire names of every message. A name, once published, is never changed or reused. */
public enum MessageType {
    RUN_SPEC("RunSpec", RunSpec.class, Reader.AGGREGATOR),
    RUN_ASSIGNMENT("RunAssignment", RunAssignment.class, Reader.DAEMON),
    START_RUN("StartRun", StartRun.class, Reader.AGENT, Reader.AGGREGATOR),
    RATE_CHANGE("RateChange", RateChange.class, Reader.AGENT),
    PAUSE_CONSUMERS("PauseConsumers", PauseConsumers.class, Reader.AGENT),
    RESUME_CONSUMERS("ResumeConsumers", ResumeConsumers.class, Reader.AGENT),
    STOP_RUN("StopRun", StopRun.class, Reader.AGENT, Reader.AGGREGATOR),
    MEMBER_HEARTBEAT("MemberHeartbeat", MemberHeartbeat.class),
    AGENT_SPAWNED("AgentSpawned", AgentSpawned.class),
    AGENT_READY("AgentReady", AgentReady.class),
    AGENT_FAILED("AgentFailed", AgentFailed.class),
    AGENT_FINISHED("AgentFinished", AgentFinished.class),
    ASSIGNMENT_REJECTED("AssignmentRejected", AssignmentRejected.class),
    STATS_REPORT("StatsReport", StatsReport.class),
    WINDOW_SUMMARY("WindowSummary", WindowSummary.class),
    RUN_SUMMARY("RunSummary", RunSummary.class),
    SWEEP_SUMMARY("SweepSummary", SweepSummary.class),
    AGENT_LAUNCH("AgentLaunch", AgentLaunch.class);

    /**
     * Who acts on a control record (one the controller publishes to {@code <p>.control}). Declared here once, so
     * the daemon's router and the aggregator's filter cannot disagree with this list.
     */
    public enum Reader {
        /** The worker daemon itself (an assignment to validate and start). */
        DAEMON,
        /** The agents of the run, to which each daemon relays the record verbatim. */
        AGENT,
        /** The aggregator, which bounds windows and runs by it. */
        AGGREGATOR
    }

    private static final Map<String, MessageType> BY_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(MessageType::wireName, Function.identity()));
    private static final Map<Class<?>, MessageType> BY_CLASS =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(t -> t.bodyClass, Function.identity()));

    private final String wireName;
    private final Class<? extends Message> bodyClass;
    private final Set<Reader> readers;

    MessageType(String wireName, Class<? extends Message> bodyClass, Reader... readers) {
        this.wireName = wireName;
        this.bodyClass = bodyClass;
        this.readers = readers.length == 0 ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(List.of(readers)));
    }

    public String wireName() {
        return wireName;
    }

    public Class<? extends Message> bodyClass() {
        return bodyClass;
    }

    public static Optional<MessageType> byWireName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    public static MessageType of(Message message) {
        MessageType type = BY_CLASS.get(message.getClass());
        if (type == null) {
            throw new IllegalArgumentException("no wire type for " + message.getClass());
        }
        return type;
    }

    /** Control records are the ones the controller publishes and a daemon, agent or aggregator acts on; they may be signed. */
    public boolean isControl() {
        return !readers.isEmpty();
    }

    /** A run command: a control record a daemon relays to the agents of the run it names. */
    public boolean isRunCommand() {
        return readers.contains(Reader.AGENT);
    }

    /** Whether {@code reader} acts on records of this type (never true for a type that is not control). */
    public boolean isReadBy(Reader reader) {
        return readers.contains(reader);
    }

    /** The readers of a control record; empty for every other type. */
    public Set<Reader> readers() {
        return readers;
    }
}
