package io.kbench.protocol.message;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Wire names of every message. A name, once published, is never changed or reused. */
public enum MessageType {
    RUN_SPEC("RunSpec", RunSpec.class),
    RUN_ASSIGNMENT("RunAssignment", RunAssignment.class),
    START_RUN("StartRun", StartRun.class),
    RATE_CHANGE("RateChange", RateChange.class),
    PAUSE_CONSUMERS("PauseConsumers", PauseConsumers.class),
    RESUME_CONSUMERS("ResumeConsumers", ResumeConsumers.class),
    STOP_RUN("StopRun", StopRun.class),
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

    private static final Map<String, MessageType> BY_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(MessageType::wireName, Function.identity()));
    private static final Map<Class<?>, MessageType> BY_CLASS =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(t -> t.bodyClass, Function.identity()));

    private final String wireName;
    private final Class<? extends Message> bodyClass;

    MessageType(String wireName, Class<? extends Message> bodyClass) {
        this.wireName = wireName;
        this.bodyClass = bodyClass;
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

    /** Control records are the ones a daemon acts on; they may be signed. */
    public boolean isControl() {
        return switch (this) {
            case RUN_SPEC, RUN_ASSIGNMENT, START_RUN, RATE_CHANGE, PAUSE_CONSUMERS, RESUME_CONSUMERS, STOP_RUN -> true;
            default -> false;
        };
    }
}
