package io.kbench.agent;

import io.kbench.agent.launch.BadTaskException;
import io.kbench.agent.launch.LaunchDecoder;
import io.kbench.agent.launch.LaunchValidator;
import io.kbench.agent.produce.PayloadPool;
import io.kbench.agent.stats.CpuMeter;
import io.kbench.agent.stats.StopCause;
import io.kbench.protocol.AgentIo;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.AgentLaunch;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent JVM ({@link AgentIo#AGENT_MAIN_CLASS}), started by a worker daemon. Reads an {@code AgentLaunch} from
 * the first stdin line, then control envelopes; writes event lines to stdout and logs to stderr; exits with one
 * of {@link AgentIo}'s exit codes. See the module README for the whole contract.
 */
public final class AgentMain {

    private static final Logger LOGGER = LoggerFactory.getLogger(AgentMain.class);

    /** How long the SIGTERM hook waits for the last reports. */
    private static final long SHUTDOWN_WAIT_MS = 3_000;

    private AgentMain() {}

    public static void main(String[] args) {
        MessageCodec codec = new MessageCodec();
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        EventWriter events = new EventWriter(out, System.err, codec);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String first = readFirstLine(in);
        // A warm JVM's daemon writes a rehearsal first; the JVM rehearses it while it waits for its launch line.
        Optional<KeptControlProducer> kept = Optional.empty();
        if (first != null && Boolean.getBoolean(AgentIo.WARM_PROPERTY) && Rehearsal.isRehearsal(first)) {
            Rehearsal rehearsal = Rehearsal.start(codec, first);
            first = readFirstLine(in);
            if (first != null) {
                // The launch's start-up does the same work: after the rehearsal, not beside it. An end of stdin (the
                // daemon gone) does not wait for it.
                kept = rehearsal.end();
            }
        }
        CpuMeter cpu = new CpuMeter();
        long lineAt = System.nanoTime();
        long cpuAtLine = cpu.processCpuNanos();
        AgentHost host;
        try {
            AgentLaunch launch = new LaunchDecoder(codec).decode(first);
            Map<String, PayloadPool> payloads =
                    LaunchValidator.validate(launch, codec.clock().millis());
            host = AgentHost.create(
                    launch,
                    payloads,
                    events,
                    codec,
                    metadataTimeout(System.getProperty(AgentIo.METADATA_TIMEOUT_PROPERTY)),
                    kept);
            LOGGER.info(
                    "agent JVM launched run={} worker={} agents={}: launch line to clients created in {} ms ({} ms of"
                            + " CPU){}",
                    launch.runId(),
                    launch.workerId(),
                    launch.tasks().stream().map(t -> t.agentId()).toList(),
                    (System.nanoTime() - lineAt) / 1_000_000,
                    (cpu.processCpuNanos() - cpuAtLine) / 1_000_000,
                    host.usesRehearsalProducer() ? ", the metrics producer kept from the rehearsal" : "");
        } catch (BadTaskException e) {
            LaunchDecoder.Identity who = LaunchDecoder.identity(first);
            LOGGER.error("bad task: {}", e.getMessage());
            events.failed(who.runId(), who.workerId(), who.agentIds(), AgentIo.EXIT_BAD_TASK, e.getMessage());
            System.exit(AgentIo.EXIT_BAD_TASK);
            return;
        }

        AgentHost running = host;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopOnSignal(running), "kbench-agent-shutdown"));
        Thread life = new Thread(() -> System.exit(running.run()), "kbench-agent-host");
        life.start();
        running.commands().readUntilEnd(in, codec);
    }

    /**
     * The metadata wait the daemon set ({@link AgentIo#METADATA_TIMEOUT_PROPERTY}, milliseconds), else the default.
     *
     * @throws BadTaskException when it is not a whole number of milliseconds from 1 to 600,000
     */
    static Duration metadataTimeout(String property) {
        if (property == null) {
            return AgentHost.METADATA_TIMEOUT;
        }
        try {
            long ms = Long.parseLong(property.strip());
            if (ms >= 1 && ms <= 600_000) {
                return Duration.ofMillis(ms);
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw new BadTaskException("system property " + AgentIo.METADATA_TIMEOUT_PROPERTY
                + " must be milliseconds from 1 to 600000, got '" + property + "'");
    }

    private static String readFirstLine(BufferedReader in) {
        try {
            return in.readLine();
        } catch (IOException e) {
            LOGGER.error("cannot read the launch line from stdin error={}", e.toString());
            return null;
        }
    }

    /** SIGTERM (or System.exit): stop with last reports, unless that has already happened. */
    private static void stopOnSignal(AgentHost host) {
        // Also runs on the System.exit that ends a normal stop; the first cause wins, so that one is kept.
        host.requestStop(StopCause.signal("JVM shutdown hook (SIGTERM or SIGINT)"));
        try {
            if (!host.awaitStopped(SHUTDOWN_WAIT_MS)) {
                LOGGER.warn("shutdown without last reports: stopping took longer than {} ms", SHUTDOWN_WAIT_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
