package io.kbench.worker.control;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which Kafka client settings of an assignment's tasks an agent may get. Kafka settings can name classes to load
 * ({@code interceptor.classes}), JAAS configurations, files to read ({@code ssl.keystore.location}) and URLs to
 * fetch; whoever writes the control topic must not choose those. So an assignment may set only tuning settings
 * from an allow list, and the worker's own settings for the cluster under test ({@code --client-config}) are
 * merged over every task's and win.
 *
 * <p>A key is accepted when the worker's own configuration sets it (its value replaces the assignment's); else
 * when it is a class-valued key with one of Kafka's built-in values ({@link #BUILT_IN_VALUES}); else when it is
 * not {@linkplain #FORBIDDEN forbidden} and matches the allow list. Forbidden keys stay forbidden whatever the
 * allow list says, so {@code --allow-client-config 'ssl.*'} cannot open {@code ssl.keystore.location}.
 *
 * @param allowed patterns of the tuning settings an assignment may set ({@link #DEFAULT_ALLOWED} plus the
 *     worker's {@code --allow-client-config})
 * @param workerConfig the worker's own client settings for the cluster under test; they win over an assignment's
 */
public record ClientConfigPolicy(List<GlobPattern> allowed, Map<String, String> workerConfig) {

    /**
     * Tuning settings of producers, consumers and both: sizes, timeouts, back-offs, acknowledgements, compression,
     * group membership. None names a class, a file, a URL or a credential.
     */
    public static final List<String> DEFAULT_ALLOWED = List.of(
            // producer
            "acks",
            "batch.size",
            "linger.ms",
            "compression.type",
            "compression.*.level",
            "buffer.memory",
            "max.request.size",
            "max.in.flight.requests.per.connection",
            "enable.idempotence",
            "retries",
            "delivery.timeout.ms",
            "max.block.ms",
            "partitioner.ignore.keys",
            "partitioner.adaptive.partitioning.enable",
            "partitioner.availability.timeout.ms",
            // consumer
            "fetch.min.bytes",
            "fetch.max.wait.ms",
            "fetch.max.bytes",
            "max.partition.fetch.bytes",
            "max.poll.records",
            "max.poll.interval.ms",
            "auto.offset.reset",
            "enable.auto.commit",
            "auto.commit.interval.ms",
            "session.timeout.ms",
            "heartbeat.interval.ms",
            "isolation.level",
            "check.crcs",
            "group.protocol",
            "group.instance.id",
            "group.remote.assignor",
            "allow.auto.create.topics",
            "exclude.internal.topics",
            "client.rack",
            // both
            "request.timeout.ms",
            "default.api.timeout.ms",
            "receive.buffer.bytes",
            "send.buffer.bytes",
            "socket.connection.setup.timeout.*",
            "reconnect.backoff.*",
            "retry.backoff.*",
            "metadata.max.age.ms",
            "metadata.max.idle.ms",
            "metadata.recovery.strategy",
            "metadata.recovery.rebootstrap.trigger.ms",
            "connections.max.idle.ms",
            "client.dns.lookup",
            "enable.metrics.push",
            "metrics.sample.window.ms",
            "metrics.num.samples",
            "metrics.recording.level",
            // Which protocol and SASL mechanism, not the credentials: those only come from --client-config.
            "security.protocol",
            "sasl.mechanism");

    /**
     * Keys whose value names something to load, read, fetch or run, or is a credential: never from an
     * assignment ({@code *} stands for anything here). Only the worker's {@code --client-config} may set them.
     */
    public static final List<String> FORBIDDEN = List.of(
            "*.class",
            "*.classes",
            "*.location",
            "*.jaas.config",
            "*.password",
            "*.url",
            "*.urls",
            "*.file",
            "*.files",
            "*.path",
            "*.dir",
            "*.cmd",
            "config.providers",
            "config.providers.*",
            "security.providers",
            "metric.reporters",
            "key.serializer",
            "value.serializer",
            "key.deserializer",
            "value.deserializer",
            "sasl.kerberos.*",
            "sasl.oauthbearer.*",
            "ssl.keystore.*",
            "ssl.truststore.*",
            "ssl.key.*");

    /** Class-valued keys an assignment may set, to one or more (comma-separated) of Kafka's own classes. */
    public static final Map<String, Set<String>> BUILT_IN_VALUES = Map.of(
            "partition.assignment.strategy",
            Set.of(
                    "org.apache.kafka.clients.consumer.RangeAssignor",
                    "org.apache.kafka.clients.consumer.RoundRobinAssignor",
                    "org.apache.kafka.clients.consumer.StickyAssignor",
                    "org.apache.kafka.clients.consumer.CooperativeStickyAssignor"),
            "partitioner.class",
            Set.of("org.apache.kafka.clients.producer.RoundRobinPartitioner"));

    /** Keys that choose how agents authenticate: an assignment may not change them when the worker sets any. */
    private static final Set<String> SECURITY_CHOICES = Set.of("security.protocol", "sasl.mechanism");

    private static final List<GlobPattern> FORBIDDEN_PATTERNS =
            FORBIDDEN.stream().map(p -> GlobPattern.of(p, ".*")).toList();

    public ClientConfigPolicy {
        allowed = allowed == null ? defaultAllowed() : List.copyOf(allowed);
        workerConfig = workerConfig == null ? Map.of() : Map.copyOf(workerConfig);
        if (workerConfig.containsKey("bootstrap.servers")) {
            throw new IllegalArgumentException("workerConfig must not set bootstrap.servers (each task names its"
                    + " cluster, limited by the allowed targets), got keys " + workerConfig.keySet());
        }
    }

    /** The default allow list and nothing of the worker's own. */
    public static ClientConfigPolicy defaults() {
        return new ClientConfigPolicy(null, null);
    }

    public static List<GlobPattern> defaultAllowed() {
        return DEFAULT_ALLOWED.stream().map(GlobPattern::key).toList();
    }

    /** The default allow list extended by the operator's patterns. */
    public static List<GlobPattern> allowList(List<String> extra) {
        return Stream.concat(DEFAULT_ALLOWED.stream(), extra == null ? Stream.empty() : extra.stream())
                .map(GlobPattern::key)
                .distinct()
                .toList();
    }

    /**
     * Why an assignment may not set {@code key}, naming the key and never its value (a value may be someone's
     * secret pasted in the wrong place); empty when it may.
     */
    public Optional<String> refusal(String key, String value) {
        String shown = Details.quote(key);
        if (key == null) {
            return Optional.of("client setting with no name");
        }
        if (workerConfig.containsKey(key)) {
            return Optional.empty(); // the worker's own value replaces it in apply()
        }
        if (SECURITY_CHOICES.contains(key) && workerSetsSecurity()) {
            return Optional.of("client setting " + shown + " may not change how agents authenticate to the"
                    + " cluster under test: this worker's --client-config sets it");
        }
        Set<String> builtIns = BUILT_IN_VALUES.get(key);
        if (builtIns != null) {
            boolean allBuiltIn = value != null
                    && Arrays.stream(value.split(",")).map(String::strip).allMatch(builtIns::contains);
            return allBuiltIn
                    ? Optional.empty()
                    : Optional.of("client setting " + shown + " may only name Kafka's built-in classes "
                            + builtIns.stream().sorted().toList() + "; any other must come from the worker's"
                            + " --client-config");
        }
        if (FORBIDDEN_PATTERNS.stream().anyMatch(p -> p.matches(key))) {
            return Optional.of("client setting " + shown + " names classes, files, URLs or credentials, which an"
                    + " assignment may not choose; set it in the worker's --client-config");
        }
        if (allowed.stream().noneMatch(p -> p.matches(key))) {
            return Optional.of("client setting " + shown + " is outside the worker's allow list of tuning settings"
                    + " (--allow-client-config)");
        }
        return Optional.empty();
    }

    /** A task's settings with the worker's own merged over them. Call after {@link #refusal} passed every key. */
    public Map<String, String> apply(Map<String, String> taskConfig) {
        Map<String, String> merged = new LinkedHashMap<>(taskConfig);
        merged.putAll(workerConfig);
        return merged;
    }

    private boolean workerSetsSecurity() {
        return workerConfig.keySet().stream()
                .anyMatch(k -> SECURITY_CHOICES.contains(k) || k.startsWith("sasl.") || k.startsWith("ssl."));
    }

    /** Only the keys: the worker's settings may hold credentials. */
    @Override
    public String toString() {
        return "ClientConfigPolicy[allowed=" + allowed + ", workerConfigKeys=" + workerConfig.keySet() + "]";
    }
}
