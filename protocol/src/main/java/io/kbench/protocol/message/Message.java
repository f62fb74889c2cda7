package io.kbench.protocol.message;

/**
 * A body that travels inside an {@link io.kbench.protocol.Envelope}. Every implementation is an immutable
 * record; its wire name is given by {@link MessageType}, never by its class name.
 */
public sealed interface Message
        permits RunSpec,
                RunAssignment,
                StartRun,
                RateChange,
                PauseConsumers,
                ResumeConsumers,
                StopRun,
                MemberHeartbeat,
                AgentSpawned,
                AgentReady,
                AgentFailed,
                AgentFinished,
                AssignmentRejected,
                StatsReport,
                WindowSummary,
                RunSummary,
                SweepSummary,
                AgentLaunch {}
