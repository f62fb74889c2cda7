package io.kbench.protocol.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.broker.junit.KafkaCluster;
import io.kbench.broker.junit.KafkaClusterExtension;
import io.kbench.protocol.KafkaClients;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.MemberHeartbeat;
import io.kbench.protocol.message.MemberRole;
import io.kbench.protocol.registry.Heartbeater;
import io.kbench.protocol.registry.RegistryView;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaClusterExtension.class)
class TopicsAndRegistryIT {

    private final MessageCodec codec = new MessageCodec();

    @Test
    void ensureCreatesWhatIsMissingOnceAndReportsConflicts(KafkaCluster kafka) throws Exception {
        KbenchTopics topics = new KbenchTopics("ensure");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            // A user created the control topic by hand with the wrong shape.
            admin.createTopics(List.of(new NewTopic(topics.control(), Optional.of(3), Optional.empty())))
                    .all()
                    .get();
            TopicEnsurer ensurer = new TopicEnsurer(admin, Duration.ofSeconds(30));

            TopicEnsurer.Report first = ensurer.ensure(topics.all());
            TopicEnsurer.Report second = ensurer.ensure(topics.all());

            assertEquals(6, first.created().size(), first.toString());
            assertEquals(List.of(), second.created(), "a second ensure creates nothing");
            assertEquals(7, second.existing().size());
            assertEquals(1, second.conflicts().size(), second.toString());
            assertTrue(second.conflicts().get(0).contains("ensure.control: partitions is 3"));
            String policy = admin.describeConfigs(List.of(new org.apache.kafka.common.config.ConfigResource(
                            org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topics.registry())))
                    .all()
                    .get()
                    .values()
                    .iterator()
                    .next()
                    .get("cleanup.policy")
                    .value();
            assertEquals("compact", policy);
        }
    }

    @Test
    void heartbeatsMakeAMemberLiveAndATombstoneRemovesIt(KafkaCluster kafka) throws Exception {
        KbenchTopics topics = new KbenchTopics("registry");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicEnsurer(admin, Duration.ofSeconds(30)).ensure(topics.all());
        }
        try (KafkaProducer<String, byte[]> producer = KafkaClients.controlProducer(kafka.bootstrapServers(), Map.of());
                KafkaConsumer<String, byte[]> reader =
                        KafkaClients.readerConsumer(kafka.bootstrapServers(), Map.of())) {
            MemberHeartbeat beat = new MemberHeartbeat(
                    "w-1", MemberRole.WORKER, "host", 2, 1L << 30, 8, 0, "test", 1, 500, null, null);
            Heartbeater heartbeater =
                    new Heartbeater(producer, topics.registry(), "w-1", () -> beat, Duration.ofMillis(500), codec);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (heartbeater.lastSentAt() == 0 && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
            }

            RegistryView live = RegistryView.read(reader, topics.registry(), codec, Duration.ofSeconds(10));
            assertEquals(
                    List.of("w-1"),
                    live.live(MemberRole.WORKER, System.currentTimeMillis()).stream()
                            .map(m -> m.heartbeat().memberId())
                            .toList());
            assertEquals(List.of(), live.live(MemberRole.AGGREGATOR, System.currentTimeMillis()));

            heartbeater.close();

            RegistryView after = RegistryView.read(reader, topics.registry(), codec, Duration.ofSeconds(10));
            assertTrue(after.ids().isEmpty(), "the tombstone removes the member: " + after.ids());
        }
    }
}
