package io.kbench.protocol.message;

/** Sets the total producer rate of a run (messages per second, all producers together). */
public record RateChange(double totalRate) implements Message {}
