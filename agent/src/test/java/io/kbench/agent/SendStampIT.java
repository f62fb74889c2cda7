package io.kbench.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kbench.agent.produce.SendStamp;
import io.kbench.agent.testkit.Topics;
import io.kbench.broker.junit.KafkaCluster;
import io.kbench.broker.junit.KafkaClusterExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The producer agent overwrites one payload array before every send (docs/architecture.md, Measurement): this
 * holds only if Kafka copies the value into its batch inside {@code send()}. Small batches force a new batch every
 * few records; every codec is tried. Each record must come back with exactly the stamp it was sent with.
 */
@ExtendWith(KafkaClusterExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SendStampIT {

    private static final int RECORDS = 1_000;

    @ParameterizedTest
    @ValueSource(strings = {"none", "lz4", "zstd", "gzip", "snappy"})
    void everyRecordKeepsTheStampItWasSentWithThoughTheArrayIsReused(String compression, KafkaCluster kafka)
            throws Exception {
        String bootstrap = kafka.bootstrapServers();
        String topic = "stamp-" + compression;
        Topics.create(bootstrap, topic + ":1");
        byte[] payload = new byte[300];
        long base = System.currentTimeMillis() * 1_000L;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(
                        "bootstrap.servers",
                        bootstrap,
                        "compression.type",
                        compression,
                        "batch.size",
                        1024,
                        "linger.ms",
                        20),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                SendStamp.write(payload, base + i);
                producer.send(new ProducerRecord<>(topic, payload));
            }
        }

        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of("bootstrap.servers", bootstrap), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            int read = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (read < RECORDS && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    assertEquals(300, record.value().length);
                    assertEquals(
                            base + read,
                            SendStamp.read(record.value(), record.timestamp(), record.timestampType()),
                            "record " + read + " with " + compression);
                    read++;
                }
            }
            assertEquals(RECORDS, read);
        }
    }
}
