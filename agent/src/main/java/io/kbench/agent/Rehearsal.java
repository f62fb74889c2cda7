package io.kbench.agent;

import io.kbench.agent.launch.LaunchDecoder;
import io.kbench.agent.launch.LaunchValidator;
import io.kbench.agent.produce.PayloadPool;
import io.kbench.agent.stats.CpuMeter;
import io.kbench.protocol.AgentIo;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.AgentLaunch;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A warm agent JVM's rehearsal ({@link AgentIo#WARM_PROPERTY}): while it waits for its launch line, it goes through
 * an agent's start-up on the {@link AgentIo#controlRehearsal} launch its daemon wrote first — the line decoded and
 * validated, a producer, a consumer and the metrics producer created, then connected to the control cluster up to
 * ready: the producer has the metrics topic's metadata, the consumer has joined a group of its own and looked up
 * its offsets (fetching paused, nothing committed) — then the load clients closed; the metrics producer is kept for
 * the run ({@link KeptControlProducer}). Nothing is sent and no event written.
 *
 * <p>The run that takes the JVM over finds that client code run once already. Against a real broker, a producer's
 * metadata and a consumer's group join cost ~0.4-0.6 s of CPU the first time in a JVM (its classes initialised, its
 * code interpreted) and ~0.05-0.25 s the second (bench/README.md §4g); with 14 agent JVMs starting on 2 cores, that
 * first time was most of the wait for them to be ready. A rehearsal that fails or is cut short (the launch came
 * first) is logged and changes nothing else: the run's start-up does the rest.
 */
final class Rehearsal {

    private static final Logger LOGGER = LoggerFactory.getLogger(Rehearsal.class);

    /** How long a rehearsal waits for its clients to be ready before it gives up and closes them. */
    static final Duration LIMIT = Duration.ofSeconds(30);

    private final Thread thread;
    private boolean ended;
    private AgentHost host;
    /** The rehearsal's metrics producer, once it is over, for the run ({@link KeptControlProducer}). */
    private KeptControlProducer kept;

    private Rehearsal(MessageCodec codec, String line) {
        this.thread = new Thread(() -> run(codec, line), "kbench-agent-rehearsal");
        // A daemon thread: the JVM can still exit at once while it runs (stdin ended: the daemon is gone).
        thread.setDaemon(true);
    }

    /** Whether {@code line} (a warm JVM's first line on stdin) is a rehearsal's launch rather than a run's. */
    static boolean isRehearsal(String line) {
        return AgentIo.REHEARSAL.equals(LaunchDecoder.identity(line).runId());
    }

    /** Rehearses {@code line}, a {@link AgentIo#controlRehearsal} launch, on a thread of its own. */
    static Rehearsal start(MessageCodec codec, String line) {
        Rehearsal rehearsal = new Rehearsal(codec, line);
        rehearsal.thread.start();
        return rehearsal;
    }

    /**
     * Cuts the rehearsal short if it is still going and waits until its clients are closed: the run's start-up does
     * the same work, after it and not beside it.
     *
     * @return the rehearsal's metrics producer, when the metrics topic answered it; the caller owns it
     */
    Optional<KeptControlProducer> end() {
        AgentHost running;
        synchronized (this) {
            ended = true;
            running = host;
        }
        if (running != null) {
            running.endRehearsal();
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            return Optional.ofNullable(kept);
        }
    }

    private void run(MessageCodec codec, String line) {
        CpuMeter cpu = new CpuMeter();
        long cpuBefore = cpu.processCpuNanos();
        long startedAt = System.nanoTime();
        try {
            AgentLaunch launch = new LaunchDecoder(codec).decode(line);
            Map<String, PayloadPool> payloads =
                    LaunchValidator.validate(launch, codec.clock().millis());
            PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
            AgentHost created =
                    AgentHost.create(launch, payloads, new EventWriter(nowhere, nowhere, codec), codec, LIMIT);
            synchronized (this) {
                if (ended) {
                    created.closeUnstarted();
                    return;
                }
                host = created;
            }
            String notReady = created.rehearse(LIMIT);
            synchronized (this) {
                host = null; // closed: nothing left for end() to cut short
                kept = created.keptControlProducer().orElse(null);
            }
            long ms = (System.nanoTime() - startedAt) / 1_000_000;
            if (notReady.isEmpty()) {
                LOGGER.info(
                        "warm agent JVM: start-up rehearsed on control cluster {} in {} ms ({} ms of CPU since the"
                                + " JVM's start), waiting for a run; its metrics producer is kept for it",
                        launch.controlBootstrap(),
                        ms,
                        cpu.processCpuNanos() / 1_000_000);
            } else {
                LOGGER.info(
                        "warm agent JVM: rehearsal on control cluster {} ended after {} ms with {} not ready; the"
                                + " run's start-up does the rest",
                        launch.controlBootstrap(),
                        ms,
                        notReady);
            }
        } catch (RuntimeException e) {
            LOGGER.warn(
                    "warm agent JVM: the rehearsal failed after {} ms of CPU, the run's start-up does its work: {}",
                    (cpu.processCpuNanos() - cpuBefore) / 1_000_000,
                    e.toString());
        }
    }
}
