package io.kbench.agent;

import io.kbench.agent.consume.ConsumerAgent;
import io.kbench.agent.launch.BadTaskException;
import io.kbench.agent.launch.LaunchValidator;
import io.kbench.agent.produce.KeyDistributor;
import io.kbench.agent.produce.PayloadPool;
import io.kbench.agent.produce.ProducerAgent;
import io.kbench.agent.run.LoadAgent;
import io.kbench.agent.run.RunPhases;
import io.kbench.agent.stats.CpuMeter;
import io.kbench.agent.stats.IntervalCutter;
import io.kbench.agent.stats.MetricsPublisher;
import io.kbench.agent.stats.MicroClock;
import io.kbench.agent.stats.StatsLoop;
import io.kbench.agent.stats.StopCause;
import io.kbench.protocol.AgentIo;
import io.kbench.protocol.KafkaClients;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.AgentLaunch;
import io.kbench.protocol.message.AgentStop;
import io.kbench.protocol.message.AgentTask;
import io.kbench.protocol.message.ConsumerTask;
import io.kbench.protocol.message.ProducerTask;
import io.kbench.protocol.topic.KbenchTopics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the agents of one JVM through their life: connect and report ready, start at the barrier, report stats,
 * stop (by schedule, deadline, {@code StopRun}, end of stdin or SIGTERM) with a last report, and give the exit
 * code. Commands arrive through {@link Commands} from the stdin thread; the life itself runs in {@link #run()}.
 */
final class AgentHost {

    private static final Logger LOGGER = LoggerFactory.getLogger(AgentHost.class);

    /**
     * Unreachable clusters must show within ~30 s of an agent asking, not Kafka's default 60 s per call: the default of the metadata wait, which
     * the daemon sets ({@link AgentIo#METADATA_TIMEOUT_PROPERTY}) and which counts for each agent from when its
     * thread first asks.
     */
    static final Duration METADATA_TIMEOUT = Duration.ofMillis(AgentIo.DEFAULT_METADATA_TIMEOUT_MS);
    /** The control producer's max.block.ms (15 s, see KafkaClients) plus a margin; from the check's first try. */
    static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(16);
    /** How often the waits for metadata look at agents whose thread has not had its first turn yet. */
    private static final long WAIT_STEP_MS = 100;
    /** Group joins of many consumers can take a while on a real cluster. */
    static final Duration ASSIGNMENT_TIMEOUT = Duration.ofSeconds(60);
    /** Stopping must end the JVM within 2 s of the end of stdin: agents close in parallel within this. */
    static final Duration AGENT_CLOSE_TIMEOUT = Duration.ofMillis(800);

    static final Duration METRICS_CLOSE_TIMEOUT = Duration.ofMillis(600);

    private final AgentLaunch launch;
    private final EventWriter events;
    private final Clock clock;
    private final MicroClock micro;
    private final RunPhases phases;
    private final List<LoadAgent<?>> agents;
    private final MetricsPublisher metrics;
    /** The producer {@link #metrics} sends with (a {@link KeptControlProducer}'s, or made for this launch). */
    private final Producer<String, byte[]> controlProducer;
    /** Whether {@link #metrics} sends with the producer a warm JVM's rehearsal kept. */
    private final boolean rehearsalProducer;
    /** After a {@link #rehearse} whose metrics topic answered: its producer, for the run. */
    private KeptControlProducer kept;

    private final CpuMeter cpu;
    private final CompletableFuture<Void> controlReady = new CompletableFuture<>();
    private final Duration metadataTimeout;
    /** {@link System#nanoTime()} when the control cluster check began; 0 until then. */
    private volatile long controlCheckSince;

    private final StatsLoop statsLoop;
    private final Commands commands;
    private final Object monitor = new Object();
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Why the agents stop; the first cause wins, and every last report carries it. Guarded by monitor. */
    private StopCause stopCause;

    private AgentHost(
            AgentLaunch launch,
            EventWriter events,
            Clock clock,
            MicroClock micro,
            List<LoadAgent<?>> agents,
            Producer<String, byte[]> controlProducer,
            boolean rehearsalProducer,
            MetricsPublisher metrics,
            Duration metadataTimeout) {
        this.launch = launch;
        this.metadataTimeout = metadataTimeout;
        this.events = events;
        this.clock = clock;
        this.micro = micro;
        this.phases = new RunPhases(launch.deadlineAt());
        this.agents = List.copyOf(agents);
        this.controlProducer = controlProducer;
        this.rehearsalProducer = rehearsalProducer;
        this.metrics = metrics;
        this.cpu = new CpuMeter();
        long now = clock.millis();
        List<IntervalCutter> cutters = agents.stream()
                .map(agent -> new IntervalCutter(
                        agent.agentId(),
                        launch.workerId(),
                        agent.stats(),
                        cpu,
                        agents.size(),
                        agent.task().statsIntervalMs(),
                        now,
                        phases.phaseAt(now)))
                .toList();
        this.statsLoop = new StatsLoop(cutters, phases, this::publish, clock);
        this.commands = new Commands(this, launch, phases, micro, statsLoop);
    }

    /**
     * Creates every client (none connects yet).
     *
     * @param metadataTimeout how long each agent waits for its topics' metadata, from when it first asks
     * @throws BadTaskException when a client rejects its settings; clients already made are closed
     */
    static AgentHost create(
            AgentLaunch launch,
            Map<String, PayloadPool> payloads,
            EventWriter events,
            MessageCodec codec,
            Duration metadataTimeout) {
        return create(launch, payloads, events, codec, metadataTimeout, Optional.empty());
    }

    /**
     * As {@link #create(AgentLaunch, Map, EventWriter, MessageCodec, Duration)}, with the metrics producer a warm
     * JVM's rehearsal kept, when it serves this launch (it is closed when it does not).
     */
    static AgentHost create(
            AgentLaunch launch,
            Map<String, PayloadPool> payloads,
            EventWriter events,
            MessageCodec codec,
            Duration metadataTimeout,
            Optional<KeptControlProducer> kept) {
        MicroClock micro =
                MicroClock.calibrated().skewed(launch.clockSkewMicros()).withOffset(launch.clock());
        List<LoadAgent<?>> agents = new ArrayList<>();
        Producer<String, byte[]> control = null;
        if (kept.isPresent()) {
            if (kept.get().serves(launch)) {
                control = kept.get().producer();
            } else {
                kept.get().close();
            }
        }
        boolean rehearsalProducer = control != null;
        try {
            for (int i = 0; i < launch.tasks().size(); i++) {
                agents.add(newAgent(launch.tasks().get(i), i, payloads, micro, metadataTimeout));
            }
            if (control == null) {
                control = KafkaClients.controlProducer(launch.controlBootstrap(), launch.controlClientConfig());
            }
        } catch (KafkaException e) {
            agents.forEach(LoadAgent::closeIfNeverStarted);
            if (control != null) {
                control.close(Duration.ZERO);
            }
            String which = agents.size() == launch.tasks().size()
                    ? "controlBootstrap/controlClientConfig"
                    : "tasks[" + agents.size() + "] ("
                            + launch.tasks().get(agents.size()).agentId() + ") bootstrapServers/clientConfig";
            throw new BadTaskException("invalid task: " + which + ": " + rootMessage(e), e);
        }
        MetricsPublisher metrics =
                new MetricsPublisher(control, new KbenchTopics(launch.topicPrefix()).metrics(), launch.runId(), codec);
        return new AgentHost(
                launch, events, codec.clock(), micro, agents, control, rehearsalProducer, metrics, metadataTimeout);
    }

    private static LoadAgent<?> newAgent(
            AgentTask task, int index, Map<String, PayloadPool> payloads, MicroClock micro, Duration metadataTimeout) {
        if (task instanceof ProducerTask producer) {
            KeyDistributor keys =
                    KeyDistributor.of(producer.keyDistributor(), LaunchValidator.seed(task, index), System::nanoTime);
            return new ProducerAgent(producer, payloads.get(task.agentId()), keys, micro, AGENT_CLOSE_TIMEOUT);
        }
        return new ConsumerAgent(
                (ConsumerTask) task,
                micro,
                metadataTimeout,
                ASSIGNMENT_TIMEOUT,
                ConsumerAgent.FILL_IN_WAIT,
                AGENT_CLOSE_TIMEOUT);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.getMessage() : e.getMessage() + " (" + root.getMessage() + ")";
    }

    /**
     * A warm JVM's {@link Rehearsal}, instead of {@link #run}: starts every agent (consumers paused, so they fetch
     * nothing) and checks the metrics topic, waits until all are ready, {@code limit} passes or {@link
     * #endRehearsal} is called, then closes the agents' clients, and the metrics producer unless the metrics topic
     * answered it ({@link #keptControlProducer}). Nothing is sent: no {@code StartRun} ever starts the producers, no
     * event is written and no report published.
     *
     * @return the agents (and the metrics topic) that were not ready, empty when everything was
     */
    String rehearse(Duration limit) {
        for (LoadAgent<?> agent : agents) {
            if (agent instanceof ConsumerAgent consumer) {
                consumer.pause();
            }
            agent.ready().whenComplete((ok, error) -> poke());
            agent.start();
        }
        checkControlCluster(limit, "kbench-rehearsal-control");
        waitFor(
                () -> controlReady.isDone()
                        && agents.stream().allMatch(a -> a.ready().isDone()),
                clock.millis() + limit.toMillis());
        List<String> notReady = new ArrayList<>();
        for (LoadAgent<?> agent : agents) {
            if (!agent.ready().isDone() || agent.ready().isCompletedExceptionally()) {
                notReady.add(agent.agentId() + " (waiting for " + agent.waitingFor() + ")");
            }
        }
        if (!controlReady.isDone() || controlReady.isCompletedExceptionally()) {
            notReady.add("metrics topic '" + metrics.topic() + "'");
        }
        stopAgents();
        if (controlReady.isDone() && !controlReady.isCompletedExceptionally()) {
            kept = new KeptControlProducer(launch.controlBootstrap(), launch.controlClientConfig(), controlProducer);
        } else {
            metrics.close(Duration.ZERO);
        }
        return String.join("; ", notReady);
    }

    /** Whether this host's metrics producer is the one a warm JVM's rehearsal kept ({@link KeptControlProducer}). */
    boolean usesRehearsalProducer() {
        return rehearsalProducer;
    }

    /** After {@link #rehearse}: its metrics producer when the metrics topic answered, for the caller to own. */
    Optional<KeptControlProducer> keptControlProducer() {
        return Optional.ofNullable(kept);
    }

    /** Cuts a {@link #rehearse} short: the run's launch has come. Any thread. */
    void endRehearsal() {
        requestStop(new StopCause(AgentStop.RUN_STOPPED, "the run's launch arrived"));
    }

    /** Closes the clients {@link #create} made, for a host that never ran (a warm JVM's {@link Rehearsal}). */
    void closeUnstarted() {
        agents.forEach(LoadAgent::closeIfNeverStarted);
        metrics.close(Duration.ZERO);
    }

    Commands commands() {
        return commands;
    }

    List<LoadAgent<?>> agents() {
        return agents;
    }

    /** The agent JVM's life; returns its exit code once everything is stopped and reported. */
    int run() {
        long startedAt = clock.millis();
        long cpuAtStart = cpu.processCpuNanos();
        for (LoadAgent<?> agent : agents) {
            agent.failure().thenAccept(this::fail);
            CompletableFuture.allOf(controlReady, agent.ready()).thenRun(() -> {
                events.ready(launch.runId(), launch.workerId(), agent.agentId());
                poke();
            });
            agent.metadataReady().whenComplete((ok, error) -> poke());
            agent.start();
        }
        controlReady.whenComplete((ok, error) -> {
            if (error != null) {
                fail("cannot publish stats: metrics topic '" + metrics.topic() + "' on control cluster "
                        + launch.controlBootstrap() + ": " + error.getClass().getSimpleName() + ": "
                        + error.getMessage());
            }
        });
        checkControlCluster(controlLimit(), "kbench-control-check");

        Outcome metadata =
                waitFor(() -> agents.stream().allMatch(a -> a.metadataReady().isDone()), () -> agents.stream()
                        .filter(a -> !a.metadataReady().isDone())
                        .anyMatch(a -> a.connectingForMs() >= metadataTimeout.toMillis()));
        if (metadata == Outcome.TIMED_OUT) {
            fail(notReady(a -> !a.metadataReady().isDone(), metadataTimeout)
                    + ": is the cluster under test reachable, and does the topic exist?");
        }
        long controlLimitMs = controlLimit().toMillis();
        if (waitFor(controlReady::isDone, () -> sinceMs(controlCheckSince) >= controlLimitMs) == Outcome.TIMED_OUT) {
            fail("no metadata for metrics topic '" + metrics.topic() + "' on control cluster "
                    + launch.controlBootstrap() + " after " + controlLimitMs + " ms");
        }
        Outcome ready = waitFor(
                () -> agents.stream().allMatch(a -> a.ready().isDone()),
                clock.millis() + ASSIGNMENT_TIMEOUT.toMillis());
        if (ready == Outcome.TIMED_OUT) {
            fail(notReady(a -> !a.ready().isDone(), ASSIGNMENT_TIMEOUT));
        } else if (ready == Outcome.RUN_OVER) {
            fail(notReady(a -> !a.ready().isDone(), Duration.ofMillis(clock.millis() - startedAt))
                    + ", when the run's end passed");
        }
        if (!stopRequested()) {
            long cpuNow = cpu.processCpuNanos();
            LOGGER.info(
                    "agents ready run={} agents={} in {} ms ({} ms of CPU; {} ms since the JVM's start)",
                    launch.runId(),
                    agents.size(),
                    clock.millis() - startedAt,
                    (cpuNow - cpuAtStart) / 1_000_000,
                    cpuNow / 1_000_000);
            statsLoop.start();
            if (waitFor(() -> false, Long.MAX_VALUE) == Outcome.RUN_OVER) {
                requestStop(phases.stopAtCause());
            }
        }
        return stop();
    }

    private enum Outcome {
        DONE,
        STOPPED,
        TIMED_OUT,
        /** The schedule's stop time (end of measurement or deadline) passed. */
        RUN_OVER
    }

    /**
     * Waits for {@code done}, a stop request, {@code untilMs} or the run's stop time, whichever comes first. The
     * stop time is re-read on every wake-up: a {@code StartRun} moves it.
     */
    private Outcome waitFor(BooleanSupplier done, long untilMs) {
        synchronized (monitor) {
            while (true) {
                if (stopCause != null) {
                    return Outcome.STOPPED;
                }
                if (done.getAsBoolean()) {
                    return Outcome.DONE;
                }
                long now = clock.millis();
                long stopAt = phases.stopAt();
                if (now >= stopAt) {
                    return Outcome.RUN_OVER;
                }
                if (now >= untilMs) {
                    return Outcome.TIMED_OUT;
                }
                try {
                    monitor.wait(Math.max(Math.min(untilMs, stopAt) - now, 1));
                } catch (InterruptedException e) {
                    // Nothing interrupts the life thread by design: if something does, the run did not end as planned.
                    Thread.currentThread().interrupt();
                    stopCause = StopCause.failed("the agent host thread was interrupted");
                    LOGGER.error(
                            "stopping run={} stop={} detail={}", launch.runId(), stopCause.kind(), stopCause.detail());
                }
            }
        }
    }

    /**
     * {@link #waitFor(BooleanSupplier, long)} until {@code expired} says a wait that counts from each waiter's own
     * first try has run out, looked at on every wake-up and at least every {@value #WAIT_STEP_MS} ms.
     */
    private Outcome waitFor(BooleanSupplier done, BooleanSupplier expired) {
        while (true) {
            Outcome outcome = waitFor(done, clock.millis() + WAIT_STEP_MS);
            if (outcome != Outcome.TIMED_OUT) {
                return outcome;
            }
            if (expired.getAsBoolean()) {
                return Outcome.TIMED_OUT;
            }
        }
    }

    /** Milliseconds since a {@link System#nanoTime()} reading; -1 for 0 (not yet). */
    private static long sinceMs(long nanoTime) {
        return nanoTime == 0 ? -1 : (System.nanoTime() - nanoTime) / 1_000_000L;
    }

    private String notReady(java.util.function.Predicate<LoadAgent<?>> pending, Duration after) {
        return agents.stream()
                        .filter(pending)
                        .map(a -> a.agentId() + " (" + a.role().name().toLowerCase() + ") still waiting for "
                                + a.waitingFor())
                        .collect(Collectors.joining("; "))
                + " after " + after.toMillis() + " ms";
    }

    /** How long the control cluster's metadata may take, from the check's first try: the metadata wait's rule. */
    private Duration controlLimit() {
        return Duration.ofMillis(Math.max(CONTROL_TIMEOUT.toMillis(), metadataTimeout.toMillis() + 1_000));
    }

    /**
     * Checks on a daemon thread of its own that the metrics topic answers within {@code limit}; {@link
     * #controlReady} says how it went (what is registered on it runs before the life thread is woken).
     */
    private void checkControlCluster(Duration limit, String threadName) {
        Thread check = new Thread(
                () -> {
                    long now = System.nanoTime();
                    controlCheckSince = now == 0 ? 1 : now;
                    try {
                        metrics.checkReachable(limit);
                        controlReady.complete(null);
                    } catch (RuntimeException e) {
                        controlReady.completeExceptionally(e);
                    }
                    poke();
                },
                threadName);
        check.setDaemon(true);
        check.start();
    }

    private void publish(io.kbench.protocol.message.StatsReport report) {
        if (controlReady.isDone() && !controlReady.isCompletedExceptionally()) {
            metrics.publish(report);
        }
    }

    /** Wakes the life thread to look at the state again. */
    void poke() {
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    /** Asks the life thread to stop; the first cause wins (a later one is logged and dropped). Any thread. */
    void requestStop(StopCause cause) {
        synchronized (monitor) {
            if (stopCause == null) {
                stopCause = cause;
                if (cause.kind() == AgentStop.FAILED) {
                    LOGGER.error("agent JVM failed run={} reason={}", launch.runId(), cause.detail());
                } else {
                    LOGGER.info("stopping run={} stop={} detail={}", launch.runId(), cause.kind(), cause.detail());
                }
            } else {
                // Debug only: the shutdown hook comes after every stop, and a failure's reason must stay the last
                // line on stderr (the AgentFailed contract).
                LOGGER.debug(
                        "already stopping run={} stop={} ignored={} detail={}",
                        launch.runId(),
                        stopCause.kind(),
                        cause.kind(),
                        cause.detail());
            }
            monitor.notifyAll();
        }
    }

    /**
     * A fatal problem: stop, and exit with {@link AgentIo#EXIT_FAILED} giving this reason — unless the agents were
     * already stopping for another cause, which then stands.
     */
    void fail(String reason) {
        requestStop(StopCause.failed(reason));
    }

    private boolean stopRequested() {
        synchronized (monitor) {
            return stopCause != null;
        }
    }

    /** Whether the agents are stopping (a stop was asked for, for whatever cause). Any thread. */
    boolean stopping() {
        return stopRequested();
    }

    /** Now on the clock the run's schedule is on (epoch ms). */
    long nowMs() {
        return clock.millis();
    }

    /** Waits until {@link #run} has stopped everything and sent the last reports (for the SIGTERM hook). */
    boolean awaitStopped(long timeoutMs) throws InterruptedException {
        return stopped.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Asks every agent to stop and waits, bounded by one close grace for all, until their clients are closed. */
    private void stopAgents() {
        agents.forEach(LoadAgent::requestStop);
        long closeBy = System.nanoTime() + AGENT_CLOSE_TIMEOUT.toNanos() + 200_000_000L;
        for (LoadAgent<?> agent : agents) {
            try {
                long leftMs = Math.max((closeBy - System.nanoTime()) / 1_000_000L, 0);
                if (!agent.awaitClosed(leftMs)) {
                    LOGGER.warn("agent did not close in time agent={}", agent.agentId());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private int stop() {
        stopAgents();
        StopCause cause;
        synchronized (monitor) {
            if (stopCause == null) {
                // run() only gets here once a stop was requested; should that ever break, the report says so.
                stopCause = StopCause.failed("stopped without a recorded cause");
            }
            cause = stopCause;
        }
        statsLoop.finish(cause);
        metrics.close(METRICS_CLOSE_TIMEOUT);
        boolean failed = cause.kind() == AgentStop.FAILED;
        int code = failed ? AgentIo.EXIT_FAILED : AgentIo.EXIT_OK;
        if (failed) {
            events.failed(
                    launch.runId(),
                    launch.workerId(),
                    agents.stream().map(LoadAgent::agentId).toList(),
                    code,
                    cause.detail());
        }
        stopped.countDown();
        return code;
    }
}
