package io.kbench.protocol.topic;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The topics that carry kbench's own traffic, under a prefix ({@code kbench} by default) so several teams can
 * share a cluster. See docs/architecture.md, Topics.
 */
public final class KbenchTopics {

    public static final String DEFAULT_PREFIX = "kbench";
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,200}");

    private static final String DELETE = "delete";
    private static final String COMPACT = "compact";

    private final String prefix;

    public KbenchTopics(String prefix) {
        if (prefix == null || !LEGAL.matcher(prefix).matches()) {
            throw new IllegalArgumentException(
                    "topic prefix '" + prefix + "' must be 1-200 characters of a-z, A-Z, 0-9, '.', '_', '-'");
        }
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    public String control() {
        return prefix + ".control";
    }

    public String registry() {
        return prefix + ".registry";
    }

    public String events() {
        return prefix + ".events";
    }

    public String metrics() {
        return prefix + ".metrics";
    }

    public String windows() {
        return prefix + ".windows";
    }

    public String results() {
        return prefix + ".results";
    }

    /**
     * Clock probes of the worker daemons: its broker stamps every record with its own append time
     * ({@code LogAppendTime}), against which each host's clock offset is estimated.
     */
    public String clock() {
        return prefix + ".clock";
    }

    /** Every kbench topic with its settings; replication factor -1 takes the broker's default. */
    public List<TopicSpec> all() {
        return List.of(
                new TopicSpec(control(), 1, (short) -1, retention(DELETE, Duration.ofDays(7))),
                new TopicSpec(registry(), 1, (short) -1, Map.of("cleanup.policy", COMPACT, "segment.ms", "600000")),
                new TopicSpec(events(), 3, (short) -1, retention(DELETE, Duration.ofDays(7))),
                new TopicSpec(metrics(), 6, (short) -1, retention(DELETE, Duration.ofDays(1))),
                new TopicSpec(windows(), 3, (short) -1, retention(DELETE, Duration.ofDays(1))),
                new TopicSpec(results(), 3, (short) -1, Map.of("cleanup.policy", COMPACT)),
                new TopicSpec(
                        clock(),
                        1,
                        (short) -1,
                        Map.of(
                                "cleanup.policy",
                                DELETE,
                                "retention.ms",
                                Long.toString(Duration.ofHours(1).toMillis()),
                                "message.timestamp.type",
                                "LogAppendTime")));
    }

    private static Map<String, String> retention(String policy, Duration retention) {
        return Map.of("cleanup.policy", policy, "retention.ms", Long.toString(retention.toMillis()));
    }
}
