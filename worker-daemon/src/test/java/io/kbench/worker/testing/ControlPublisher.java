package io.kbench.worker.testing;

import io.kbench.protocol.KafkaClients;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.Message;
import io.kbench.protocol.security.ControlSigner;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes control records as the controller would (optionally signed), or raw bytes as a broken writer would. */
public final class ControlPublisher implements AutoCloseable {

    private static final Duration TTL = Duration.ofMinutes(2);

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final MessageCodec codec = new MessageCodec();

    public ControlPublisher(String bootstrap, String controlTopic) {
        this.producer = KafkaClients.controlProducer(bootstrap, Map.of());
        this.topic = controlTopic;
    }

    public void send(String runId, Message message) {
        raw(runId, codec.encode(runId, message, TTL));
    }

    /** Returns the record value as written, so a test can replay it verbatim as an attacker would. */
    public byte[] sendSigned(ControlSigner signer, String runId, Message message) {
        byte[] value = codec.encode(signer.sign(codec.envelope(runId, message, TTL)));
        raw(runId, value);
        return value;
    }

    public void raw(String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("cannot publish to " + topic + ": " + e, e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(2));
    }
}
