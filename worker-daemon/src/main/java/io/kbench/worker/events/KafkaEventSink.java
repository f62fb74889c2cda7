package io.kbench.worker.events;

import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.Message;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends events to {@code <p>.events} without waiting for the broker: a slow broker must not stall the threads
 * that drain agents' output. A failed send is logged with the event's type and run.
 */
public final class KafkaEventSink implements EventSink {

    private static final Logger LOGGER = LoggerFactory.getLogger(KafkaEventSink.class);

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final MessageCodec codec;

    public KafkaEventSink(Producer<String, byte[]> producer, String eventsTopic, MessageCodec codec) {
        this.producer = producer;
        this.topic = eventsTopic;
        this.codec = codec;
    }

    @Override
    public void publish(String runId, Message message) {
        send(runId, codec.encode(runId, message, null), message.getClass().getSimpleName());
    }

    @Override
    public void publishEnvelope(String runId, byte[] envelope) {
        send(runId, envelope, "agent event");
    }

    private void send(String runId, byte[] value, String what) {
        try {
            producer.send(new ProducerRecord<>(topic, runId, value), (meta, error) -> {
                if (error != null) {
                    LOGGER.warn("event not published: type={} runId={} error={}", what, runId, error.toString());
                }
            });
        } catch (RuntimeException e) {
            // The producer is closed or the record too large: the event is lost, the daemon keeps going.
            LOGGER.warn("event not published: type={} runId={} error={}", what, runId, e.toString());
        }
    }
}
