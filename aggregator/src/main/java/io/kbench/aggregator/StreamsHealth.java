package io.kbench.aggregator;

import io.kbench.protocol.message.MemberHealth;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * The aggregator's health as its heartbeat carries it, from Kafka Streams' state and its restorations: while
 * {@code REBALANCING} or restoring a store from its changelog, windows and results wait, and the heartbeat says
 * so ({@code RESTORING} wins over {@code REBALANCING}, as it is what takes the time); {@code ERROR} and a shutdown
 * are unhealthy. Each change runs {@code onChange} (a heartbeat at once, so the controller hears it).
 */
final class StreamsHealth implements StateRestoreListener {

    private final Clock clock;
    private final Runnable onChange;
    private final Set<TopicPartition> restoring = ConcurrentHashMap.newKeySet();
    private volatile KafkaStreams.State streams = KafkaStreams.State.CREATED;
    private volatile MemberHealth health;

    StreamsHealth(Clock clock, Runnable onChange) {
        this.clock = clock;
        this.onChange = onChange;
        this.health = new MemberHealth(MemberHealth.State.STARTING, "", clock.millis(), 0);
    }

    MemberHealth current() {
        return health;
    }

    void onStateChange(KafkaStreams.State next) {
        streams = next;
        update();
    }

    @Override
    public void onRestoreStart(TopicPartition partition, String store, long startOffset, long endOffset) {
        restoring.add(partition);
        update();
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {}

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
        restoring.remove(partition);
        update();
    }

    @Override
    public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
        restoring.remove(partition);
        update();
    }

    private synchronized void update() {
        MemberHealth.State state;
        String detail = "";
        switch (streams) {
            case RUNNING -> state = MemberHealth.State.HEALTHY;
            case CREATED -> state = MemberHealth.State.STARTING;
            case REBALANCING -> state = MemberHealth.State.REBALANCING;
            default -> {
                state = MemberHealth.State.UNHEALTHY;
                detail = "Kafka Streams " + streams;
            }
        }
        if (!restoring.isEmpty() && state != MemberHealth.State.UNHEALTHY) {
            state = MemberHealth.State.RESTORING;
            detail = restoring.size() + " changelog partition(s)";
        }
        if (state != health.state() || !detail.equals(health.detail())) {
            long since = state == health.state() ? health.since() : clock.millis();
            health = new MemberHealth(state, detail, since, 0);
            onChange.run();
        }
    }
}
