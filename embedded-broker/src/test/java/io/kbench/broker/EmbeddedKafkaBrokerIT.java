package io.kbench.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerIT {

    @Test
    void keepsRecordsAcrossRestartOnTheSameDataDirectory(@TempDir Path dataDir) throws Exception {
        // Given a broker on a kept data directory with one record written
        try (EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.builder().dataDir(dataDir).build().start()) {
            createTopic(broker.bootstrapServers(), "restart-topic");
            produce(broker.bootstrapServers(), "restart-topic", "k", "survives a restart");
            assertEquals(List.of("survives a restart"), consumeAll(broker.bootstrapServers(), "restart-topic", 1));
        }
        assertTrue(Files.exists(dataDir.resolve("logs/meta.properties")), "close keeps a non-temporary directory");

        // When a new broker starts on the same directory
        try (EmbeddedKafkaBroker restarted =
                EmbeddedKafkaBroker.builder().dataDir(dataDir).build().start()) {
            // Then the record is still there
            assertEquals(List.of("survives a restart"), consumeAll(restarted.bootstrapServers(), "restart-topic", 1));
        }
    }

    @Test
    void runsTwoBrokersSideBySide() throws Exception {
        Path firstDir;
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.builder().build().start();
                EmbeddedKafkaBroker second =
                        EmbeddedKafkaBroker.builder().build().start()) {
            firstDir = first.dataDir();
            assertNotEquals(first.port(), second.port());
            createTopic(first.bootstrapServers(), "only-on-first");
            produce(first.bootstrapServers(), "only-on-first", "k", "one");
            createTopic(second.bootstrapServers(), "only-on-second");
            produce(second.bootstrapServers(), "only-on-second", "k", "two");

            assertEquals(List.of("one"), consumeAll(first.bootstrapServers(), "only-on-first", 1));
            assertEquals(List.of("two"), consumeAll(second.bootstrapServers(), "only-on-second", 1));
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", second.bootstrapServers()))) {
                Set<String> names = admin.listTopics().names().get();
                assertFalse(names.contains("only-on-first"), "the brokers are independent clusters");
            }
        }
        assertFalse(Files.exists(firstDir), "close deletes a temporary data directory");
    }

    static void createTopic(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())))
                    .all()
                    .get();
        }
    }

    static void produce(String bootstrap, String topic, String key, String value) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    static List<String> consumeAll(String bootstrap, String topic, int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "test-" + System.nanoTime()),
                new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
