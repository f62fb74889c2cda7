package io.kbench.agent.testkit;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/** Creates topics for a test. */
public final class Topics {

    private Topics() {}

    /** Creates {@code name:partitions} pairs, e.g. {@code "load:3"}. */
    public static void create(String bootstrap, String... namesWithPartitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(Arrays.stream(namesWithPartitions)
                            .map(spec -> spec.split(":"))
                            .map(parts ->
                                    new NewTopic(parts[0], Optional.of(Integer.parseInt(parts[1])), Optional.empty()))
                            .toList())
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }
}
