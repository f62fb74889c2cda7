package io.kbench.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Clients for the control cluster (where kbench's own topics live): keys are run or member ids as strings,
 * values are envelope bytes. {@code --command-config} files (TLS/SASL) are read as Kafka's own tools read them.
 */
public final class KafkaClients {

    private KafkaClients() {}

    /** Reads a Kafka client properties file; {@code null} gives no settings. */
    public static Map<String, String> readCommandConfig(Path file) {
        Map<String, String> config = new HashMap<>();
        if (file == null) {
            return config;
        }
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read client config file " + file + ": " + e.getMessage(), e);
        }
        props.stringPropertyNames().forEach(name -> config.put(name, props.getProperty(name)));
        return config;
    }

    public static Map<String, Object> base(String bootstrap, Map<String, String> clientConfig) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put("bootstrap.servers", bootstrap);
        return config;
    }

    /** A producer for control records: acks=all, idempotent, small linger. */
    public static KafkaProducer<String, byte[]> controlProducer(String bootstrap, Map<String, String> clientConfig) {
        Map<String, Object> config = base(bootstrap, clientConfig);
        config.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        config.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** A consumer without a group, for assign-and-seek reads (registry, results, windows). */
    public static KafkaConsumer<String, byte[]> readerConsumer(String bootstrap, Map<String, String> clientConfig) {
        Map<String, Object> config = base(bootstrap, clientConfig);
        config.putIfAbsent(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "kbench-reader-" + UUID.randomUUID());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
