package io.kbench.agent.stats;

import io.kbench.protocol.histogram.HistogramCodec;
import io.kbench.protocol.message.AgentRole;
import io.kbench.protocol.message.LatencyKind;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * The live figures of one agent: cumulative counters and one HdrHistogram recorder per latency kind, all in
 * microseconds.
 *
 * <p>Threads: a producer's latencies and success counters are written only by its producer's I/O thread (Kafka
 * completes successful sends there), a consumer's only by its poll thread, so {@link SingleWriterRecorder} (the
 * {@code Recorder} variant without atomic increments) is exact. Errors can come from the sending thread and
 * the I/O thread, so they use {@link LongAdder}s. {@link IntervalCutter} reads everything from the stats
 * thread.
 */
public final class AgentStats {

    private final AgentRole role;
    private final Map<LatencyKind, SingleWriterRecorder> recorders = new EnumMap<>(LatencyKind.class);
    private final SingleWriterRecorder publishLatency;
    private final SingleWriterRecorder publishDelay;
    private final SingleWriterRecorder intendedLatency;
    private final SingleWriterRecorder endToEnd;

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

    public AgentStats(AgentRole role) {
        this.role = role;
        if (role == AgentRole.PRODUCER) {
            publishLatency = register(LatencyKind.PUBLISH_LATENCY);
            publishDelay = register(LatencyKind.PUBLISH_DELAY);
            intendedLatency = register(LatencyKind.INTENDED_LATENCY);
            endToEnd = null;
        } else {
            publishLatency = null;
            publishDelay = null;
            intendedLatency = null;
            endToEnd = register(LatencyKind.END_TO_END_LATENCY);
        }
    }

    private SingleWriterRecorder register(LatencyKind kind) {
        SingleWriterRecorder recorder = new SingleWriterRecorder(HistogramCodec.SIGNIFICANT_DIGITS);
        recorders.put(kind, recorder);
        return recorder;
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
        publishLatency.recordValue(micros(ackNanos - sendNanos));
        publishDelay.recordValue(micros(sendNanos - intendedNanos));
        intendedLatency.recordValue(micros(ackNanos - intendedNanos));
    }

    /** A send failed; counted by the exception's simple class name. Any thread. */
    public void recordSendError(Throwable error) {
        errorsByType
                .computeIfAbsent(error.getClass().getSimpleName(), type -> new LongAdder())
                .increment();
    }

    /**
     * A message was consumed; called on the consumer's poll thread only.
     *
     * @param endToEndMicros consume time minus the produce time from the header; a negative value (the producer's
     *     clock ahead of this one) is counted as clock skew and recorded as 0
     */
    public void recordReceived(int bytes, long endToEndMicros) {
        messagesReceived.add(1);
        bytesReceived.add(bytes);
        if (endToEndMicros < 0) {
            negativeEndToEnd.add(1);
            endToEnd.recordValue(0);
        } else {
            endToEnd.recordValue(endToEndMicros);
        }
    }

    /** A message without kbench's timestamp header (written by someone else): counted, no latency. */
    public void recordReceivedUntimed(int bytes) {
        messagesReceived.add(1);
        bytesReceived.add(bytes);
    }

    private static long micros(long nanos) {
        return nanos <= 0 ? 0 : nanos / 1_000L;
    }

    Map<LatencyKind, SingleWriterRecorder> recorders() {
        return recorders;
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
