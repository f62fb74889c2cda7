package io.kbench.protocol.message;

/**
 * The start barrier: every agent starts its load at {@code startAt} (epoch ms), warms up for {@code
 * warmupMs}, measures for {@code measureMs}, and stops by {@code deadlineAt} whatever else happens.
 */
public record StartRun(long startAt, long warmupMs, long measureMs, long deadlineAt) implements Message {}
