package io.kbench.agent;

import io.kbench.protocol.AgentIo;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.AgentFailed;
import io.kbench.protocol.message.AgentReady;
import io.kbench.protocol.message.Message;
import java.io.PrintStream;
import java.util.List;

/**
 * Writes the agent's events to stdout as {@link AgentIo#EVENT_PREFIX} + envelope lines, for the daemon to publish.
 * stdout carries nothing else (logs go to stderr), so these lines are the agent's whole output protocol.
 */
final class EventWriter {

    private final PrintStream out;
    private final PrintStream err;
    private final MessageCodec codec;

    EventWriter(PrintStream out, PrintStream err, MessageCodec codec) {
        this.out = out;
        this.err = err;
        this.codec = codec;
    }

    void ready(String runId, String workerId, String agentId) {
        emit(runId, new AgentReady(workerId, agentId));
    }

    /** The failure event, then the reason as the last stderr line (AgentIo: "the reason is on stderr"). */
    void failed(String runId, String workerId, List<String> agentIds, int exitCode, String reason) {
        emit(runId, new AgentFailed(workerId, agentIds, exitCode, reason, List.of()));
        synchronized (err) {
            err.println(reason);
            err.flush();
        }
    }

    private synchronized void emit(String runId, Message message) {
        out.println(AgentIo.EVENT_PREFIX + codec.encodeLine(codec.envelope(runId, message, null)));
        out.flush();
    }
}
