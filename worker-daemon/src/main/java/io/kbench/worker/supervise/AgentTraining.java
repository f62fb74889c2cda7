package io.kbench.worker.supervise;

import io.kbench.protocol.AgentIo;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.AgentLaunch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
        AgentLaunch launch = AgentIo.rehearsal(
                workerId,
                AgentIo.closedLocalPort(),
                System.currentTimeMillis() + AgentClassData.TRAINING_TIMEOUT_SECONDS * 1000);
        List<String> options = new ArrayList<>();
        options.add("-XX:ArchiveClassesAtExit=" + archiveFile);
        options.addAll(AgentClassData.QUIET);
        options.add("-D" + AgentIo.METADATA_TIMEOUT_PROPERTY + "=" + METADATA_WAIT_MS);
        return new AgentClassData.Training(
                commandLine.command(List.of(), launch.tasks().size(), options),
                codec.encodeLine(codec.envelope(AgentIo.REHEARSAL, launch, null)));
    }
}
