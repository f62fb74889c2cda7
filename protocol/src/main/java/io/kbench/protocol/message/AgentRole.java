package io.kbench.protocol.message;

/** What one simulated client does. */
public enum AgentRole {
    PRODUCER,
    CONSUMER
}
