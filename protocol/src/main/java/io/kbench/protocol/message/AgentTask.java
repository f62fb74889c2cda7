package io.kbench.protocol.message;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One simulated client: a producer or a consumer, as a daemon starts it.
 *
 * @param agentId unique within the run, for example {@code w1-p0}
 * @param bootstrapServers the cluster under test
 * @param clientConfig Kafka client properties: the driver's {@code commonConfig} plus {@code producerConfig} or
 *     {@code consumerConfig}
 * @param topics topics this agent produces to (producers: one) or subscribes to (consumers)
 * @param subscription consumer group id; {@code null} for producers
 * @param ratePerSecond this producer's share of the workload's total rate; {@code <= 0} means unthrottled
 * @param producerCount producers in the run, so a {@link RateChange} of the total can be divided
 * @param payload how message bytes are made
 * @param statsIntervalMs how often a {@link StatsReport} is sent
 */
public record AgentTask(
        String agentId,
        AgentRole role,
        String bootstrapServers,
        Map<String, String> clientConfig,
        List<String> topics,
        String subscription,
        double ratePerSecond,
        int producerCount,
        int messageSize,
        PayloadSpec payload,
        KeyDistributorType keyDistributor,
        int statsIntervalMs) {

    public AgentTask {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(role, "role");
        clientConfig = clientConfig == null ? Map.of() : Map.copyOf(clientConfig);
        topics = topics == null ? List.of() : List.copyOf(topics);
        payload = payload == null ? PayloadSpec.RANDOM : payload;
        keyDistributor = keyDistributor == null ? KeyDistributorType.NO_KEY : keyDistributor;
        statsIntervalMs = statsIntervalMs <= 0 ? 1000 : statsIntervalMs;
        producerCount = Math.max(producerCount, 1);
    }
}
