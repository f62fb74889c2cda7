package io.kbench.worker.control;

import io.kbench.protocol.security.ControlHistory;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the control topic on its own thread and hands each record to the {@link ControlRouter}.
 *
 * <p>It starts at the topic's end, so a (re)started daemon does not replay old runs, and it takes that position
 * before {@link #start} returns. With a secret, it first reads the records that may still be valid up to that end
 * and remembers their ids, so copies of them produced later are refused as replays. It positions itself by assigning the partitions itself instead of waiting for a group rebalance: a
 * record written after the daemon has started (after its first heartbeat) is never missed. The consumer group
 * only records progress, for lag monitoring.
 */
public final class ControlLoop implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(ControlLoop.class);
    private static final Duration POLL = Duration.ofMillis(500);

    /** A loop that has not come back to poll for this long is reported stuck (handling one record takes ms). */
    public static final Duration STALL = Duration.ofSeconds(30);

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final ControlRouter router;
    private final Clock clock;
    private final Thread thread;
    private volatile boolean closed;
    private volatile long lastPolledAt;
    private volatile String failure;

    public ControlLoop(
            Consumer<String, byte[]> consumer,
            String controlTopic,
            ControlRouter router,
            String workerId,
            Clock clock) {
        this.consumer = consumer;
        this.clock = clock;
        this.topic = controlTopic;
        this.router = router;
        this.thread = new Thread(this::run, "kbench-control-" + workerId);
        this.thread.setDaemon(true);
    }

    /** Positions the consumer at the current end of the control topic, then starts reading on its own thread. */
    public void start(Duration timeout) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException("control topic " + topic + " has no partitions (does it exist?)");
        }
        consumer.assign(partitions);
        Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, timeout));
        if (router.signed()) {
            // The topic is the durable memory of seen ids: a copy of any record on it, produced after this
            // (re)start, is a replay.
            ControlHistory.scan(consumer, partitions, end, router::remember, clock, timeout);
        } else {
            end.forEach(consumer::seek);
        }
        partitions.forEach(p -> LOGGER.info("reading {} from offset {}", p, consumer.position(p, timeout)));
        thread.start();
    }

    private void run() {
        try {
            while (!closed) {
                lastPolledAt = clock.millis();
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    router.onRecord(record.value());
                }
            }
        } catch (WakeupException e) {
            if (!closed) {
                failure = "woken up unexpectedly";
                LOGGER.error("control loop woken up unexpectedly", e);
            }
        } catch (RuntimeException e) {
            // The consumer itself failed (authorization, a fenced client): the daemon can no longer take orders.
            // The heartbeat now says so (health), so no run is planned onto this deaf worker.
            failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOGGER.error("control loop stopped: no more control records will be read", e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    public boolean isRunning() {
        return thread.isAlive();
    }

    /**
     * Why this loop is not taking orders at {@code now}, if it is not: its thread ended (with the error that ended
     * it), or it has not returned to poll for {@link #STALL} (stuck handling a record). Empty while it works.
     */
    public Optional<String> problem(long now) {
        if (closed || thread.getState() == Thread.State.NEW) {
            return Optional.empty();
        }
        if (!thread.isAlive()) {
            return Optional.of("control loop stopped: " + (failure == null ? "thread ended" : failure));
        }
        long since = now - lastPolledAt;
        if (lastPolledAt > 0 && since > STALL.toMillis()) {
            return Optional.of("control loop has not polled for " + since / 1000 + " s");
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        closed = true;
        if (!thread.isAlive() && thread.getState() == Thread.State.NEW) {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            return;
        }
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
