package io.kbench.worker;

import io.kbench.protocol.message.MemberHealth;
import java.util.Optional;

/**
 * A worker's health as its heartbeat carries it: unhealthy while its control loop is not taking orders (first)
 * or while it cannot start agent JVMs; healthy otherwise. Remembers since when the worker has been in its state.
 */
final class WorkerHealth {

    private MemberHealth.State state;
    private String detail = "";
    private long since;

    /**
     * @param loopProblem why the control loop is not taking orders, if it is not
     * @param agentProblem why agent JVMs cannot be started, if they cannot
     * @param agentsFailed agents that failed since the worker started
     */
    synchronized MemberHealth at(
            long now, Optional<String> loopProblem, Optional<String> agentProblem, int agentsFailed) {
        Optional<String> problem = loopProblem.or(() -> agentProblem);
        MemberHealth.State next = problem.isPresent() ? MemberHealth.State.UNHEALTHY : MemberHealth.State.HEALTHY;
        if (next != state) {
            state = next;
            since = now;
        }
        detail = problem.orElse("");
        return new MemberHealth(state, detail, since, agentsFailed);
    }
}
