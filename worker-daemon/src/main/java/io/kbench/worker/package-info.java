/**
 * The worker daemon: {@link io.kbench.worker.WorkerDaemon} (embeddable), {@link io.kbench.worker.WorkerCommand}
 * ({@code kbench worker}) and {@link io.kbench.worker.WorkerConfig}.
 *
 * <p>Owns the agent JVMs of one host and nothing else: it never creates benchmark topics, never plans a run and
 * never reads metrics. It never runs a command from a topic: an agent is started from the daemon's own {@code
 * java.home} and class path; an assignment chooses only tasks and allow-listed JVM options.
 */
package io.kbench.worker;
