package io.kbench.controller;

import static io.kbench.controller.InProcessCli.kbench;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.broker.junit.KafkaCluster;
import io.kbench.broker.junit.KafkaClusterExtension;
import io.kbench.controller.run.ControlPlane;
import io.kbench.controller.run.RunFixtures;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.RunSpec;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.topic.KbenchTopics;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code kbench clean} removes the topics of ended and abandoned runs, never a live run's. */
@ExtendWith(KafkaClusterExtension.class)
class CleanIT {

    private static final String PREFIX = "clean";

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void deletesEndedAndAbandonedRunsTopicsButNotALiveRuns(KafkaCluster kafka) throws Exception {
        String bootstrap = kafka.bootstrapServers();
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String ended = "ended-" + stamp + "-aaaa";
        String abandoned = "abandoned-" + stamp + "-bbbb";
        String live = "live-" + stamp + "-cccc";
        String unknown = "elsewhere-" + stamp + "-dddd";
        List<String> benchmarkTopics = List.of(
                "kbench-" + ended + "-0",
                "kbench-" + abandoned + "-0",
                "kbench-" + abandoned + "-1",
                "kbench-" + live + "-0",
                "kbench-" + unknown + "-0");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(benchmarkTopics.stream()
                            .map(t -> new NewTopic(t, 1, (short) 1))
                            .toList())
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        MessageCodec codec = new MessageCodec();
        long now = System.currentTimeMillis();
        try (ControlPlane control =
                new ControlPlane(bootstrap, Map.of(), new KbenchTopics(PREFIX), codec, Optional.empty())) {
            control.connect(java.time.Duration.ofSeconds(30));
            for (String run : List.of(ended, abandoned, live)) {
                control.publishControl(run, spec(now - 600_000));
            }
            // A controller killed mid-run: started, deadline long past, no summary.
            control.publishControl(abandoned, new StartRun(now - 600_000, 0, 60_000, now - 500_000));
            // A run in progress: its deadline is ahead.
            control.publishControl(live, new StartRun(now - 10_000, 0, 600_000, now + 600_000));
            control.publishControl(ended, new StartRun(now - 600_000, 0, 60_000, now - 500_000));
            control.send(
                    control.topics().results(), ended, codec.encode(ended, RunFixtures.completed(ended, null), null));
        }
        String[] cluster = {"-b", bootstrap, "--topic-prefix", PREFIX};

        InProcessCli.Output dry = kbench(concat(new String[] {"clean", "--dry-run"}, cluster));
        assertEquals(0, dry.exit(), dry.out());
        assertTrue(dry.out().contains("would delete kbench-" + ended + "-0"), dry.out());
        assertTrue(dry.out().contains("keeping kbench-" + live + "-0"), dry.out());
        assertTrue(topics(bootstrap).containsAll(benchmarkTopics), "a dry run deletes nothing");

        InProcessCli.Output clean = kbench(concat(new String[] {"clean"}, cluster));
        assertEquals(0, clean.exit(), clean.out());
        assertTrue(clean.out().contains("deleting kbench-" + abandoned + "-1  (abandoned"), clean.out());
        assertTrue(clean.out().contains("deleted 3 of 5"), clean.out());
        Set<String> left = topics(bootstrap);
        assertFalse(left.contains("kbench-" + ended + "-0"), left.toString());
        assertFalse(left.contains("kbench-" + abandoned + "-0"), left.toString());
        assertFalse(left.contains("kbench-" + abandoned + "-1"), left.toString());
        assertTrue(left.contains("kbench-" + live + "-0"), "a live run's topic stays: " + left);
        assertTrue(left.contains("kbench-" + unknown + "-0"), "a run unknown to this control cluster stays");
        assertTrue(left.contains(PREFIX + ".control"), "kbench's own topics stay");
    }

    private static Set<String> topics(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
    }

    private static RunSpec spec(long createdAt) {
        return new RunSpec(
                "w",
                "Kafka",
                null,
                Map.of(),
                List.of("p0"),
                Map.of(),
                List.of(),
                1,
                0,
                60_000,
                1000,
                10,
                null,
                null,
                createdAt);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
