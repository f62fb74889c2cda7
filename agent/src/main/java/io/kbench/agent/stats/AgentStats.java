package io.kbench.agent.stats;

import io.kbench.protocol.message.AgentRole;
import io.kbench.protocol.message.LatencyKind;
import io.kbench.protocol.message.StatsReport;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live figures of one agent: cumulative counters and one HdrHistogram recorder per latency kind, all in
 * microseconds.
 *
 * <p>Threads: a producer's latencies and success counters are written only by its producer's I/O thread (Kafka
 * completes successful sends there), a consumer's only by its poll thread, so a single-writer {@link
 * LatencyRecorder} (all kinds under one phaser, no atomic increments per value) is exact. Errors can come from the sending thread and
 * the I/O thread, so they use {@link LongAdder}s. {@link IntervalCutter} reads everything from the stats
 * thread.
 */
public final class AgentStats {

    private final AgentRole role;
    /**
     * A producer's three latency kinds (in this order) or a consumer's end-to-end latency, corrected for the hosts'
     * clock offsets and raw, under one phaser.
     */
    private final LatencyRecorder latencies;

    /**
     * Acknowledged sends by the phase of their <em>intended</em> send time: [0] before the measurement, [1] in it. A
     * warm-up message the broker acknowledges after the measurement began belongs to the warm-up, so a measured rate
     * is the messages intended inside the measurement over its length (counted at their ack, never twice).
     */
    private final SingleWriterCounter[] messagesSent = {new SingleWriterCounter(), new SingleWriterCounter()};

    private final SingleWriterCounter[] bytesSent = {new SingleWriterCounter(), new SingleWriterCounter()};
    /** The measurement's start as a {@code nanoTime} reading; until a StartRun says, every send is before it. */
    private volatile long measureAtNanos = Long.MAX_VALUE;

    private final SingleWriterCounter messagesReceived = new SingleWriterCounter();
    private final SingleWriterCounter bytesReceived = new SingleWriterCounter();
    private final SingleWriterCounter negativeEndToEnd = new SingleWriterCounter();
    private final ConcurrentHashMap<String, LongAdder> errorsByType = new ConcurrentHashMap<>();
    private volatile boolean closing;

    public AgentStats(AgentRole role) {
        this.role = role;
        this.latencies = role == AgentRole.PRODUCER
                // A send made on time (every send of an unthrottled producer) is one value: recorded once.
                ? LatencyRecorder.onTime(
                        LatencyKind.PUBLISH_LATENCY, LatencyKind.PUBLISH_DELAY, LatencyKind.INTENDED_LATENCY)
                // Corrected and raw end-to-end are the same wherever no clock correction applies: paired.
                : LatencyRecorder.paired(LatencyKind.END_TO_END_LATENCY, LatencyKind.END_TO_END_RAW);
    }

    public AgentRole role() {
        return role;
    }

    /**
     * A send was acknowledged. Called on the producer's I/O thread only; all times are {@code nanoTime} readings.
     *
     * @param intendedNanos when the rate limiter meant the message to be sent
     * @param sendNanos when {@code send} was actually called
     * @param ackNanos when the acknowledgement arrived
     */
    public void recordAck(int bytes, long intendedNanos, long sendNanos, long ackNanos) {
        int phase = intendedNanos < measureAtNanos ? 0 : 1;
        messagesSent[phase].add(1);
        bytesSent[phase].add(bytes);
        long latency = micros(ackNanos - sendNanos);
        long delay = micros(sendNanos - intendedNanos);
        long intended = micros(ackNanos - intendedNanos);
        if (delay == 0 && intended == latency) {
            latencies.recordOnTime(latency); // the same counts in all three kinds, one histogram value
        } else {
            latencies.record(latency, delay, intended);
        }
    }

    /**
     * A send failed; counted by the exception's simple class name, or as {@link StatsReport#UNACKED_AT_STOP} once the
     * producer is closing (Kafka aborts what is still unacknowledged when the close's grace ends). Any thread.
     */
    public void recordSendError(Throwable error) {
        String type = closing ? StatsReport.UNACKED_AT_STOP : error.getClass().getSimpleName();
        errorsByType.computeIfAbsent(type, t -> new LongAdder()).increment();
    }

    /** The producer is closing at its stop: failures from now on are sends left unacknowledged, not errors. */
    public void closing() {
        closing = true;
    }

    /**
     * A message was consumed; called on the consumer's poll thread only.
     *
     * @param endToEndMicros consume time minus the produce time, with no clock correction (corrected and raw are
     *     the same); a negative value (the producer's clock ahead of this one) is counted as clock skew and
     *     recorded as 0
     */
    public void recordReceived(int bytes, long endToEndMicros) {
        messagesReceived.add(1);
        bytesReceived.add(bytes);
        if (endToEndMicros < 0) {
            negativeEndToEnd.add(1);
        }
        latencies.recordBoth(Math.max(endToEndMicros, 0));
    }

    /**
     * A poll's messages were consumed, {@code timed} of them with an end-to-end latency: the first {@code timed}
     * values of {@code endToEndMicros} (corrected for the hosts' clock offsets) and of {@code rawMicros} (as the
     * clocks said), pairwise. Negative corrected values are counted as clock skew; negative values of either are
     * recorded as 0 (the arrays are changed). All samples go into the histograms in one critical section. Poll
     * thread only.
     */
    public void recordReceived(int messages, long bytes, long[] endToEndMicros, long[] rawMicros, int timed) {
        messagesReceived.add(messages);
        bytesReceived.add(bytes);
        int negative = 0;
        for (int i = 0; i < timed; i++) {
            if (endToEndMicros[i] < 0) {
                negative++;
                endToEndMicros[i] = 0;
            }
            if (rawMicros[i] < 0) {
                rawMicros[i] = 0;
            }
        }
        if (negative > 0) {
            negativeEndToEnd.add(negative);
        }
        latencies.record(endToEndMicros, rawMicros, timed);
    }

    /** A message with neither a send stamp nor a record timestamp: counted, no latency. */
    public void recordReceivedUntimed(int bytes) {
        messagesReceived.add(1);
        bytesReceived.add(bytes);
    }

    private static long micros(long nanos) {
        return nanos <= 0 ? 0 : nanos / 1_000L;
    }

    LatencyRecorder latencies() {
        return latencies;
    }

    /** Sets when the measurement starts (a {@code nanoTime} reading), from the run's schedule. */
    public void measureAt(long nanoTime) {
        measureAtNanos = nanoTime;
    }

    /** Acknowledged sends intended in the measurement ({@code measured}) or before it. */
    long messagesSent(boolean measured) {
        return messagesSent[measured ? 1 : 0].get();
    }

    long bytesSent(boolean measured) {
        return bytesSent[measured ? 1 : 0].get();
    }

    long messagesReceived() {
        return messagesReceived.get();
    }

    long bytesReceived() {
        return bytesReceived.get();
    }

    long negativeEndToEnd() {
        return negativeEndToEnd.get();
    }

    /** Cumulative errors by type, sorted by name. */
    Map<String, Long> errorsByType() {
        Map<String, Long> copy = new TreeMap<>();
        errorsByType.forEach((type, count) -> copy.put(type, count.sum()));
        return copy;
    }
}
