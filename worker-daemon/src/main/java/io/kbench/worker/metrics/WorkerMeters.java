package io.kbench.worker.metrics;

import io.kbench.protocol.SkipReason;
import io.kbench.protocol.message.AssignmentRejected;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;

/**
 * Every meter of the worker daemon, with its name and tag keys in one place. Names are Micrometer's dotted
 * form; the Prometheus registry shows {@code kbench.worker.agents.spawned} as {@code
 * kbench_worker_agents_spawned_total}.
 */
public final class WorkerMeters {

    /** Gauge: agents (tasks) whose JVM is alive. Prometheus: {@code kbench_worker_agents_running}. */
    public static final String AGENTS_RUNNING = "kbench.worker.agents.running";
    /**
     * Gauge: warm agent JVMs waiting for the next run (booted while the daemon ran no agent). Prometheus: {@code
     * kbench_worker_agents_warm}.
     */
    public static final String AGENTS_WARM = "kbench.worker.agents.warm";
    /** Counter: agents started. Prometheus: {@code kbench_worker_agents_spawned_total}. */
    public static final String AGENTS_SPAWNED = "kbench.worker.agents.spawned";
    /** Counter: agents whose JVM exited non-zero. Prometheus: {@code kbench_worker_agents_failed_total}. */
    public static final String AGENTS_FAILED = "kbench.worker.agents.failed";
    /** Counter by {@link #TAG_REASON}. Prometheus: {@code kbench_worker_assignments_rejected_total}. */
    public static final String ASSIGNMENTS_REJECTED = "kbench.worker.assignments.rejected";
    /** Counter by {@link #TAG_REASON}. Prometheus: {@code kbench_worker_records_skipped_total}. */
    public static final String RECORDS_SKIPPED = "kbench.worker.records.skipped";
    /** Gauge: seconds since the last acknowledged heartbeat. Prometheus: {@code kbench_worker_heartbeat_age_seconds}. */
    public static final String HEARTBEAT_AGE = "kbench.worker.heartbeat.age.seconds";

    /** Tag: the worker id, on every meter. */
    public static final String TAG_WORKER = "worker";
    /** Tag: a rejection or skip reason in lower case ({@code over_capacity}, {@code corrupt}). */
    public static final String TAG_REASON = "reason";

    private final Counter spawned;
    private final Counter failed;
    private final Map<AssignmentRejected.Reason, Counter> rejected = new EnumMap<>(AssignmentRejected.Reason.class);
    private final Map<SkipReason, Counter> skipped = new EnumMap<>(SkipReason.class);

    /** Meters of a daemon that keeps no warm agent JVMs. */
    public WorkerMeters(
            MeterRegistry registry, String workerId, IntSupplier runningAgents, DoubleSupplier heartbeatAge) {
        this(registry, workerId, runningAgents, heartbeatAge, () -> 0);
    }

    public WorkerMeters(
            MeterRegistry registry,
            String workerId,
            IntSupplier runningAgents,
            DoubleSupplier heartbeatAge,
            IntSupplier warmAgents) {
        Tags worker = Tags.of(TAG_WORKER, workerId);
        // Micrometer holds a gauge's object weakly: a lambda nobody else references is collected and the gauge
        // turns NaN after the first GC. Strong references keep these for the daemon's life.
        Gauge.builder(AGENTS_RUNNING, runningAgents, s -> s.getAsInt())
                .strongReference(true)
                .description("agents whose JVM is alive")
                .tags(worker)
                .register(registry);
        Gauge.builder(AGENTS_WARM, warmAgents, s -> s.getAsInt())
                .strongReference(true)
                .description("warm agent JVMs waiting for the next run")
                .tags(worker)
                .register(registry);
        Gauge.builder(HEARTBEAT_AGE, heartbeatAge, DoubleSupplier::getAsDouble)
                .strongReference(true)
                .description("seconds since the registry acknowledged the last heartbeat")
                .tags(worker)
                .register(registry);
        spawned = Counter.builder(AGENTS_SPAWNED)
                .description("agents started")
                .tags(worker)
                .register(registry);
        failed = Counter.builder(AGENTS_FAILED)
                .description("agents whose JVM exited with a non-zero code")
                .tags(worker)
                .register(registry);
        // Registered up front so every reason shows as 0 before it first happens (alerts need the series).
        for (AssignmentRejected.Reason reason : AssignmentRejected.Reason.values()) {
            rejected.put(
                    reason,
                    Counter.builder(ASSIGNMENTS_REJECTED)
                            .description("assignments this daemon refused")
                            .tags(worker.and(TAG_REASON, reason.name().toLowerCase(Locale.ROOT)))
                            .register(registry));
        }
        for (SkipReason reason : SkipReason.values()) {
            skipped.put(
                    reason,
                    Counter.builder(RECORDS_SKIPPED)
                            .description("control records skipped unread or unverified")
                            .tags(worker.and(TAG_REASON, reason.label()))
                            .register(registry));
        }
    }

    public void agentsSpawned(int count) {
        spawned.increment(count);
    }

    public void agentsFailed(int count) {
        failed.increment(count);
    }

    public void assignmentRejected(AssignmentRejected.Reason reason) {
        rejected.get(reason).increment();
    }

    public void recordSkipped(SkipReason reason) {
        skipped.get(reason).increment();
    }

    public double skippedCount(SkipReason reason) {
        return skipped.get(reason).count();
    }

    public double rejectedCount(AssignmentRejected.Reason reason) {
        return rejected.get(reason).count();
    }

    public double spawnedCount() {
        return spawned.count();
    }

    public double failedCount() {
        return failed.count();
    }
}
