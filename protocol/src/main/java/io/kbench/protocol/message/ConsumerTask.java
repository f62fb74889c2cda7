package io.kbench.protocol.message;

import java.util.List;
import java.util.Map;

/**
 * A consumer: one member of one subscription (consumer group).
 *
 * @param agentId unique within the run, for example {@code c0-0-1}
 * @param bootstrapServers the cluster under test
 * @param clientConfig the driver's {@code commonConfig} plus {@code consumerConfig}, without {@code
 *     bootstrap.servers}
 * @param topics the topics it subscribes to (at least one)
 * @param subscription its consumer group id
 * @param groupMembers how many consumers the run puts in {@code subscription}, on all workers together; 0 when not
 *     known. A consumer is ready once it holds no more than its share of the partitions (the group has filled in),
 *     not at its first assignment, which may be the whole topic while the others are still joining
 * @param statsIntervalMs how often a {@link StatsReport} is sent (at least 1)
 */
public record ConsumerTask(
        String agentId,
        String bootstrapServers,
        Map<String, String> clientConfig,
        List<String> topics,
        String subscription,
        Integer groupMembers,
        int statsIntervalMs)
        implements AgentTask {

    private static final String TASK = "consumer task";

    public ConsumerTask {
        TaskFields.text(TASK, null, "agentId", agentId);
        TaskFields.text(TASK, agentId, "bootstrapServers", bootstrapServers);
        topics = TaskFields.topics(TASK, agentId, topics);
        TaskFields.text(TASK, agentId, "subscription", subscription);
        // Absent (a controller of an earlier release) reads as not known.
        groupMembers = groupMembers == null ? 0 : groupMembers;
        TaskFields.check(groupMembers >= 0, TASK, agentId, "groupMembers", groupMembers, "must be >= 0");
        TaskFields.check(statsIntervalMs > 0, TASK, agentId, "statsIntervalMs", statsIntervalMs, "must be > 0");
        clientConfig = clientConfig == null ? Map.of() : Map.copyOf(clientConfig);
    }

    @Override
    public AgentRole role() {
        return AgentRole.CONSUMER;
    }

    @Override
    public ConsumerTask withClientConfig(Map<String, String> config) {
        return new ConsumerTask(agentId, bootstrapServers, config, topics, subscription, groupMembers, statsIntervalMs);
    }
}
