package io.kbench.worker.events;

import io.kbench.protocol.message.Message;

/** Where a daemon reports what happened to its agents and assignments: the events topic, keyed by run id. */
public interface EventSink {

    /** Publishes a message the daemon made. */
    void publish(String runId, Message message);

    /** Publishes an envelope an agent made, as the agent wrote it (already checked to decode). */
    void publishEnvelope(String runId, byte[] envelope);
}
