package io.kbench.controller;

import static org.apache.kafka.common.acl.AclOperation.ALL;
import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DELETE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;
import static org.apache.kafka.common.resource.PatternType.LITERAL;
import static org.apache.kafka.common.resource.PatternType.PREFIXED;
import static org.apache.kafka.common.resource.ResourceType.CLUSTER;
import static org.apache.kafka.common.resource.ResourceType.GROUP;
import static org.apache.kafka.common.resource.ResourceType.TOPIC;
import static org.apache.kafka.common.resource.ResourceType.TRANSACTIONAL_ID;

import io.kbench.protocol.topic.KbenchTopics;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The minimal ACLs of each kbench component, as {@code SecuredFleetIT} grants them and {@code docs/security.md}
 * lists them (a test checks every {@link #kafkaAclsCommand} of the default prefix is in that file).
 */
record FleetAcls(String component, ResourceType type, String name, PatternType pattern, AclOperation operation) {

    /** Benchmark topics and their consumer groups: {@code kbench-<runId>-…}, whatever the topic prefix. */
    static final String BENCHMARK = "kbench-";

    FleetAcls {
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(operation, "operation");
    }

    /** Every component's ACLs for the topic prefix {@code prefix} and the aggregator's default application id. */
    static List<FleetAcls> minimal(String prefix) {
        KbenchTopics t = new KbenchTopics(prefix);
        String app = prefix + "-aggregator";
        String any = prefix + ".";
        return List.of(
                // controller (kbench run, sweep, workers, runs, show, stop, clean)
                new FleetAcls("controller", TOPIC, any, PREFIXED, DESCRIBE),
                new FleetAcls("controller", TOPIC, any, PREFIXED, DESCRIBE_CONFIGS),
                new FleetAcls("controller", TOPIC, t.control(), LITERAL, WRITE),
                new FleetAcls("controller", TOPIC, t.control(), LITERAL, READ),
                new FleetAcls("controller", TOPIC, t.registry(), LITERAL, READ),
                new FleetAcls("controller", TOPIC, t.events(), LITERAL, READ),
                new FleetAcls("controller", TOPIC, t.windows(), LITERAL, READ),
                new FleetAcls("controller", TOPIC, t.results(), LITERAL, READ),
                new FleetAcls("controller", TOPIC, BENCHMARK, PREFIXED, CREATE),
                new FleetAcls("controller", TOPIC, BENCHMARK, PREFIXED, DELETE),
                new FleetAcls("controller", TOPIC, BENCHMARK, PREFIXED, DESCRIBE),
                new FleetAcls("controller", TOPIC, BENCHMARK, PREFIXED, DESCRIBE_CONFIGS),
                new FleetAcls("controller", CLUSTER, "kafka-cluster", LITERAL, DESCRIBE_CONFIGS),
                // worker daemon (its agents' stats reports go out with the daemon's control-cluster settings)
                new FleetAcls("worker", TOPIC, any, PREFIXED, DESCRIBE),
                new FleetAcls("worker", TOPIC, any, PREFIXED, DESCRIBE_CONFIGS),
                new FleetAcls("worker", TOPIC, t.control(), LITERAL, READ),
                new FleetAcls("worker", TOPIC, t.registry(), LITERAL, WRITE),
                new FleetAcls("worker", TOPIC, t.events(), LITERAL, WRITE),
                new FleetAcls("worker", TOPIC, t.metrics(), LITERAL, WRITE),
                new FleetAcls("worker", TOPIC, t.clock(), LITERAL, WRITE),
                new FleetAcls("worker", GROUP, prefix + "-worker-", PREFIXED, READ),
                // agent (the worker's --client-config: the cluster under test)
                new FleetAcls("agent", TOPIC, BENCHMARK, PREFIXED, DESCRIBE),
                new FleetAcls("agent", TOPIC, BENCHMARK, PREFIXED, WRITE),
                new FleetAcls("agent", TOPIC, BENCHMARK, PREFIXED, READ),
                new FleetAcls("agent", GROUP, BENCHMARK, PREFIXED, READ),
                // aggregator (Kafka Streams, exactly-once: its application id names its group, transactional
                // ids and internal topics)
                new FleetAcls("aggregator", TOPIC, any, PREFIXED, DESCRIBE),
                new FleetAcls("aggregator", TOPIC, any, PREFIXED, DESCRIBE_CONFIGS),
                new FleetAcls("aggregator", TOPIC, t.control(), LITERAL, READ),
                new FleetAcls("aggregator", TOPIC, t.metrics(), LITERAL, READ),
                new FleetAcls("aggregator", TOPIC, t.registry(), LITERAL, WRITE),
                new FleetAcls("aggregator", TOPIC, t.events(), LITERAL, WRITE),
                new FleetAcls("aggregator", TOPIC, t.windows(), LITERAL, WRITE),
                new FleetAcls("aggregator", TOPIC, t.results(), LITERAL, WRITE),
                new FleetAcls("aggregator", TOPIC, app + "-", PREFIXED, ALL),
                new FleetAcls("aggregator", GROUP, app, PREFIXED, READ),
                new FleetAcls("aggregator", TRANSACTIONAL_ID, app, PREFIXED, WRITE),
                new FleetAcls("aggregator", TRANSACTIONAL_ID, app, PREFIXED, DESCRIBE));
    }

    /** The grant, for a component whose SASL user is {@code User:<user>}. */
    AclBinding binding(String user) {
        return new AclBinding(
                new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
    }

    /** The same grant as a {@code kafka-acls.sh} command, the component's name as its user. */
    String kafkaAclsCommand() {
        String resource =
                switch (type) {
                    case TOPIC -> "--topic " + name;
                    case GROUP -> "--group " + name;
                    case TRANSACTIONAL_ID -> "--transactional-id " + name;
                    case CLUSTER -> "--cluster";
                    default -> throw new IllegalStateException("no kafka-acls.sh flag for " + type);
                };
        return "kafka-acls.sh --bootstrap-server $B --command-config admin.properties --add --allow-principal User:"
                + component + " --operation " + toolName(operation) + " " + resource
                + (pattern == PREFIXED ? " --resource-pattern-type prefixed" : "");
    }

    private static String toolName(AclOperation operation) {
        StringBuilder out = new StringBuilder();
        for (String part : operation.name().toLowerCase(Locale.ROOT).split("_")) {
            out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return out.toString();
    }
}
