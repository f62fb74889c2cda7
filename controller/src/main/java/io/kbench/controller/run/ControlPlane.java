package io.kbench.controller.run;

import io.kbench.protocol.AccessDenied;
import io.kbench.protocol.Envelope;
import io.kbench.protocol.KafkaClients;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.MemberRole;
import io.kbench.protocol.message.Message;
import io.kbench.protocol.registry.RegistryView;
import io.kbench.protocol.security.ControlSigner;
import io.kbench.protocol.security.ControlValidity;
import io.kbench.protocol.topic.KbenchTopics;
import io.kbench.protocol.topic.TopicEnsurer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * The controller's side of the control cluster: publishing control records (signed when a secret is set) and
 * reading the registry.
 */
public final class ControlPlane implements AutoCloseable {

    /**
     * A bound on how long after its run started any control record of it could matter ({@link Leftovers} dates
     * unknown runs with it). Each record itself is actionable only for {@link ControlValidity#of}.
     */
    public static final Duration CONTROL_TTL = Duration.ofHours(12);

    private final String bootstrap;
    private final Map<String, String> clientConfig;
    private final KbenchTopics topics;
    private final MessageCodec codec;
    private final Optional<ControlSigner> signer;
    private KafkaProducer<String, byte[]> producer;

    public ControlPlane(
            String bootstrap,
            Map<String, String> clientConfig,
            KbenchTopics topics,
            MessageCodec codec,
            Optional<ControlSigner> signer) {
        this.bootstrap = bootstrap;
        this.clientConfig = Map.copyOf(clientConfig);
        this.topics = topics;
        this.codec = codec;
        this.signer = signer;
    }

    public String bootstrap() {
        return bootstrap;
    }

    public Map<String, String> clientConfig() {
        return clientConfig;
    }

    public KbenchTopics topics() {
        return topics;
    }

    /** The secret control records are signed with, and read back with. */
    public Optional<ControlSigner> signer() {
        return signer;
    }

    public MessageCodec codec() {
        return codec;
    }

    /** Checks the control cluster answers within the timeout and its kbench topics exist. */
    public void connect(Duration timeout) throws InterruptedException {
        try (Admin admin = Admin.create(admin(timeout))) {
            admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            new TopicEnsurer(admin, timeout).ensure(topics.all());
        } catch (ExecutionException | TimeoutException e) {
            throw new ClusterUnreachable("the control cluster at " + bootstrap + " did not answer within "
                    + timeout.toSeconds() + " s; check --bootstrap-server and that Kafka is running");
        }
    }

    private Map<String, Object> admin(Duration timeout) {
        Map<String, Object> config = KafkaClients.base(bootstrap, clientConfig);
        config.put("request.timeout.ms", (int) Math.min(timeout.toMillis(), Integer.MAX_VALUE));
        config.put("default.api.timeout.ms", (int) Math.min(timeout.toMillis(), Integer.MAX_VALUE));
        return config;
    }

    /** Publishes a control record to {@code <p>.control}, keyed by run id, and waits for its ack. */
    public Envelope publishControl(String runId, Message message) {
        Envelope envelope = codec.envelope(
                runId, message, ControlValidity.of(message, codec.clock().millis()));
        if (signer.isPresent()) {
            envelope = signer.get().sign(envelope);
        }
        send(topics.control(), runId, codec.encode(envelope));
        return envelope;
    }

    public void send(String topic, String key, byte[] value) {
        try {
            producer().send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing to " + topic, e);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            // A refusal can come back through the future or, once the idempotent producer's InitProducerId has
            // already failed, be thrown by send() itself: both name the missing grant the same way.
            AccessDenied.error(e, "WRITE", topic, clientConfig).ifPresent(denied -> {
                throw denied;
            });
            throw new ClusterUnreachable("cannot publish to " + topic + " on " + bootstrap + ": " + e);
        }
    }

    public KafkaConsumer<String, byte[]> reader() {
        return KafkaClients.readerConsumer(bootstrap, clientConfig);
    }

    public RegistryView registry(Duration timeout) {
        try (KafkaConsumer<String, byte[]> reader = reader()) {
            return RegistryView.read(reader, topics.registry(), codec, timeout);
        }
    }

    public List<RegistryView.Member> live(MemberRole role, Duration timeout) {
        return registry(timeout).live(role, codec.clock().millis());
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = KafkaClients.controlProducer(bootstrap, clientConfig);
        }
        return producer;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** A cluster that does not answer. */
    public static final class ClusterUnreachable extends RuntimeException {
        public ClusterUnreachable(String message) {
            super(message);
        }
    }
}
