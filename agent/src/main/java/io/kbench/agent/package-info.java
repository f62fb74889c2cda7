/**
 * The agent JVM: {@link io.kbench.agent.AgentMain} reads its launch and commands from stdin (the pipe to its worker
 * daemon, see {@link io.kbench.protocol.AgentIo}), runs one or more load agents, writes event lines to stdout and
 * exits with a meaningful code. This package owns the life of the JVM (readiness, start, stop, exit); the load
 * itself lives in {@code produce} and {@code consume}, the figures in {@code stats}.
 *
 * <p>Must not touch: any kbench topic other than the metrics topic (events go through the daemon), any process
 * other than its own.
 */
package io.kbench.agent;
