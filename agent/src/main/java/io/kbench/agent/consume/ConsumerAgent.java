package io.kbench.agent.consume;

import io.kbench.agent.produce.SendStamp;
import io.kbench.agent.run.HeapHeadroom;
import io.kbench.agent.run.LoadAgent;
import io.kbench.agent.stats.MicroClock;
import io.kbench.protocol.message.ClockOffset;
import io.kbench.protocol.message.ConsumerTask;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer agent: joins its subscription's group, polls from the moment it is assigned until it stops, and
 * records end-to-end latency from the send time the producer wrote into the payload ({@link SendStamp}, µs), or —
 * for a record without a plausible stamp (written by someone else, or a payload under 8 bytes) — from the record
 * timestamp in ms, as OMB does; such records are counted and logged. With {@code enable.auto.commit=false} in
 * the driver's settings it commits asynchronously after every poll, as OMB's Kafka driver does.
 *
 * <p>Backlog mode pauses and resumes fetching with {@code KafkaConsumer.pause/resume}; the poll loop keeps
 * running (no sleep), so the consumer keeps its group membership. While it reads a backlog (more than {@value
 * #BEHIND_RECORDS} records waiting on the broker for it, until it is within {@value #CAUGHT_UP_RECORDS}) its JVM's
 * heap may grow roomily ({@link HeapHeadroom}), so that the drain rate is Kafka's and not its collector's.
 */
public final class ConsumerAgent extends LoadAgent<ConsumerTask> {

    private static final Logger LOGGER = LoggerFactory.getLogger(ConsumerAgent.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);

    /**
     * Records waiting on the broker for this consumer (its lag, over its partitions) from which it reads a backlog:
     * twenty full polls at the default {@code max.poll.records}, far above what a consumer that keeps up at any rate
     * has outstanding between two fetches (a few hundred to a few thousand records).
     */
    public static final long BEHIND_RECORDS = 10_000;

    /** The lag under which a consumer that was reading a backlog has caught up (hysteresis: no flapping). */
    public static final long CAUGHT_UP_RECORDS = 1_000;

    /** How often the run loop looks at its lag: locally cached figures, but not every poll's business. */
    private static final long LAG_CHECK_NANOS = 100_000_000L;

    private static final String READING_BACKLOG = "a consumer reading a backlog";

    /** How often a consumer that holds more than its share asks to rejoin while its group fills in. */
    static final Duration REJOIN_INTERVAL = Duration.ofMillis(200);

    /**
     * How long a consumer that holds more than its share waits for its group to fill in before it is ready anyway
     * (a member that never joins: the run's own ready wait and agent failures decide what happens to the run).
     */
    public static final Duration FILL_IN_WAIT = Duration.ofSeconds(10);

    private final Consumer<byte[], byte[]> consumer;
    private final MicroClock clock;
    private final Duration metadataTimeout;
    private final Duration assignmentTimeout;
    private final Duration fillInWait;
    private final boolean autoCommit;
    /** Whether the group uses the classic protocol, in which a member can ask to rejoin ({@code enforceRebalance}). */
    private final boolean classicProtocol;

    private volatile boolean pauseRequested;
    private boolean paused;
    private boolean assigned;
    /** Partitions were revoked or lost and no assignment has followed yet: a rebalance is under way. */
    private boolean rebalancing;
    /** A poll's end-to-end samples, reused: all of a poll's samples are recorded at once. */
    private long[] endToEnd = new long[512];
    /** The same samples as the hosts' clocks said them, before the clock-offset correction. */
    private long[] endToEndRaw = new long[512];
    /** Records whose end-to-end latency came from the record timestamp (ms), not a send stamp (µs). */
    private volatile long unstamped;

    /**
     * Creates the Kafka consumer (no connection yet).
     *
     * @throws KafkaException when the client settings are invalid
     */
    public ConsumerAgent(
            ConsumerTask task,
            MicroClock clock,
            Duration metadataTimeout,
            Duration assignmentTimeout,
            Duration fillInWait,
            Duration closeTimeout) {
        super(task, closeTimeout);
        this.clock = clock;
        this.metadataTimeout = metadataTimeout;
        this.assignmentTimeout = assignmentTimeout;
        this.fillInWait = fillInWait;
        Map<String, Object> config = clientConfig(task);
        this.autoCommit = Boolean.parseBoolean(
                String.valueOf(config.getOrDefault(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true")));
        this.classicProtocol = !"consumer"
                .equalsIgnoreCase(String.valueOf(config.getOrDefault(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic"))
                        .strip());
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    static Map<String, Object> clientConfig(ConsumerTask task) {
        Map<String, Object> config = new HashMap<>(task.clientConfig());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, task.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, task.subscription());
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "kbench-" + task.agentId());
        return config;
    }

    /** Stops fetching (backlog build); the consumer stays in its group. */
    public void pause() {
        pauseRequested = true;
    }

    /** Fetches again (backlog drain). */
    public void resume() {
        pauseRequested = false;
    }

    @Override
    protected void connect() {
        int share = 0;
        for (String topic : task.topics()) {
            waitingFor("metadata for topic '" + topic + "' from bootstrap.servers=" + task.bootstrapServers());
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, metadataTimeout);
            if (partitions == null || partitions.isEmpty()) {
                throw new IllegalStateException("topic '" + topic + "' does not exist on " + task.bootstrapServers());
            }
            share += fairShare(partitions.size(), task.groupMembers());
        }
        markMetadataReady();
        waitingFor("partitions of " + task.topics() + " in group '" + task.subscription() + "'");
        consumer.subscribe(task.topics(), new Listener());
        long deadline = System.nanoTime() + assignmentTimeout.toNanos();
        while (!assigned && !stopRequested()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no partition assignment in group '" + task.subscription() + "' within "
                        + assignmentTimeout.toMillis() + " ms");
            }
            pollOnce();
        }
        if (classicProtocol && task.groupMembers() > 1) {
            awaitFilledIn(share);
        }
        LOGGER.info(
                "consumer ready agent={} group={} assignment={}",
                agentId(),
                task.subscription(),
                consumer.assignment());
    }

    /**
     * The most partitions of a topic one member of a full group holds, whichever of Kafka's assignors the group
     * uses: {@code ceil(partitions / members)}; all of them when the group's size is not known.
     */
    static int fairShare(int partitions, int members) {
        return members <= 1 ? partitions : (partitions + members - 1) / members;
    }

    /**
     * Waits until this consumer holds no more than {@code share} partitions: its group has filled in. A consumer
     * that joins first may be given every partition while the others are still starting; with the classic
     * protocol the members learn that a later one joined only at their next heartbeat ({@code
     * heartbeat.interval.ms}, 3 s by default), so this one asks to rejoin every {@link #REJOIN_INTERVAL} instead,
     * which completes the rebalance the later members started (and changes nothing when none has). After {@code
     * fillInWait} it stops asking and is ready with what it holds once no rebalance is under way.
     */
    private void awaitFilledIn(int share) {
        long since = System.nanoTime();
        long lastRejoin = since;
        boolean logged = false;
        while (!stopRequested()) {
            int held = consumer.assignment().size();
            if (!rebalancing && held <= share) {
                return;
            }
            long now = System.nanoTime();
            if (!logged) {
                logged = true;
                LOGGER.info(
                        "consumer agent={} holds {} partitions, more than its share {} of a group of {}: rejoining"
                                + " every {} ms until the group has filled in",
                        agentId(),
                        held,
                        share,
                        task.groupMembers(),
                        REJOIN_INTERVAL.toMillis());
                waitingFor("the other " + (task.groupMembers() - 1) + " members of group '" + task.subscription()
                        + "' (holds " + held + " partitions, its share is " + share + ")");
            }
            boolean waitedOut = now - since >= fillInWait.toNanos();
            if (waitedOut && !rebalancing) {
                LOGGER.warn(
                        "consumer agent={} group={} still holds {} partitions, more than its share {} of a group of {},"
                                + " after {} ms: ready with them",
                        agentId(),
                        task.subscription(),
                        held,
                        share,
                        task.groupMembers(),
                        fillInWait.toMillis());
                return;
            }
            if (!waitedOut && !rebalancing && now - lastRejoin >= REJOIN_INTERVAL.toNanos()) {
                consumer.enforceRebalance("kbench: holds " + held + " partitions, more than its share " + share
                        + " of a group of " + task.groupMembers());
                lastRejoin = now;
            }
            pollOnce();
        }
    }

    @Override
    protected void runLoad() {
        long nextLagCheck = System.nanoTime();
        boolean roomy = false; // whether it holds its JVM's heap headroom: it reads a backlog
        try {
            while (!stopRequested()) {
                pollOnce();
                long now = System.nanoTime();
                if (now - nextLagCheck >= 0) {
                    nextLagCheck = now + LAG_CHECK_NANOS;
                    boolean behind = readsBacklog(roomy, paused ? -1 : lag());
                    roomy = HeapHeadroom.change(roomy, behind, READING_BACKLOG);
                }
            }
        } finally {
            HeapHeadroom.change(roomy, false, READING_BACKLOG);
        }
    }

    /**
     * Whether a consumer with this lag reads a backlog: from {@link #BEHIND_RECORDS} on, and until it is within
     * {@link #CAUGHT_UP_RECORDS} once it was.
     *
     * @param lag records waiting on the broker for it; -1 when not known or not reading (paused: a backlog being
     *     built is not being read)
     */
    static boolean readsBacklog(boolean was, long lag) {
        return lag >= (was ? CAUGHT_UP_RECORDS : BEHIND_RECORDS);
    }

    /**
     * Records waiting on the broker for this consumer, over its partitions, from the client's cached end offsets
     * (no request); -1 when no partition's lag is known yet.
     */
    private long lag() {
        long total = -1;
        for (TopicPartition partition : consumer.assignment()) {
            OptionalLong lag = consumer.currentLag(partition);
            if (lag.isPresent()) {
                total = Math.max(total, 0) + lag.getAsLong();
            }
        }
        return total;
    }

    private void pollOnce() {
        boolean wantPaused = pauseRequested;
        if (wantPaused != paused) {
            if (wantPaused) {
                consumer.pause(consumer.assignment());
            } else {
                consumer.resume(consumer.paused());
            }
            paused = wantPaused;
            LOGGER.info("consumer {} agent={}", paused ? "paused" : "resumed", agentId());
        }
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL_TIMEOUT);
        if (records.isEmpty()) {
            return;
        }
        if (endToEnd.length < records.count()) {
            endToEnd = new long[Math.max(records.count(), endToEnd.length * 2)];
            endToEndRaw = new long[endToEnd.length];
        }
        ClockOffset offset = clock.offset();
        // The poll hands all its records over at this instant: one clock read for all of them. Reading the clock per
        // record would add this loop's own time over the earlier records to the later ones' latency, and cost a
        // clock read per record.
        long receivedMicros = clock.nowMicros();
        int messages = 0;
        int timed = 0;
        long bytes = 0;
        long fromTimestamp = 0;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            byte[] value = record.value();
            messages++;
            bytes += value == null ? 0 : value.length;
            long sentMicros = SendStamp.read(value, record.timestamp(), record.timestampType());
            long correction = 0;
            if (sentMicros == SendStamp.NONE) {
                if (record.timestamp() >= 0) {
                    sentMicros = record.timestamp() * 1_000L;
                    fromTimestamp++;
                }
            } else {
                correction = SendStamp.correction(value, offset);
            }
            if (sentMicros != SendStamp.NONE) {
                long raw = receivedMicros - sentMicros;
                endToEndRaw[timed] = raw;
                endToEnd[timed++] = raw + correction;
            }
        }
        stats.recordReceived(messages, bytes, endToEnd, endToEndRaw, timed);
        if (fromTimestamp > 0) {
            if (unstamped == 0) {
                LOGGER.warn(
                        "records without a kbench send stamp (foreign records, or payloads under {} bytes): their"
                                + " end-to-end latency comes from the record timestamp, in ms; agent={}",
                        SendStamp.BYTES,
                        agentId());
            }
            unstamped += fromTimestamp;
        }
        if (!autoCommit) {
            consumer.commitAsync();
        }
    }

    @Override
    protected void onStopRequested(Thread agentThread) {
        consumer.wakeup();
    }

    @Override
    protected void closeClient(Duration timeout) {
        if (unstamped > 0) {
            LOGGER.info(
                    "consumer agent={} end-to-end from record timestamps (ms) for {} records", agentId(), unstamped);
        }
        consumer.close(CloseOptions.timeout(timeout));
    }

    /** Readiness means assigned with known positions; partitions assigned while paused stay paused. */
    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            for (TopicPartition partition : partitions) {
                consumer.position(partition);
            }
            if (paused) {
                consumer.pause(partitions);
            }
            rebalancing = false;
            if (!assigned) {
                assigned = true;
                if (partitions.isEmpty()) {
                    LOGGER.warn(
                            "consumer joined with no partitions (more consumers than partitions?) agent={}", agentId());
                }
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Offsets are committed by Kafka (auto commit) or after every poll; a rebalance is under way.
            rebalancing = assigned;
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            rebalancing = assigned;
        }
    }
}
