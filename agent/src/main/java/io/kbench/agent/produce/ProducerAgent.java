package io.kbench.agent.produce;

import io.kbench.agent.run.HeapHeadroom;
import io.kbench.agent.run.LoadAgent;
import io.kbench.agent.stats.MicroClock;
import io.kbench.protocol.message.ProducerTask;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A producer agent: from the start instant it sends to its topic at its share of the run's rate (or as fast as
 * the producer's buffer allows when unthrottled), paced by a {@link UniformRateLimiter}.
 *
 * <p>Per message it allocates only what Kafka needs (the record and one callback); payloads and keys are reused,
 * the send time is written into the payload ({@link SendStamp}), and nothing is logged.
 */
public final class ProducerAgent extends LoadAgent<ProducerTask> {

    private static final Logger LOGGER = LoggerFactory.getLogger(ProducerAgent.class);

    /** Longest park while waiting for an intended time, so rate changes and stops are seen promptly. */
    private static final long MAX_PARK_NANOS = 10_000_000L;

    /** Starting this much after the start instant counts as a late start (see runLoad). */
    private static final long LATE_START_NANOS = 100_000_000L;

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final PayloadPool payloads;
    private final KeyDistributor keys;
    private final MicroClock clock;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile double ratePerSecond;
    private volatile long startNanos;
    private volatile long endNanos = Long.MAX_VALUE;

    /**
     * Creates the Kafka producer (no connection yet).
     *
     * @throws KafkaException when the client settings are invalid (e.g. an unresolvable bootstrap address)
     */
    public ProducerAgent(
            ProducerTask task, PayloadPool payloads, KeyDistributor keys, MicroClock clock, Duration closeTimeout) {
        super(task, closeTimeout);
        this.topic = task.topic();
        this.payloads = payloads;
        this.keys = keys;
        this.clock = clock;
        payloads.forEachPayload(payload -> SendStamp.writeClock(payload, clock.offset()));
        this.ratePerSecond = task.ratePerSecond();
        this.producer = new KafkaProducer<>(clientConfig(task), new ByteArraySerializer(), new ByteArraySerializer());
    }

    static Map<String, Object> clientConfig(ProducerTask task) {
        Map<String, Object> config = new HashMap<>(task.clientConfig());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, task.bootstrapServers());
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "kbench-" + task.agentId());
        return config;
    }

    /** Sets the instant (a {@code nanoTime} reading) the load starts at. Only the first call counts. */
    public void startAt(long nanoTime) {
        if (started.getCount() > 0) {
            startNanos = nanoTime;
            started.countDown();
        }
    }

    /**
     * Sets the instant (a {@code nanoTime} reading) of the schedule's end: no message intended at or after it is
     * sent. Stopping by schedule is then exact, not as late as the stop request reaching this thread.
     */
    public void endAt(long nanoTime) {
        endNanos = nanoTime;
    }

    /** This producer's rate in messages per second; {@code <= 0} is unthrottled. */
    public void setRate(double messagesPerSecond) {
        this.ratePerSecond = messagesPerSecond;
    }

    public double rate() {
        return ratePerSecond;
    }

    @Override
    protected void connect() {
        waitingFor("metadata for topic '" + topic + "' from bootstrap.servers=" + task.bootstrapServers());
        List<PartitionInfo> partitions = producer.partitionsFor(topic);
        if (partitions == null || partitions.isEmpty()) {
            throw new IllegalStateException("topic '" + topic + "' has no partitions");
        }
        LOGGER.info("producer ready agent={} topic={} partitions={}", agentId(), topic, partitions.size());
    }

    @Override
    protected void runLoad() throws InterruptedException {
        waitingFor("the start of the run (StartRun)");
        started.await();
        long start = startNanos;
        for (long now = System.nanoTime(); now < start && !stopRequested(); now = System.nanoTime()) {
            LockSupport.parkNanos(Math.min(start - now, MAX_PARK_NANOS));
        }
        double appliedRate = ratePerSecond;
        UniformRateLimiter limiter = new UniformRateLimiter(appliedRate);
        // The park above overshoots by microseconds to a few ms: the schedule still starts exactly at the start.
        // An agent that learns of the start much later begins now rather than owing a burst for the time missed.
        long late = System.nanoTime() - start;
        limiter.start(late > LATE_START_NANOS ? start + late : start);
        LOGGER.info("producer started agent={} rate={}", agentId(), appliedRate > 0 ? appliedRate : "unthrottled");
        boolean roomy = holdHeadroom(false, limiter.unthrottled());
        try {
            while (!stopRequested()) {
                double wantedRate = ratePerSecond;
                long now = System.nanoTime();
                if (wantedRate != appliedRate) {
                    limiter.setRate(wantedRate, now);
                    appliedRate = wantedRate;
                    roomy = holdHeadroom(roomy, limiter.unthrottled());
                }
                long intended = limiter.nextIntended(now);
                if (intended >= endNanos) {
                    // The schedule is over; the stop request follows.
                    LockSupport.parkNanos(MAX_PARK_NANOS);
                    continue;
                }
                if (now < intended) {
                    LockSupport.parkNanos(Math.min(intended - now, MAX_PARK_NANOS));
                    continue;
                }
                limiter.advance(intended);
                send(intended, now);
            }
        } finally {
            holdHeadroom(roomy, false);
        }
    }

    /**
     * Unthrottled, a producer keeps {@code buffer.memory} full and with it a large in-flight set: its JVM's heap then
     * grows roomily ({@link HeapHeadroom}), so that the collector does not set the producer's pace.
     *
     * @return whether this producer holds the headroom now
     */
    private static boolean holdHeadroom(boolean held, boolean wanted) {
        return HeapHeadroom.change(held, wanted, "an unthrottled producer");
    }

    private void send(long intendedNanos, long sendNanos) {
        byte[] value = payloads.next();
        // Safe to overwrite for every send: Kafka copies the value into its batch before send() returns.
        SendStamp.write(value, clock.epochMicros(sendNanos));
        try {
            producer.send(
                    new ProducerRecord<>(topic, keys.next(), value),
                    new SendCallback(stats, intendedNanos, sendNanos, value.length));
        } catch (InterruptException e) {
            if (!stopRequested()) {
                throw e;
            }
        } catch (KafkaException | IllegalStateException e) {
            // Errors Kafka throws instead of passing to the callback (serialization, a closed producer…).
            stats.recordSendError(e);
        }
    }

    @Override
    protected void onStopRequested(Thread agentThread) {
        // Unblocks a send waiting for buffer space (up to max.block.ms) and the waits before the start.
        agentThread.interrupt();
    }

    @Override
    protected void closeClient(Duration timeout) {
        // What Kafka aborts when the grace is over was left unacknowledged by the stop, not failed by the cluster.
        stats.closing();
        producer.close(timeout);
    }
}
