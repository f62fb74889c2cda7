package io.kbench.agent.stats;

import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.StatsReport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@link StatsReport}s to the metrics topic of the control cluster, keyed by run id so that one run's
 * reports stay in order on one partition. One per JVM, shared by its agents.
 *
 * <p>Nothing is dropped while the control cluster is away: a report carries deltas, so a lost one would be lost
 * from the run for good (a broker outage of 20 s made a producer wait for metadata longer than its
 * {@code max.block.ms} and left the run 614 messages short). Reports wait in a queue, oldest first, until the producer
 * takes them; one whose send fails later is queued again; the aggregator drops a report whose seq it has passed, so order matters. At most
 * {@value #MAX_KEPT} are kept; beyond that the oldest are dropped and counted.
 */
public final class MetricsPublisher implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(MetricsPublisher.class);

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final String runId;
    private final MessageCodec codec;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    /** Reports whose send failed, oldest first, sent again before the next report. */
    private final ConcurrentLinkedQueue<StatsReport> kept = new ConcurrentLinkedQueue<>();

    static final int MAX_KEPT = 10_000;

    /** The thread inside {@code producer.send}, so a callback can tell an immediate refusal from a later failure. */
    private volatile Thread sendingThread;

    private boolean refusedNow;

    public MetricsPublisher(Producer<String, byte[]> producer, String topic, String runId, MessageCodec codec) {
        this.producer = producer;
        this.topic = topic;
        this.runId = runId;
        this.codec = codec;
    }

    public String topic() {
        return topic;
    }

    /**
     * Fetches the metrics topic's metadata, so a wrong control cluster or a missing topic fails the agent before it
     * reports ready. Asks again after each of the producer's {@code max.block.ms} timeouts until {@code limit} has
     * passed since the first try: many agent JVMs starting at once on few cores get their first answer late (a
     * 15 s {@code max.block.ms} failed runs on a loaded 2-core host), and the agent's metadata wait, which this one
     * follows, is the daemon's to set.
     *
     * @throws org.apache.kafka.common.errors.TimeoutException the last one, once {@code limit} has passed
     */
    public void checkReachable(java.time.Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        List<PartitionInfo> partitions;
        while (true) {
            try {
                partitions = producer.partitionsFor(topic);
                break;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw e;
                }
                LOGGER.info("no metadata for metrics topic '{}' yet, asking again: {}", topic, e.getMessage());
            }
        }
        if (partitions == null || partitions.isEmpty()) {
            throw new IllegalStateException("metrics topic '" + topic + "' has no partitions");
        }
    }

    public synchronized void publish(StatsReport report) {
        keep(report);
        flush();
    }

    /** Sends the kept reports oldest first; stops at the first that cannot be handed to the producer. */
    private synchronized void flush() {
        for (StatsReport next = kept.peek(); next != null; next = kept.peek()) {
            if (!send(next)) {
                return; // the cluster is away: the rest wait for the next report, in order
            }
            kept.poll();
        }
    }

    /** Hands {@code report} to the producer; false when the producer refused it at once (for example no metadata). */
    private boolean send(StatsReport report) {
        byte[] value = codec.encode(runId, report, null);
        refusedNow = false;
        sendingThread = Thread.currentThread();
        try {
            producer.send(new ProducerRecord<>(topic, runId, value), (metadata, error) -> {
                if (error == null) {
                    return;
                }
                warnOnce(report, error);
                if (Thread.currentThread() == sendingThread) {
                    refusedNow = true; // failed inside send() (Kafka calls back at once): still at the queue's head
                } else {
                    keep(report); // failed later, on the I/O thread
                }
            });
        } catch (KafkaException e) {
            warnOnce(report, e);
            refusedNow = true;
        } finally {
            sendingThread = null;
        }
        return !refusedNow;
    }

    private void warnOnce(StatsReport report, Exception error) {
        if (failures.getAndIncrement() == 0) {
            // Logged once: a broken control cluster would otherwise log every second per agent.
            LOGGER.warn(
                    "cannot publish stats report topic={} agent={} error={}; kept to send again",
                    topic,
                    report.agentId(),
                    error.toString());
        }
    }

    private void keep(StatsReport report) {
        kept.add(report);
        while (kept.size() > MAX_KEPT && kept.poll() != null) {
            if (dropped.getAndIncrement() == 0) {
                LOGGER.warn(
                        "more than {} stats reports wait to be sent; dropping the oldest: the run's counts will"
                                + " be short",
                        MAX_KEPT);
            }
        }
    }

    /** Reports not yet sent again after a failed send. */
    public int pending() {
        return kept.size();
    }

    /** Reports dropped because more than {@value #MAX_KEPT} were waiting to be sent again. */
    public long dropped() {
        return dropped.get();
    }

    public long failures() {
        return failures.get();
    }

    /** Sends what is kept once more, waits up to {@code timeout} for every report to be acknowledged, then closes. */
    public void close(Duration timeout) {
        flush();
        producer.close(timeout);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(1));
    }
}
