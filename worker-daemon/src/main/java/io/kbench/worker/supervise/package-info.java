/**
 * Agent JVMs: how they are started ({@link io.kbench.worker.supervise.AgentCommandLine}), one process with its
 * output drained to files and events ({@link io.kbench.worker.supervise.AgentProcess}), all of them with stop,
 * deadline and shutdown ({@link io.kbench.worker.supervise.AgentSupervisor}), and the pid files that let a
 * restarted daemon reap what a killed one left ({@link io.kbench.worker.supervise.PidFiles}). The pipe contract
 * is {@link io.kbench.protocol.AgentIo}.
 */
package io.kbench.worker.supervise;
