package io.kbench.controller.config;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * An OMB Kafka driver file, with OMB's fields: the client settings are Java properties text, as in OMB.
 *
 * <pre>
 * name: Kafka
 * driverClass: io.openmessaging.benchmark.driver.kafka.KafkaBenchmarkDriver
 * replicationFactor: 3
 * reset: true
 * topicConfig: |
 *   min.insync.replicas=2
 * commonConfig: |
 *   bootstrap.servers=localhost:9092
 * producerConfig: |
 *   acks=all
 * consumerConfig: |
 *   auto.offset.reset=earliest
 * </pre>
 */
public record DriverConfig(
        String name,
        String driverClass,
        Integer replicationFactor,
        Boolean reset,
        String topicConfig,
        String commonConfig,
        String producerConfig,
        String consumerConfig) {

    public static final String KAFKA_DRIVER_CLASS = "io.openmessaging.benchmark.driver.kafka.KafkaBenchmarkDriver";

    public DriverConfig {
        name = name == null ? "Kafka" : name;
        replicationFactor = replicationFactor == null ? 1 : replicationFactor;
        reset = reset != null && reset;
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replicationFactor must be >= 1, got " + replicationFactor);
        }
        if (driverClass != null && !driverClass.contains("kafka") && !driverClass.contains("Kafka")) {
            throw new IllegalArgumentException(
                    "driverClass " + driverClass + " is not a Kafka driver; kbench benchmarks Kafka only");
        }
    }

    /** kbench's default: a local broker, OMB's Kafka defaults otherwise. */
    public static DriverConfig defaults() {
        return new DriverConfig("Kafka", KAFKA_DRIVER_CLASS, 1, false, "", "", "", "");
    }

    @JsonIgnore
    public java.util.Map<String, String> topicProperties(String file) {
        return ClientProperties.parse(topicConfig, file, "topicConfig");
    }

    @JsonIgnore
    public java.util.Map<String, String> commonProperties(String file) {
        return ClientProperties.parse(commonConfig, file, "commonConfig");
    }

    @JsonIgnore
    public java.util.Map<String, String> producerProperties(String file) {
        return ClientProperties.parse(producerConfig, file, "producerConfig");
    }

    @JsonIgnore
    public java.util.Map<String, String> consumerProperties(String file) {
        return ClientProperties.parse(consumerConfig, file, "consumerConfig");
    }
}
