package io.kbench.controller.run;

import io.kbench.protocol.message.Message;
import java.time.Duration;
import java.util.List;

/**
 * The lifecycle loop's only way out: one run's control records go in, its events, windows and summary come back.
 * Kafka in the CLI ({@link #of}); a list in tests.
 */
interface RunChannel {

    /** Publishes a control record of the run and waits for it to be acknowledged. */
    void publish(Message message);

    /** The run's records that arrived within {@code timeout}, in arrival order; returns early when some did. */
    List<Message> poll(Duration timeout);

    /** Control records through {@code control}, keyed by {@code runId}; records from {@code events}. */
    static RunChannel of(ControlPlane control, RunEvents events, String runId) {
        return new RunChannel() {
            @Override
            public void publish(Message message) {
                control.publishControl(runId, message);
            }

            @Override
            public List<Message> poll(Duration timeout) {
                return events.poll(timeout);
            }
        };
    }
}
