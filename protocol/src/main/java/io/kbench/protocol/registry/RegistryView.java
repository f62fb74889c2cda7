package io.kbench.protocol.registry;

import io.kbench.protocol.Decoded;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.MemberHeartbeat;
import io.kbench.protocol.message.MemberRole;
import java.time.Duration;
import java.util.ArrayList;
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
 * member; a member is live while its last heartbeat is younger than three of its intervals.
 */
public final class RegistryView {

    /** A member's last heartbeat and when it was sent. */
    public record Member(MemberHeartbeat heartbeat, long sentAt) {
        public long ageMs(long now) {
            return Math.max(0, now - sentAt);
        }
    }

    private final Map<String, Member> members;

    private RegistryView(Map<String, Member> members) {
        this.members = Map.copyOf(members);
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

    /** Members of a role whose heartbeat is fresh at {@code now}, sorted by id. */
    public List<Member> live(MemberRole role, long now) {
        List<Member> live = new ArrayList<>();
        for (Member member : members.values()) {
            long interval = Math.max(member.heartbeat().heartbeatIntervalMs(), 1000);
            if (member.heartbeat().role() == role && member.ageMs(now) <= 3 * interval) {
                live.add(member);
            }
        }
        live.sort(Comparator.comparing(m -> m.heartbeat().memberId()));
        return live;
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
