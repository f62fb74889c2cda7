/**
 * What all load agents share: the thread-per-agent life cycle ({@link io.kbench.agent.run.LoadAgent}) and the run's
 * schedule and phases as set by {@code StartRun}, {@code PauseConsumers} and {@code ResumeConsumers}.
 */
package io.kbench.agent.run;
