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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A warm agent JVM's rehearsal ({@link AgentIo#WARM_PROPERTY}): before it waits for its launch line, it goes
 * through an agent's start-up on {@link AgentIo#rehearsal} — the launch line encoded and decoded, validated, a
 * producer, a consumer and the metrics producer created on a local port nothing listens on, then closed — without
 * connecting anywhere or writing an event. The run that takes the JVM over then finds those classes initialised and
 * that code interpreted or compiled already: creating the clients took ~1 s of CPU the first time in a JVM and
 * ~0.1 s the second (bench/README.md §4f). A rehearsal that fails is logged and changes nothing else: the run's
 * start-up does the work then.
 */
final class Rehearsal {

    private static final Logger LOGGER = LoggerFactory.getLogger(Rehearsal.class);

    /** A rehearsal's own deadline: it never runs, so only the validation reads it. */
    private static final Duration DEADLINE = Duration.ofMinutes(1);

    private Rehearsal() {}

    /** Rehearses on a daemon thread of its own, so the JVM can still exit while it runs. */
    static Thread start(MessageCodec codec) {
        Thread thread = new Thread(() -> run(codec), "kbench-agent-rehearsal");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    static void run(MessageCodec codec) {
        CpuMeter cpu = new CpuMeter();
        long cpuBefore = cpu.processCpuNanos();
        long startedAt = System.nanoTime();
        try {
            AgentLaunch launch = AgentIo.rehearsal(
                    "warm", AgentIo.closedLocalPort(), codec.clock().millis() + DEADLINE.toMillis());
            AgentLaunch decoded =
                    new LaunchDecoder(codec).decode(codec.encodeLine(codec.envelope(AgentIo.REHEARSAL, launch, null)));
            Map<String, PayloadPool> payloads =
                    LaunchValidator.validate(decoded, codec.clock().millis());
            PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
            AgentHost host = AgentHost.create(
                    decoded, payloads, new EventWriter(nowhere, nowhere, codec), codec, Duration.ofSeconds(1));
            host.closeUnstarted();
            LOGGER.info(
                    "warm agent JVM: start-up rehearsed in {} ms ({} ms of CPU since the JVM's start), waiting for a run",
                    (System.nanoTime() - startedAt) / 1_000_000,
                    cpu.processCpuNanos() / 1_000_000);
        } catch (RuntimeException e) {
            LOGGER.warn(
                    "warm agent JVM: the rehearsal failed after {} ms of CPU, the run's start-up does its work: {}",
                    (cpu.processCpuNanos() - cpuBefore) / 1_000_000,
                    e.toString());
        }
    }
}
