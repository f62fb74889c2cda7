package io.kbench.agent.testkit;

import io.kbench.protocol.message.AgentLaunch;
import io.kbench.protocol.message.AgentTask;
import io.kbench.protocol.message.ConsumerTask;
import io.kbench.protocol.message.KeyDistributorType;
import io.kbench.protocol.message.PayloadSpec;
import io.kbench.protocol.message.ProducerTask;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Launches and tasks for tests. */
public final class Launches {

    private Launches() {}

    public static ProducerTask producer(String id, String bootstrap, String topic, double rate, int size) {
        return producer(id, bootstrap, topic, rate, size, PayloadSpec.RANDOM, Map.of());
    }

    public static ProducerTask producer(
            String id,
            String bootstrap,
            String topic,
            double rate,
            int size,
            PayloadSpec payload,
            Map<String, String> clientConfig) {
        return new ProducerTask(
                id, bootstrap, clientConfig, topic, rate, 1, size, payload, KeyDistributorType.KEY_ROUND_ROBIN, 1000);
    }

    public static ConsumerTask consumer(String id, String bootstrap, String topic, String group) {
        return consumer(id, bootstrap, topic, group, Map.of());
    }

    /** A consumer with extra client settings on top of the driver's usual ones. */
    public static ConsumerTask consumer(
            String id, String bootstrap, String topic, String group, Map<String, String> extraConfig) {
        Map<String, String> config =
                new HashMap<>(Map.of("auto.offset.reset", "earliest", "enable.auto.commit", "false"));
        config.putAll(extraConfig);
        return new ConsumerTask(id, bootstrap, config, List.of(topic), group, 0, 1000);
    }

    public static AgentLaunch launch(String runId, String controlBootstrap, String prefix, AgentTask... tasks) {
        return new AgentLaunch(
                runId,
                "w1",
                List.of(tasks),
                controlBootstrap,
                Map.of(),
                prefix,
                System.currentTimeMillis() + 120_000,
                null,
                0);
    }
}
