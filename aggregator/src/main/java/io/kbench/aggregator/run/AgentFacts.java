package io.kbench.aggregator.run;

import io.kbench.protocol.message.AgentRole;
import io.kbench.protocol.message.AgentStop;
import io.kbench.protocol.message.StatsReport;

/**
 * What a run knows of one agent besides its counters: where it runs, what it does, and, once its last report came,
 * why it stopped ({@code stop} is {@code null} before that, and on a last report from an agent that predates it).
 */
public record AgentFacts(String workerId, AgentRole role, AgentStop stop, String stopDetail) {

    static AgentFacts of(StatsReport report, AgentFacts known) {
        String worker = report.workerId() != null ? report.workerId() : known == null ? null : known.workerId();
        AgentRole role = report.role() != null ? report.role() : known == null ? null : known.role();
        if (report.last()) {
            return new AgentFacts(worker, role, report.stop(), report.stopDetail());
        }
        return new AgentFacts(
                worker, role, known == null ? null : known.stop(), known == null ? null : known.stopDetail());
    }

    /** The stop and its detail as one phrase: {@code DAEMON_GONE (stdin closed)}. */
    String stopPhrase() {
        if (stop == null) {
            return "stop cause unknown";
        }
        return stopDetail == null || stopDetail.isBlank() ? stop.name() : stop.name() + " (" + stopDetail + ")";
    }
}
