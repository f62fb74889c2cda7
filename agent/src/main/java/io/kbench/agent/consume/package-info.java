/**
 * The consumer agent: group membership, commits as the driver configures them, end-to-end latency from the
 * {@code kbench-ts} header, and backlog mode through {@code KafkaConsumer.pause/resume} (never a sleep).
 */
package io.kbench.agent.consume;
