package io.kbench.worker.testing;

import io.kbench.protocol.AgentIo;
import io.kbench.protocol.Decoded;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.AgentFailed;
import io.kbench.protocol.message.AgentLaunch;
import io.kbench.protocol.message.AgentReady;
import io.kbench.protocol.message.AgentTask;
import io.kbench.protocol.message.ConsumerTask;
import io.kbench.protocol.message.StopRun;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A stand-in agent that keeps the pipe contract of {@link AgentIo} without loading Kafka, to test the daemon's
 * supervision alone: agents whose id starts with {@code fail} fail (stderr lines, an AgentFailed event, exit 3);
 * {@code stubborn} ones ignore stop and EOF; the rest report ready, echo each line they get ({@code got <type>})
 * and exit 0 on StopRun or EOF. A warm one ({@link AgentIo#WARM_PROPERTY}) says on stderr what rehearsal it was handed
 * first, and takes the next line as its launch.
 */
public final class FakeAgentMain {

    private FakeAgentMain() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        MessageCodec codec = new MessageCodec();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String first = in.readLine();
        if (Boolean.getBoolean(AgentIo.WARM_PROPERTY)
                && first != null
                && codec.decode(first) instanceof Decoded.Ok rehearsal
                && rehearsal.message() instanceof AgentLaunch handed
                && handed.runId().equals(AgentIo.REHEARSAL)) {
            // What a warm JVM is handed first: said on stderr (the run's .err file once a run takes the JVM).
            System.err.println("fake rehearsal on " + handed.controlBootstrap() + " in group "
                    + handed.tasks().stream()
                            .filter(t -> t instanceof ConsumerTask)
                            .map(t -> ((ConsumerTask) t).subscription())
                            .toList());
            first = in.readLine();
        }
        if (first == null
                || !(codec.decode(first) instanceof Decoded.Ok ok)
                || !(ok.message() instanceof AgentLaunch launch)) {
            System.err.println("first line is not an AgentLaunch: " + first);
            System.exit(AgentIo.EXIT_BAD_TASK);
            return;
        }
        List<String> ids = launch.tasks().stream().map(AgentTask::agentId).toList();
        if (ids.stream().anyMatch(id -> id.startsWith("fail"))) {
            for (int i = 1; i <= 25; i++) {
                System.err.println("fake failure line " + i);
            }
            System.out.println(AgentIo.EVENT_PREFIX
                    + codec.encodeLine(codec.envelope(
                            launch.runId(),
                            new AgentFailed(launch.workerId(), ids, -1, "fake cannot reach the cluster", List.of()),
                            null)));
            System.out.flush();
            System.exit(AgentIo.EXIT_FAILED);
        }
        for (String id : ids) {
            System.out.println(AgentIo.EVENT_PREFIX
                    + codec.encodeLine(codec.envelope(launch.runId(), new AgentReady(launch.workerId(), id), null)));
        }
        System.out.flush();
        boolean stubborn = ids.stream().anyMatch(id -> id.startsWith("stubborn"));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (codec.decode(line) instanceof Decoded.Ok command) {
                System.out.println("got " + command.envelope().type());
                System.out.flush();
                if (command.message() instanceof StopRun && !stubborn) {
                    System.exit(AgentIo.EXIT_OK);
                }
            }
        }
        if (stubborn) {
            Thread.sleep(Long.MAX_VALUE);
        }
        System.exit(AgentIo.EXIT_OK);
    }
}
