/**
 * Reading and checking the {@code AgentLaunch}: a launch that cannot run is rejected before any client is
 * created, with a reason that names the field ({@code tasks[0].keyDistributor}, {@code tasks[1] (p1): messageSize})
 * and exit code {@link io.kbench.protocol.AgentIo#EXIT_BAD_TASK}.
 */
package io.kbench.agent.launch;
