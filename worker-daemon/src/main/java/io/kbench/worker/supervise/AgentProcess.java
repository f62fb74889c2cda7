package io.kbench.worker.supervise;

import io.kbench.protocol.AgentIo;
import io.kbench.protocol.Decoded;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.AgentFailed;
import io.kbench.protocol.message.AgentFinished;
import io.kbench.protocol.message.AgentReady;
import io.kbench.protocol.message.Message;
import io.kbench.worker.events.EventSink;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent JVM and the two threads that drain its output. Its stdout goes to {@code <agents>.out}, and event
 * lines on it to the events topic; its stderr goes to {@code <agents>.err}, the last lines kept for a failure
 * report. When the JVM exits, the stdout thread reports {@code AgentFinished} or {@code AgentFailed} and hands
 * the process to {@code onExit}.
 */
public final class AgentProcess {

    private static final Logger LOGGER = LoggerFactory.getLogger(AgentProcess.class);

    /** Lines of stderr an {@code AgentFailed} carries. */
    public static final int STDERR_TAIL_LINES = 20;

    private final String runId;
    private final String workerId;
    private final List<String> agentIds;
    private final long deadlineAt;
    private final Process process;
    private final Writer stdin;
    private final LineTail stderrTail = new LineTail(STDERR_TAIL_LINES);
    private final CountDownLatch reported = new CountDownLatch(1);
    private volatile String agentReason;
    private volatile String stopCause;
    private boolean stdinClosed;

    private AgentProcess(String runId, String workerId, List<String> agentIds, long deadlineAt, Process process) {
        this.runId = runId;
        this.workerId = workerId;
        this.agentIds = List.copyOf(agentIds);
        this.deadlineAt = deadlineAt;
        this.process = process;
        this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    }

    /** Starts an agent JVM with {@code command} and the agents' environment; it waits for its launch line. */
    static Process spawn(List<String> command) throws IOException {
        return AgentCommandLine.environment(new ProcessBuilder(command)).start();
    }

    /**
     * Takes over an agent JVM that {@link #spawn} started (just now, or earlier as a warm one that has waited for
     * its launch line since): starts the drain threads and writes the launch line. What the JVM wrote while it
     * waited is still in its pipes and goes to this run's files.
     *
     * @param outFile where stdout goes; stderr goes beside it with {@code .err}
     * @param onExit called once the exit is reported, on the stdout thread
     */
    static AgentProcess attach(
            Process process,
            String runId,
            String workerId,
            List<String> agentIds,
            long deadlineAt,
            String launchLine,
            Path outFile,
            EventSink events,
            MessageCodec codec,
            Consumer<AgentProcess> onExit)
            throws IOException {
        Files.createDirectories(outFile.getParent());
        AgentProcess agent = new AgentProcess(runId, workerId, agentIds, deadlineAt, process);
        Path errFile = outFile.resolveSibling(outFile.getFileName().toString().replaceFirst("\\.out$", "") + ".err");
        Thread err = new Thread(() -> agent.drainStderr(errFile), "kbench-agent-err-" + process.pid());
        err.setDaemon(true);
        err.start();
        Thread out = new Thread(
                () -> {
                    try {
                        agent.drainStdout(outFile, events, codec);
                        agent.awaitExitAndReport(err, events);
                        onExit.accept(agent);
                    } finally {
                        agent.reported.countDown();
                    }
                },
                "kbench-agent-out-" + process.pid());
        out.setDaemon(true);
        out.start();
        agent.send(launchLine);
        return agent;
    }

    public String runId() {
        return runId;
    }

    public List<String> agentIds() {
        return agentIds;
    }

    public long pid() {
        return process.pid();
    }

    public long deadlineAt() {
        return deadlineAt;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The JVM's exit code; only once it has exited. */
    public int exitCode() {
        return process.exitValue();
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    /** Writes one line to the agent's stdin; a closed pipe (the agent is gone or stopping) is not an error. */
    public synchronized void send(String line) {
        if (stdinClosed) {
            return;
        }
        try {
            stdin.write(line);
            stdin.write('\n');
            stdin.flush();
        } catch (IOException e) {
            LOGGER.debug("agent {} stdin closed, line not delivered: {}", agentIds, e.toString());
        }
    }

    /**
     * Asks the agent to stop: sends {@code stopLine} if given, then closes stdin, which every agent takes as
     * "stop now" (AgentIo).
     */
    public synchronized void requestStop(String stopLine, String cause) {
        if (stopCause == null) {
            stopCause = cause;
        }
        if (stopLine != null) {
            send(stopLine);
        }
        if (!stdinClosed) {
            stdinClosed = true;
            try {
                stdin.close();
            } catch (IOException e) {
                LOGGER.debug("agent {} stdin already closed: {}", agentIds, e.toString());
            }
        }
    }

    /** SIGTERM (or the platform's equivalent) if it still runs. */
    public void destroy() {
        if (process.isAlive()) {
            LOGGER.warn("agent did not stop in time, destroying: runId={} agents={} pid={}", runId, agentIds, pid());
            process.destroy();
        }
    }

    /** SIGKILL if it still runs. */
    public void destroyForcibly() {
        if (process.isAlive()) {
            LOGGER.warn("agent ignored SIGTERM, killing: runId={} agents={} pid={}", runId, agentIds, pid());
            process.destroyForcibly();
        }
    }

    /** Waits until the JVM exited, its exit was reported and the supervisor let it go; false on time-out. */
    public boolean awaitReported(Duration timeout) throws InterruptedException {
        return reported.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    List<String> stderrTail() {
        return stderrTail.lines();
    }

    private void drainStdout(Path outFile, EventSink events, MessageCodec codec) {
        try (BufferedReader reader = reader(process.getInputStream());
                Writer file = Files.newBufferedWriter(outFile, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                file.write(line);
                file.write('\n');
                file.flush();
                if (line.startsWith(AgentIo.EVENT_PREFIX)) {
                    forwardEvent(line.substring(AgentIo.EVENT_PREFIX.length()), events, codec);
                }
            }
        } catch (IOException e) {
            LOGGER.warn("agent {} stdout: {}", agentIds, e.toString());
        }
    }

    private void forwardEvent(String envelope, EventSink events, MessageCodec codec) {
        Decoded decoded = codec.decode(envelope);
        if (decoded instanceof Decoded.Ok ok && isAgentEvent(ok.message())) {
            if (ok.message() instanceof AgentFailed failed) {
                agentReason = failed.reason();
            }
            events.publishEnvelope(runId, envelope.getBytes(StandardCharsets.UTF_8));
        } else {
            LOGGER.warn("agent {} wrote an event line that is not AgentReady or AgentFailed: {}", agentIds, decoded);
        }
    }

    private static boolean isAgentEvent(Message message) {
        return message instanceof AgentReady || message instanceof AgentFailed;
    }

    private void drainStderr(Path errFile) {
        try (BufferedReader reader = reader(process.getErrorStream());
                Writer file = Files.newBufferedWriter(errFile, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                file.write(line);
                file.write('\n');
                file.flush();
                stderrTail.add(line);
            }
        } catch (IOException e) {
            LOGGER.warn("agent {} stderr: {}", agentIds, e.toString());
        }
    }

    private void awaitExitAndReport(Thread stderrDrain, EventSink events) {
        try {
            int exitCode = process.waitFor();
            // The stderr tail is only complete once its thread read to the end; bounded, a grandchild could hold it.
            stderrDrain.join(2000);
            Message report = exitReport(exitCode);
            if (report instanceof AgentFailed) {
                LOGGER.warn(
                        "agent failed: runId={} agents={} exitCode={} reason={}",
                        runId,
                        agentIds,
                        exitCode,
                        ((AgentFailed) report).reason());
            } else {
                LOGGER.info("agent finished: runId={} agents={} pid={}", runId, agentIds, pid());
            }
            events.publish(runId, report);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code AgentFinished} for exit 0, else {@code AgentFailed} with the code, a reason and the stderr tail. */
    Message exitReport(int exitCode) {
        if (exitCode == AgentIo.EXIT_OK) {
            return new AgentFinished(workerId, agentIds, exitCode);
        }
        String reason;
        if (agentReason != null) {
            reason = agentReason;
        } else if (stopCause != null && exitCode >= 128) {
            reason = "killed after " + stopCause + " (exit code " + exitCode + ")";
        } else {
            reason = "exited with code " + exitCode;
        }
        return new AgentFailed(workerId, agentIds, exitCode, reason, stderrTail.lines());
    }

    private static BufferedReader reader(InputStream in) {
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
}
