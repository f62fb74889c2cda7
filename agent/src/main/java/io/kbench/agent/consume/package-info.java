/**
 * The consumer agent: group membership, commits as the driver configures them, end-to-end latency in µs from the
 * send time the producer wrote into the first 8 bytes of each payload (checked against the record timestamp; else
 * the record timestamp in ms, as OMB measures), and backlog mode through {@code KafkaConsumer.pause/resume} (never
 * a sleep).
 */
package io.kbench.agent.consume;
