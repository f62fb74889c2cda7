package io.kbench.protocol.message;

/** Backlog mode: consumers stop fetching (KafkaConsumer.pause) but keep their group membership. */
public record PauseConsumers(Phase phase) implements Message {}
