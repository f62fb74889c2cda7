package io.kbench.agent.produce;

import io.kbench.agent.stats.AgentStats;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Records one send's outcome: the three latencies on success, the error's type on failure. */
final class SendCallback implements Callback {

    private final AgentStats stats;
    private final long intendedNanos;
    private final long sendNanos;
    private final int bytes;

    SendCallback(AgentStats stats, long intendedNanos, long sendNanos, int bytes) {
        this.stats = stats;
        this.intendedNanos = intendedNanos;
        this.sendNanos = sendNanos;
        this.bytes = bytes;
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception error) {
        if (error == null) {
            stats.recordAck(bytes, intendedNanos, sendNanos, System.nanoTime());
        } else {
            stats.recordSendError(error);
        }
    }
}
