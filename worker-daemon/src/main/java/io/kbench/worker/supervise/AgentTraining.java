package io.kbench.worker.supervise;

import io.kbench.protocol.AgentIo;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.AgentLaunch;
import io.kbench.protocol.message.ClockOffset;
import io.kbench.protocol.message.ConsumerTask;
import io.kbench.protocol.message.ProducerTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The training JVM that writes the agents' class-data archive ({@link AgentClassData#prepare}): the real agent,
 * started as the daemon starts agents, with one producer and one consumer whose cluster is a local port nothing
 * listens on. The agent decodes its launch, creates its clients, tries to connect, waits {@value #METADATA_WAIT_MS}
 * ms for metadata, fails and exits — loading on the way most classes an agent loads before it is ready — and the
 * JVM writes them to the archive as it exits. Nothing leaves the host. (A port that accepts connections and never
 * answers would train a few more classes, but an idempotent producer's close then waits out its request timeout:
 * the training took 40–80 s instead of a few.)
 *
 * @param commandLine how agents are started
 * @param codec encodes the launch line
 * @param workerId the daemon's worker id, named in the launch
 */
public record AgentTraining(AgentCommandLine commandLine, MessageCodec codec, String workerId) {

    /** The training agent's metadata wait: short, it never gets an answer. */
    static final long METADATA_WAIT_MS = 1_000;

    /** Its run id and the names of its topic and group (never created: nothing answers). */
    static final String NAME = "kbench-class-data-training";

    public AgentTraining {
        if (commandLine == null || codec == null) {
            throw new IllegalArgumentException("commandLine and codec must be set");
        }
        if (workerId == null || workerId.isBlank()) {
            throw new IllegalArgumentException("workerId must not be blank, got '" + workerId + "'");
        }
    }

    /** The training JVM writing its archive to {@code archiveFile}. */
    public AgentClassData.Training training(Path archiveFile) {
        String cluster = InetAddress.getLoopbackAddress().getHostAddress() + ":" + closedPort();
        AgentLaunch launch = new AgentLaunch(
                NAME,
                workerId,
                List.of(
                        new ProducerTask(NAME + "-p", cluster, Map.of(), NAME, 1.0, 1, 1024, null, null, 1000),
                        new ConsumerTask(
                                NAME + "-c",
                                cluster,
                                Map.of("enable.auto.commit", "false", "auto.offset.reset", "earliest"),
                                List.of(NAME),
                                NAME,
                                1000)),
                cluster,
                Map.of(),
                "kbench",
                System.currentTimeMillis() + AgentClassData.TRAINING_TIMEOUT_SECONDS * 1000,
                // a clock estimate, so the classes that carry it are archived too
                new ClockOffset(0, 0, System.currentTimeMillis()),
                0);
        List<String> options = new ArrayList<>();
        options.add("-XX:ArchiveClassesAtExit=" + archiveFile);
        options.addAll(AgentClassData.QUIET);
        options.add("-D" + AgentIo.METADATA_TIMEOUT_PROPERTY + "=" + METADATA_WAIT_MS);
        return new AgentClassData.Training(
                commandLine.command(List.of(), launch.tasks().size(), options),
                codec.encodeLine(codec.envelope(NAME, launch, null)));
    }

    /** A local port that was free a moment ago: connections to it are refused at once. */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free local port for the class-data training JVM", e);
        }
    }
}
