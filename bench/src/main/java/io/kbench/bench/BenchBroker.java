package io.kbench.bench;

import io.kbench.broker.EmbeddedKafkaBroker;
import io.kbench.protocol.topic.KbenchTopics;
import io.kbench.protocol.topic.TopicEnsurer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The embedded broker every side of a comparison runs against, with kbench's topics in place. Deleted topics'
 * files go after 1 s instead of Kafka's 60 s so {@link #deleteAndWait} can wait for the disk work to finish
 * before the next point starts (docs/architecture.md, Measurement); nothing else differs from {@code kbench local}.
 */
final class BenchBroker implements AutoCloseable {

    private final EmbeddedKafkaBroker broker;
    private final Admin admin;
    private final KbenchTopics topics = new KbenchTopics(KbenchTopics.DEFAULT_PREFIX);

    BenchBroker() throws InterruptedException, TimeoutException {
        broker = EmbeddedKafkaBroker.builder()
                .property("log.segment.delete.delay.ms", "1000")
                .build()
                .start();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
        new TopicEnsurer(admin, Duration.ofSeconds(30)).ensure(topics.all());
    }

    String bootstrap() {
        return broker.bootstrapServers();
    }

    KbenchTopics topics() {
        return topics;
    }

    Path logDir() {
        return broker.dataDir().resolve("logs");
    }

    void createTopic(String name, int partitions) throws InterruptedException {
        try {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topic " + name + ": " + e.getMessage(), e);
        }
    }

    /** Whether the consumer group is stable with at least one member (its partitions assigned); false on errors. */
    boolean groupStable(String group) {
        try {
            var description = admin.describeConsumerGroups(List.of(group))
                    .all()
                    .get(5, TimeUnit.SECONDS)
                    .get(group);
            return description != null
                    && description.groupState() == org.apache.kafka.common.GroupState.STABLE
                    && !description.members().isEmpty();
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Deletes the topics and waits until their files are gone from disk. */
    void deleteAndWait(List<String> names) throws InterruptedException {
        try {
            admin.deleteTopics(names).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot delete topics " + names + ": " + e.getMessage(), e);
        }
        Bench.awaitTopicFilesGone(logDir(), names, Duration.ofSeconds(60));
    }

    /** Waits until files of topics the controller deleted (by name prefix) are gone. */
    void awaitDeleted(List<String> names) throws InterruptedException {
        Bench.awaitTopicFilesGone(logDir(), names, Duration.ofSeconds(60));
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
        broker.close();
    }
}
