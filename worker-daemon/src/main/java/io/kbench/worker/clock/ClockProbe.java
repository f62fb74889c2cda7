package io.kbench.worker.clock;

import io.kbench.protocol.KafkaClients;
import io.kbench.protocol.message.ClockOffset;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Estimates this host's clock offset against the control cluster, at start and then every {@link #PERIOD}: it
 * sends {@link #PROBES} empty records one at a time to {@code <p>.clock} (a {@code LogAppendTime} topic), notes
 * its own clock around each acknowledgement and reads the broker's append time from it ({@link OffsetEstimate}).
 * Its own producer sends each probe at once ({@code linger.ms=0}, {@code acks=1}), so a round trip is one request.
 *
 * <p>The probe's own timestamp is 0: on a topic that is not {@code LogAppendTime} the broker keeps it and the
 * acknowledgement says 0, which is how a wrongly configured topic is told apart (said once, in the log; the
 * offset then stays unknown and nothing is corrected).
 */
public final class ClockProbe implements AutoCloseable {

    public static final int PROBES = 16;
    public static final Duration PERIOD = Duration.ofSeconds(60);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOGGER = LoggerFactory.getLogger(ClockProbe.class);

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final String workerId;
    private final long skewMicros;
    private final Clock wallClock;
    private final Thread thread;
    private volatile ClockOffset current;
    private volatile boolean closed;
    private boolean warned;

    /**
     * @param skew added to this host's clock readings (the worker's {@code --clock-skew-ms}, for tests)
     */
    public ClockProbe(
            String bootstrap, Map<String, String> clientConfig, String topic, String workerId, Duration skew) {
        Map<String, Object> config = KafkaClients.base(bootstrap, clientConfig);
        config.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        config.put(ProducerConfig.ACKS_CONFIG, "1");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "kbench-clock-" + workerId);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.workerId = workerId;
        this.skewMicros = skew.toNanos() / 1_000L;
        this.wallClock = Clock.systemUTC();
        this.thread = new Thread(this::run, "kbench-clock-probe");
        this.thread.setDaemon(true);
    }

    /** Starts probing in the background: the first estimate comes within a second or so. */
    public ClockProbe start() {
        thread.start();
        return this;
    }

    /** The latest estimate; empty before the first, or while the clock topic is unusable. */
    public Optional<ClockOffset> current() {
        return Optional.ofNullable(current);
    }

    /** One round of probes, now; empty when the topic is unusable. Public for tests. */
    public Optional<ClockOffset> estimate() throws InterruptedException {
        List<OffsetEstimate.Probe> probes = new ArrayList<>(PROBES);
        for (int i = 0; i < PROBES && !closed; i++) {
            long sent = nowMicros();
            RecordMetadata ack;
            try {
                ack = producer.send(new ProducerRecord<>(topic, null, 0L, workerId, new byte[0]))
                        .get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
                warnOnce("clock probes to " + topic + " fail (" + rootCause(e)
                        + "); end-to-end latency is not corrected for this host's clock");
                return Optional.empty();
            }
            long acked = nowMicros();
            if (ack.timestamp() <= 0) {
                warnOnce("topic " + topic + " keeps the producer's timestamps: set message.timestamp.type="
                        + "LogAppendTime on it; end-to-end latency is not corrected for this host's clock");
                return Optional.empty();
            }
            probes.add(new OffsetEstimate.Probe(sent, acked, ack.timestamp()));
        }
        return OffsetEstimate.of(probes, wallClock.millis());
    }

    private void run() {
        while (!closed) {
            try {
                Optional<ClockOffset> estimate = estimate();
                estimate.ifPresent(this::publish);
                Thread.sleep(PERIOD.toMillis());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOGGER.warn("clock probe failed: {}", e.toString());
            }
        }
    }

    private void publish(ClockOffset estimate) {
        ClockOffset before = current;
        current = estimate;
        if (before == null
                || Math.abs(estimate.offsetMicros() - before.offsetMicros())
                        > estimate.uncertaintyMicros() + before.uncertaintyMicros()) {
            LOGGER.info(
                    "clock offset of this host against the cluster: {} ({} probes on {})",
                    estimate.describe(),
                    PROBES,
                    topic);
        }
    }

    private void warnOnce(String message) {
        if (!warned) {
            warned = true;
            LOGGER.warn(message);
        }
    }

    private long nowMicros() {
        Instant now = wallClock.instant();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000L + skewMicros;
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        producer.close(Duration.ofSeconds(2));
    }
}
