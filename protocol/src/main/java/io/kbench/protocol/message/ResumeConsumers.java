package io.kbench.protocol.message;

/** Backlog mode: consumers fetch again and drain. */
public record ResumeConsumers(Phase phase) implements Message {}
