package io.kbench.broker.junit;

/** A Kafka cluster handed to a test class by {@link KafkaClusterExtension}. */
public interface KafkaCluster {

    /** The bootstrap address of the cluster's PLAINTEXT listener. */
    String bootstrapServers();

    /** What runs it: {@code embedded} or {@code testcontainers}. */
    String kind();
}
