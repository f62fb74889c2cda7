package io.kbench.protocol.message;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Map;

/**
 * A producer: sends to one topic at its share of the run's rate.
 *
 * @param agentId unique within the run, for example {@code p0}
 * @param bootstrapServers the cluster under test
 * @param clientConfig the driver's {@code commonConfig} plus {@code producerConfig}, without {@code
 *     bootstrap.servers}
 * @param topic the topic it sends to
 * @param ratePerSecond its share of the run's total rate ({@link RateSplit#perProducer}); {@code <= 0} means
 *     unthrottled (max-rate discovery)
 * @param producerCount producers in the run, so a {@link RateChange} of the total is divided alike (at least 1)
 * @param messageSize bytes per message (at least 1)
 * @param payload how message bytes are made; {@code null} means {@link PayloadSpec#RANDOM}
 * @param keyDistributor how records are keyed; {@code null} means {@link KeyDistributorType#NO_KEY}
 * @param statsIntervalMs how often a {@link StatsReport} is sent (at least 1)
 */
public record ProducerTask(
        String agentId,
        String bootstrapServers,
        Map<String, String> clientConfig,
        String topic,
        double ratePerSecond,
        int producerCount,
        int messageSize,
        PayloadSpec payload,
        KeyDistributorType keyDistributor,
        int statsIntervalMs)
        implements AgentTask {

    private static final String TASK = "producer task";

    public ProducerTask {
        TaskFields.text(TASK, null, "agentId", agentId);
        TaskFields.text(TASK, agentId, "bootstrapServers", bootstrapServers);
        TaskFields.text(TASK, agentId, "topic", topic);
        TaskFields.check(
                !Double.isNaN(ratePerSecond) && !Double.isInfinite(ratePerSecond),
                TASK,
                agentId,
                "ratePerSecond",
                ratePerSecond,
                "must be a number (<= 0 for unthrottled)");
        TaskFields.check(producerCount >= 1, TASK, agentId, "producerCount", producerCount, "must be >= 1");
        TaskFields.check(messageSize > 0, TASK, agentId, "messageSize", messageSize, "must be > 0");
        TaskFields.check(statsIntervalMs > 0, TASK, agentId, "statsIntervalMs", statsIntervalMs, "must be > 0");
        clientConfig = clientConfig == null ? Map.of() : Map.copyOf(clientConfig);
        payload = payload == null ? PayloadSpec.RANDOM : payload;
        keyDistributor = keyDistributor == null ? KeyDistributorType.NO_KEY : keyDistributor;
    }

    /** Its one topic; not on the wire (that is {@code topic}). */
    @Override
    @JsonIgnore
    public List<String> topics() {
        return List.of(topic);
    }

    @Override
    public AgentRole role() {
        return AgentRole.PRODUCER;
    }

    @Override
    public ProducerTask withClientConfig(Map<String, String> config) {
        return new ProducerTask(
                agentId,
                bootstrapServers,
                config,
                topic,
                ratePerSecond,
                producerCount,
                messageSize,
                payload,
                keyDistributor,
                statsIntervalMs);
    }

    /** This task with another payload (a daemon resolves a payload file's name to its real path). */
    public ProducerTask withPayload(PayloadSpec other) {
        return new ProducerTask(
                agentId,
                bootstrapServers,
                clientConfig,
                topic,
                ratePerSecond,
                producerCount,
                messageSize,
                other,
                keyDistributor,
                statsIntervalMs);
    }
}
