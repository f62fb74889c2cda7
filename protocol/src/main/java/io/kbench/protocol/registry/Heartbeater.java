package io.kbench.protocol.registry;

import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.MemberHeartbeat;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a member's {@link MemberHeartbeat} to the compacted registry topic every interval, keyed by member
 * id, and a tombstone on {@link #close()} so a clean exit removes the member at once. A member that dies
 * without a tombstone drops out when its heartbeat grows old ({@link RegistryView#live}).
 */
public final class Heartbeater implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(Heartbeater.class);

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final String memberId;
    private final Supplier<MemberHeartbeat> heartbeat;
    private final MessageCodec codec;
    private final ScheduledExecutorService scheduler;
    private volatile long lastSentAt;

    public Heartbeater(
            Producer<String, byte[]> producer,
            String registryTopic,
            String memberId,
            Supplier<MemberHeartbeat> heartbeat,
            Duration interval,
            MessageCodec codec) {
        this.producer = producer;
        this.topic = registryTopic;
        this.memberId = memberId;
        this.heartbeat = heartbeat;
        this.codec = codec;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "kbench-heartbeat-" + memberId);
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleAtFixedRate(this::beat, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Epoch ms of the last heartbeat the broker acknowledged, 0 before the first. */
    public long lastSentAt() {
        return lastSentAt;
    }

    /** Sends a heartbeat now, off the caller's thread: a member whose health changed says so at once. */
    public void beatNow() {
        try {
            scheduler.execute(this::beat);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: the tombstone has the last word
        }
    }

    private void beat() {
        try {
            MemberHeartbeat body = heartbeat.get();
            producer.send(new ProducerRecord<>(topic, memberId, codec.encode(null, body, null)), (meta, error) -> {
                if (error == null) {
                    lastSentAt = codec.clock().millis();
                } else {
                    LOGGER.warn("heartbeat of {} failed: {}", memberId, error.toString());
                }
            });
        } catch (RuntimeException e) {
            // A heartbeat must never kill its scheduler: the next one tries again.
            LOGGER.warn("heartbeat of {} failed: {}", memberId, e.toString());
        }
    }

    /** Stops heartbeating and removes the member with a tombstone. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(topic, memberId, null)).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOGGER.warn("tombstone of {} was not acknowledged: {}", memberId, e.toString());
        }
    }
}
