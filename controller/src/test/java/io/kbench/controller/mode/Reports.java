package io.kbench.controller.mode;

import io.kbench.protocol.message.AgentRole;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.StatsReport;
import java.util.Map;

/** Agents' reports with only what the controller counts: a producer's acknowledged sends, a consumer's reads. */
public final class Reports {

    private Reports() {}

    /** A report of the 1 s interval starting at {@code start}; agents named {@code p…} are producers. */
    public static StatsReport report(String agent, long seq, long start, long sent, long received) {
        return report(agent, seq, start, start + 1000, sent, received, false);
    }

    /** A report of {@code [start, end)}, the agent's last when {@code last}. */
    public static StatsReport report(
            String agent, long seq, long start, long end, long sent, long received, boolean last) {
        return new StatsReport(
                agent,
                "w1",
                agent.startsWith("p") ? AgentRole.PRODUCER : AgentRole.CONSUMER,
                Phase.MEASURE,
                seq,
                start,
                end,
                sent,
                sent * 1024,
                0,
                Map.of(),
                received,
                received * 1024,
                0,
                0,
                0,
                Map.of(),
                last,
                null,
                null,
                0,
                0L,
                0L,
                0L);
    }
}
