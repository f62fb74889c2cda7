package io.kbench.agent.testkit;

import io.kbench.protocol.message.AgentLaunch;
import io.kbench.protocol.message.AgentRole;
import io.kbench.protocol.message.AgentTask;
import io.kbench.protocol.message.KeyDistributorType;
import io.kbench.protocol.message.PayloadSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Launches and tasks for tests. */
public final class Launches {

    private Launches() {}

    public static AgentTask producer(String id, String bootstrap, String topic, double rate, int size) {
        return producer(id, bootstrap, topic, rate, size, PayloadSpec.RANDOM, Map.of());
    }

    public static AgentTask producer(
            String id,
            String bootstrap,
            String topic,
            double rate,
            int size,
            PayloadSpec payload,
            Map<String, String> clientConfig) {
        return new AgentTask(
                id,
                AgentRole.PRODUCER,
                bootstrap,
                clientConfig,
                List.of(topic),
                null,
                rate,
                1,
                size,
                payload,
                KeyDistributorType.KEY_ROUND_ROBIN,
                1000);
    }

    public static AgentTask consumer(String id, String bootstrap, String topic, String group) {
        return consumer(id, bootstrap, topic, group, Map.of());
    }

    /** A consumer with extra client settings on top of the driver's usual ones. */
    public static AgentTask consumer(
            String id, String bootstrap, String topic, String group, Map<String, String> extraConfig) {
        Map<String, String> config =
                new HashMap<>(Map.of("auto.offset.reset", "earliest", "enable.auto.commit", "false"));
        config.putAll(extraConfig);
        return new AgentTask(
                id, AgentRole.CONSUMER, bootstrap, config, List.of(topic), group, 0, 1, 0, null, null, 1000);
    }

    public static AgentLaunch launch(String runId, String controlBootstrap, String prefix, AgentTask... tasks) {
        return new AgentLaunch(
                runId, "w1", List.of(tasks), controlBootstrap, Map.of(), prefix, System.currentTimeMillis() + 120_000);
    }
}
