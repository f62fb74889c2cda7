package io.kbench.agent.consume;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.agent.stats.MicroClock;
import io.kbench.agent.testkit.Poll;
import io.kbench.agent.testkit.Topics;
import io.kbench.broker.junit.KafkaCluster;
import io.kbench.broker.junit.KafkaClusterExtension;
import io.kbench.protocol.message.ConsumerTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A consumer is ready once its group has filled in (docs/architecture.md §6): the member that joins first holds
 * every partition until the others come, and with the classic protocol it would learn of them only at its next
 * heartbeat. Here the heartbeat is 20 s, so a group that fills in within seconds proves the first member asked to
 * rejoin by itself.
 */
@ExtendWith(KafkaClusterExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConsumerGroupFillInIT {

    /** Far beyond every wait below: a member that waited for its heartbeat would fail them. */
    private static final Map<String, String> SLOW_HEARTBEAT =
            Map.of("heartbeat.interval.ms", "20000", "session.timeout.ms", "60000");

    private final List<ConsumerAgent> agents = new ArrayList<>();

    @AfterEach
    void stopAgents() throws Exception {
        for (ConsumerAgent agent : agents) {
            agent.requestStop();
        }
        for (ConsumerAgent agent : agents) {
            agent.awaitClosed(20_000);
        }
    }

    @Test
    void theFirstMemberWaitsForTheGroupAndRejoinsWhenTheOthersCome(KafkaCluster kafka) throws Exception {
        String bootstrap = kafka.bootstrapServers();
        Topics.create(bootstrap, "fill-in:4");
        ConsumerAgent first = agent(bootstrap, "c0", "fill-in", "g-fill-in", 2, SLOW_HEARTBEAT, Duration.ofSeconds(60));
        first.start();
        Poll.until(() -> first.waitingFor().contains("other 1 members"), Duration.ofSeconds(30), first::waitingFor);
        assertFalse(first.ready().isDone(), "ready while it holds all 4 partitions of a group of 2");

        ConsumerAgent second =
                agent(bootstrap, "c1", "fill-in", "g-fill-in", 2, SLOW_HEARTBEAT, Duration.ofSeconds(60));
        long secondStarted = System.nanoTime();
        second.start();
        first.ready().get(15, TimeUnit.SECONDS);
        second.ready().get(15, TimeUnit.SECONDS);
        long waitedMs = (System.nanoTime() - secondStarted) / 1_000_000;

        assertTrue(waitedMs < 15_000, "the group filled in " + waitedMs + " ms after the second member started");
        assertGroupSettlesOn(List.of(2, 2), bootstrap, "g-fill-in");
    }

    @Test
    void aGroupThatNeverFillsInIsReadyAfterTheWait(KafkaCluster kafka) throws Exception {
        String bootstrap = kafka.bootstrapServers();
        Topics.create(bootstrap, "never-full:6");
        Duration wait = Duration.ofSeconds(3);
        // A group of 3 of which only 2 come: each holds 3 of 6 partitions, more than its share of 2.
        ConsumerAgent a = agent(bootstrap, "c0", "never-full", "g-never-full", 3, Map.of(), wait);
        ConsumerAgent b = agent(bootstrap, "c1", "never-full", "g-never-full", 3, Map.of(), wait);
        long started = System.nanoTime();
        a.start();
        b.start();
        a.ready().get(30, TimeUnit.SECONDS);
        b.ready().get(30, TimeUnit.SECONDS);
        long readyAfterMs = (System.nanoTime() - started) / 1_000_000;

        assertTrue(readyAfterMs >= wait.toMillis(), "ready after " + readyAfterMs + " ms, before the fill-in wait");
        assertGroupSettlesOn(List.of(3, 3), bootstrap, "g-never-full");
    }

    @Test
    void withTheConsumerProtocolTheFirstAssignmentIsReady(KafkaCluster kafka) throws Exception {
        String bootstrap = kafka.bootstrapServers();
        Topics.create(bootstrap, "kip848:4");
        // The coordinator assigns and moves partitions itself (KIP-848): a member cannot ask to rejoin.
        ConsumerAgent only = agent(
                bootstrap, "c0", "kip848", "g-kip848", 2, Map.of("group.protocol", "consumer"), Duration.ofSeconds(60));
        only.start();

        only.ready().get(30, TimeUnit.SECONDS);
        assertGroupSettlesOn(List.of(4), bootstrap, "g-kip848");
    }

    private ConsumerAgent agent(
            String bootstrap,
            String id,
            String topic,
            String group,
            int members,
            Map<String, String> config,
            Duration fillInWait) {
        ConsumerTask task = new ConsumerTask(id, bootstrap, config, List.of(topic), group, members, 1000);
        ConsumerAgent agent = new ConsumerAgent(
                task,
                MicroClock.calibrated(),
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                fillInWait,
                Duration.ofSeconds(5));
        agents.add(agent);
        return agent;
    }

    /** The coordinator's view of the group comes to {@code expected} partitions per member (sorted) within 10 s. */
    private static void assertGroupSettlesOn(List<Integer> expected, String bootstrap, String group) {
        List<List<Integer>> seen = new ArrayList<>();
        Poll.until(
                () -> {
                    try {
                        List<Integer> counts = partitionsPerMember(bootstrap, group);
                        seen.add(counts);
                        return counts.equals(expected);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                Duration.ofSeconds(10),
                () -> "partitions per member seen: " + seen);
    }

    /** Each member's partition count in the group, as the coordinator has it, sorted. */
    private static List<Integer> partitionsPerMember(String bootstrap, String group) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group))
                    .describedGroups()
                    .get(group)
                    .get(30, TimeUnit.SECONDS);
            return description.members().stream()
                    .map(MemberDescription::assignment)
                    .map(a -> a.topicPartitions().size())
                    .sorted()
                    .toList();
        }
    }
}
