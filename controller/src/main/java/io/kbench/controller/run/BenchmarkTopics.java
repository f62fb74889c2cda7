package io.kbench.controller.run;

import io.kbench.protocol.KafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates and deletes the topics a run loads, on the cluster under test. */
public final class BenchmarkTopics implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(BenchmarkTopics.class);

    private final Admin admin;
    private final String bootstrap;
    private final Duration timeout;
    private final String origin;

    public BenchmarkTopics(String bootstrap, Map<String, String> clientConfig, Duration timeout) {
        this(bootstrap, clientConfig, timeout, "check its bootstrap address");
    }

    /**
     * @param origin where the address came from and which flag overrides it, for the message when the cluster
     *     does not answer
     */
    public BenchmarkTopics(String bootstrap, Map<String, String> clientConfig, Duration timeout, String origin) {
        this.origin = origin;
        Map<String, Object> config = KafkaClients.base(bootstrap, clientConfig);
        config.put("request.timeout.ms", (int) timeout.toMillis());
        config.put("default.api.timeout.ms", (int) timeout.toMillis());
        this.admin = Admin.create(config);
        this.bootstrap = bootstrap;
        this.timeout = timeout;
    }

    /** Brokers of the cluster under test; fails clearly when it does not answer in time. */
    public int brokers() throws InterruptedException {
        try {
            return admin.describeCluster()
                    .nodes()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .size();
        } catch (ExecutionException | TimeoutException e) {
            throw new ControlPlane.ClusterUnreachable("the cluster under test at " + bootstrap + " did not answer"
                    + " within " + timeout.toSeconds() + " s; its address is " + origin);
        }
    }

    /**
     * Creates the run's topics. A replication factor above the broker count is lowered to it (with a warning), so
     * OMB's driver files, written for 3 brokers, run on a one-broker test cluster.
     *
     * @return notes for the user about what was adjusted
     */
    public List<String> create(List<String> names, int partitions, int replicationFactor, Map<String, String> configs)
            throws InterruptedException {
        List<String> notes = new ArrayList<>();
        int brokers = brokers();
        int factor = replicationFactor;
        Map<String, String> topicConfigs = new HashMap<>(configs);
        if (factor > brokers) {
            notes.add("replicationFactor " + replicationFactor + " exceeds the " + brokers
                    + " broker(s) of the cluster under test; using " + brokers);
            factor = brokers;
        }
        String minIsr = topicConfigs.get("min.insync.replicas");
        if (minIsr != null && Integer.parseInt(minIsr.strip()) > factor) {
            notes.add("min.insync.replicas " + minIsr + " exceeds the replication factor " + factor + "; using "
                    + factor);
            topicConfigs.put("min.insync.replicas", Integer.toString(factor));
        }
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            topics.add(new NewTopic(name, Optional.of(partitions), Optional.of((short) factor)).configs(topicConfigs));
        }
        try {
            admin.createTopics(topics).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("cannot create benchmark topics " + names + ": " + cause.getMessage(), e);
        }
        return notes;
    }

    /** Checks that existing topics are there; returns their partition count. */
    public int existing(List<String> names) throws InterruptedException {
        try {
            var descriptions =
                    admin.describeTopics(names).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return descriptions.values().stream()
                    .mapToInt(d -> d.partitions().size())
                    .min()
                    .orElse(0);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new io.kbench.controller.config.InputError(
                    "existingTopics " + names + " cannot be used: " + cause.getMessage());
        }
    }

    /**
     * A topic-level size limit on the cluster under test: {@code max.message.bytes} of the given topics (the
     * smallest), or with no topics the broker's {@code message.max.bytes}, the default of new topics.
     *
     * @return the limit, or empty when the cluster does not say (then the caller assumes Kafka's default)
     */
    public OptionalInt maxMessageBytes(List<String> existingTopics) throws InterruptedException {
        try {
            List<ConfigResource> resources = new ArrayList<>();
            String key;
            if (existingTopics.isEmpty()) {
                int broker = admin.describeCluster()
                        .nodes()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .iterator()
                        .next()
                        .id();
                resources.add(new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(broker)));
                key = "message.max.bytes";
            } else {
                existingTopics.forEach(t -> resources.add(new ConfigResource(ConfigResource.Type.TOPIC, t)));
                key = "max.message.bytes";
            }
            Map<ConfigResource, Config> configs =
                    admin.describeConfigs(resources).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return configs.values().stream()
                    .map(c -> c.get(key))
                    .filter(e -> e != null && e.value() != null)
                    .mapToInt(e -> Integer.parseInt(e.value().strip()))
                    .min();
        } catch (ExecutionException | TimeoutException | java.util.NoSuchElementException | NumberFormatException e) {
            // Some clusters deny DescribeConfigs; the run then relies on Kafka's default and says so.
            LOGGER.warn("cannot read the message size limit of {}: {}", bootstrap, e.toString());
            return OptionalInt.empty();
        }
    }

    public void delete(List<String> names) {
        try {
            admin.deleteTopics(names).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOGGER.warn("could not delete benchmark topics {}: {}", names, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
