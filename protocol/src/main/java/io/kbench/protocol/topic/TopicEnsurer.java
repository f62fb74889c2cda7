package io.kbench.protocol.topic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics that are missing and reports existing ones whose settings differ from what kbench needs.
 * Idempotent: running it again on the same cluster creates nothing and reports the same conflicts.
 */
public final class TopicEnsurer {

    private final Admin admin;
    private final Duration timeout;

    public TopicEnsurer(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /** What {@link #ensure} did and found. */
    public record Report(List<String> created, List<String> existing, List<String> conflicts) {
        public boolean hasConflicts() {
            return !conflicts.isEmpty();
        }
    }

    public Report ensure(Collection<TopicSpec> specs) throws InterruptedException, TimeoutException {
        Set<String> present = call(admin.listTopics().names());
        List<String> created = new ArrayList<>();
        List<String> existing = new ArrayList<>();
        List<NewTopic> toCreate = new ArrayList<>();
        for (TopicSpec spec : specs) {
            if (present.contains(spec.name())) {
                existing.add(spec.name());
            } else {
                Optional<Short> factor =
                        spec.replicationFactor() > 0 ? Optional.of(spec.replicationFactor()) : Optional.empty();
                toCreate.add(new NewTopic(spec.name(), Optional.of(spec.partitions()), factor).configs(spec.configs()));
            }
        }
        if (!toCreate.isEmpty()) {
            var result = admin.createTopics(toCreate);
            for (NewTopic topic : toCreate) {
                try {
                    result.values().get(topic.name()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    created.add(topic.name());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TopicExistsException) {
                        existing.add(topic.name()); // another member created it first: fine
                    } else {
                        throw new IllegalStateException(
                                "cannot create topic " + topic.name() + ": "
                                        + e.getCause().getMessage(),
                                e.getCause());
                    }
                }
            }
        }
        List<String> conflicts = existing.isEmpty() ? List.of() : conflicts(specs, existing);
        return new Report(List.copyOf(created), List.copyOf(existing), conflicts);
    }

    private List<String> conflicts(Collection<TopicSpec> specs, List<String> existing)
            throws InterruptedException, TimeoutException {
        Map<String, TopicSpec> byName = new HashMap<>();
        specs.forEach(spec -> byName.put(spec.name(), spec));
        Map<String, TopicDescription> descriptions =
                call(admin.describeTopics(existing).allTopicNames());
        List<ConfigResource> resources = existing.stream()
                .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name))
                .toList();
        Map<ConfigResource, Config> configs =
                call(admin.describeConfigs(resources).all());
        List<String> conflicts = new ArrayList<>();
        for (String name : existing) {
            TopicSpec spec = byName.get(name);
            int partitions = descriptions.get(name).partitions().size();
            if (spec.partitions() == 1 && partitions != 1) {
                // Only single-partition topics depend on their count (total order of control records).
                conflicts.add(name + ": partitions is " + partitions + ", kbench needs 1 for total order");
            }
            Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name));
            spec.configs().forEach((key, wanted) -> {
                ConfigEntry entry = config.get(key);
                String actual = entry == null ? null : entry.value();
                if (key.equals("cleanup.policy") && !wanted.equals(actual)) {
                    conflicts.add(name + ": cleanup.policy is " + actual + ", kbench needs " + wanted);
                }
                if (key.equals("message.timestamp.type") && !wanted.equals(actual)) {
                    conflicts.add(name + ": message.timestamp.type is " + actual + ", kbench needs " + wanted
                            + " (the broker's append times are what the clock probes read)");
                }
            });
        }
        return List.copyOf(conflicts);
    }

    private <T> T call(org.apache.kafka.common.KafkaFuture<T> future) throws InterruptedException, TimeoutException {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "admin request failed: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
