package io.kbench.protocol.registry;

import io.kbench.protocol.Decoded;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.MemberHeartbeat;
import io.kbench.protocol.message.MemberRole;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The registry's members as of a read to the end of the compacted registry topic. A tombstone removes a
 * member. By the age of its last heartbeat, counted in its own heartbeat intervals (at least 1 s), a member is
 * {@link Presence#LIVE} up to {@value #LIVE_INTERVALS} intervals, {@link Presence#STALE} up to
 * {@value #GONE_INTERVALS}, then {@link Presence#GONE}: a member killed without its tombstone leaves the listing
 * after that many missed heartbeats (20 s at the default 2 s). Only live, healthy workers are planned onto.
 */
public final class RegistryView {

    /** Heartbeat intervals within which a member is live. */
    public static final int LIVE_INTERVALS = 3;

    /** Heartbeat intervals after which a member without a tombstone is taken as gone. */
    public static final int GONE_INTERVALS = 10;

    /** How recent a member's last heartbeat is. */
    public enum Presence {
        /** Heartbeat within {@value RegistryView#LIVE_INTERVALS} intervals. */
        LIVE,
        /** Missed a few heartbeats: not planned onto, still listed. */
        STALE,
        /** Missed {@value RegistryView#GONE_INTERVALS} heartbeats: dead; no longer listed. */
        GONE
    }

    /** A member's last heartbeat and when it was sent. */
    public record Member(MemberHeartbeat heartbeat, long sentAt) {
        public long ageMs(long now) {
            return Math.max(0, now - sentAt);
        }

        public long intervalMs() {
            return Math.max(heartbeat.heartbeatIntervalMs(), 1000);
        }

        public Presence presence(long now) {
            long age = ageMs(now);
            if (age <= LIVE_INTERVALS * intervalMs()) {
                return Presence.LIVE;
            }
            return age <= GONE_INTERVALS * intervalMs() ? Presence.STALE : Presence.GONE;
        }

        /** Live and saying it works: the only members a run may be planned onto. */
        public boolean usable(long now) {
            return presence(now) == Presence.LIVE && heartbeat.health().isHealthy();
        }

        public String id() {
            return heartbeat.memberId();
        }
    }

    private final Map<String, Member> members;

    private RegistryView(Map<String, Member> members) {
        this.members = Map.copyOf(members);
    }

    /** A view of the given members (the last of each id wins), for tests and callers that read on their own. */
    public static RegistryView of(Collection<Member> members) {
        Map<String, Member> byId = new HashMap<>();
        members.forEach(m -> byId.put(m.id(), m));
        return new RegistryView(byId);
    }

    /**
     * Reads the registry topic from its beginning to its current end with an unsubscribed (assigned) consumer.
     */
    public static RegistryView read(
            Consumer<String, byte[]> consumer, String topic, MessageCodec codec, Duration timeout) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        Map<String, Member> members = new HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!reachedEnd(consumer, end) && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                apply(members, record, codec);
            }
        }
        return new RegistryView(members);
    }

    /** Applies one registry record to a member map (a tombstone removes; a bad record is ignored). */
    public static void apply(Map<String, Member> members, ConsumerRecord<String, byte[]> record, MessageCodec codec) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            members.remove(record.key());
            return;
        }
        if (codec.decode(record.value()) instanceof Decoded.Ok ok && ok.message() instanceof MemberHeartbeat beat) {
            members.put(record.key(), new Member(beat, ok.envelope().sentAt()));
        }
    }

    public Collection<Member> all() {
        return members.values();
    }

    /** Members of a role whose heartbeat is fresh at {@code now} (healthy or not), sorted by id. */
    public List<Member> live(MemberRole role, long now) {
        return members.values().stream()
                .filter(m -> m.heartbeat().role() == role && m.presence(now) == Presence.LIVE)
                .sorted(Comparator.comparing(Member::id))
                .toList();
    }

    /** Live members of a role that report themselves healthy, sorted by id. */
    public List<Member> usable(MemberRole role, long now) {
        return live(role, now).stream().filter(m -> m.usable(now)).toList();
    }

    /** Members not yet gone at {@code now}, by role then id: what {@code kbench workers} lists. */
    public List<Member> listed(long now) {
        return members.values().stream()
                .filter(m -> m.presence(now) != Presence.GONE)
                .sorted(Comparator.comparing((Member m) -> m.heartbeat().role()).thenComparing(Member::id))
                .toList();
    }

    /** Members that missed {@value #GONE_INTERVALS} heartbeats without leaving a tombstone. */
    public List<Member> gone(long now) {
        return members.values().stream()
                .filter(m -> m.presence(now) == Presence.GONE)
                .sorted(Comparator.comparing(Member::id))
                .toList();
    }

    public Set<String> ids() {
        return members.keySet();
    }

    private static boolean reachedEnd(Consumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
