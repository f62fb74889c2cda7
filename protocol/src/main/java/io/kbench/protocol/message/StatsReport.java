package io.kbench.protocol.message;

import java.util.Map;

/**
 * One agent's figures for one interval. Counters are deltas for the interval; histograms are interval
 * histograms in microseconds, HdrHistogram compressed and base64 encoded, keyed by {@link LatencyKind}.
 *
 * @param seq 0, 1, 2… per agent, so a reader can tell a duplicate or a gap
 * @param negativeEndToEnd end-to-end samples below zero (clock skew), recorded as 0
 * @param cpuNanos process CPU time spent in the interval, divided among the agents of the JVM
 * @param last true for the agent's final report
 * @param stop why the agent stopped; set on the last report only ({@code null} from agents before it existed)
 * @param stopDetail a one-line detail of {@code stop} (the StopRun's reason, the failure), or {@code null}
 * @param sentOutsidePhase acks in this interval of messages intended in another phase: warm-up messages acknowledged
 *     after the measurement began. A producer counts a message in the phase of its <em>intended</em> send time, so
 *     a measured rate is the messages intended inside the measurement over its length; these still count toward
 *     the backlog ({@code messagesSent} and {@code bytesSent} hold only this phase's messages)
 * @param compileMillis time the agent's JVM's JIT compilers spent compiling in the interval (ms, summed over the
 *     compiler threads, as {@code CompilationMXBean} counts it). Unlike {@code cpuNanos} it is not divided: every agent
 *     of a JVM reports its JVM's, so an average over agents is the share of time their JVMs compiled. 0 from agents
 *     before it existed (boxed so that their reports, which lack it, still decode). A measurement during which agents still compile measures code that is still warming up
 * @param gcMillis time the agent's JVM spent in garbage collections in the interval (ms, as its {@code
 *     GarbageCollectorMXBean}s count it: with kbench's default serial collector, pauses), not divided among the agents
 *     of the JVM, like {@code compileMillis}; 0 from agents before it existed. While its JVM pauses an agent neither
 *     sends nor reads, so its latencies include the load generator's own pauses
 * @param gcCount garbage collections of the agent's JVM in the interval (with {@code gcMillis}: how long each was);
 *     0 from agents before it existed
 */
public record StatsReport(
        String agentId,
        String workerId,
        AgentRole role,
        Phase phase,
        long seq,
        long intervalStartMs,
        long intervalEndMs,
        long messagesSent,
        long bytesSent,
        long sendErrors,
        Map<String, Long> errorsByType,
        long messagesReceived,
        long bytesReceived,
        long negativeEndToEnd,
        long cpuNanos,
        long heapUsedBytes,
        Map<LatencyKind, String> histograms,
        boolean last,
        AgentStop stop,
        String stopDetail,
        long sentOutsidePhase,
        Long compileMillis,
        Long gcMillis,
        Long gcCount)
        implements Message {
    /**
     * The {@code errorsByType} key of sends still unacknowledged when a producer closed at its stop (Kafka aborts them
     * once the close's grace is over). They are not failures of the cluster under test: {@code sendErrors} leaves
     * them out, they count neither as sent nor as failed, and the run's summary notes how many there were.
     */
    public static final String UNACKED_AT_STOP = "UnackedAtStop";

    public StatsReport {
        errorsByType = errorsByType == null ? Map.of() : Map.copyOf(errorsByType);
        histograms = histograms == null ? Map.of() : Map.copyOf(histograms);
        compileMillis = compileMillis == null ? 0L : compileMillis;
        gcMillis = gcMillis == null ? 0L : gcMillis;
        gcCount = gcCount == null ? 0L : gcCount;
    }
}
