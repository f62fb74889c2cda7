package io.kbench.agent.testkit;

import io.kbench.protocol.AgentIo;
import io.kbench.protocol.Decoded;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.AgentFailed;
import io.kbench.protocol.message.AgentReady;
import io.kbench.protocol.message.Message;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A real agent JVM started as a worker daemon would start it: stdin lines in, event lines and stderr out. */
public final class AgentProcess implements AutoCloseable {

    private final Process process;
    private final OutputStream stdin;
    private final MessageCodec codec = new MessageCodec();
    private final List<Message> events = new CopyOnWriteArrayList<>();
    private final List<String> stdoutOther = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final Thread outReader;
    private final Thread errReader;

    private AgentProcess(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.outReader = drain(process.getInputStream(), this::onStdout, "agent-stdout");
        this.errReader = drain(process.getErrorStream(), stderr::add, "agent-stderr");
    }

    /** Starts {@link AgentIo#AGENT_MAIN_CLASS} from this JVM's java and class path. */
    public static AgentProcess start() {
        return start(AgentIo.AGENT_MAIN_CLASS, "256m", List.of());
    }

    /** Any main class of this class path (e.g. {@link BrokerMain}) as a child JVM. */
    public static AgentProcess start(String mainClass, String maxHeap, List<String> args) {
        return start(List.of("-Xmx" + maxHeap, "-XX:+UseSerialGC"), mainClass, args);
    }

    /** Any main class of this class path with the given JVM options. */
    public static AgentProcess start(List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + "/bin/java");
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        try {
            return new AgentProcess(new ProcessBuilder(command).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + mainClass, e);
        }
    }

    private static Thread drain(InputStream stream, Consumer<String> sink, String name) {
        Thread thread = new Thread(
                () -> {
                    try (BufferedReader reader =
                            new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                            sink.accept(line);
                        }
                    } catch (IOException e) {
                        sink.accept("(stream failed: " + e + ")");
                    }
                },
                name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void onStdout(String line) {
        if (line.startsWith(AgentIo.EVENT_PREFIX)) {
            Decoded decoded = codec.decode(line.substring(AgentIo.EVENT_PREFIX.length()));
            if (decoded instanceof Decoded.Ok ok) {
                events.add(ok.message());
                return;
            }
        }
        stdoutOther.add(line);
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    /** Writes one envelope line to the agent's stdin. */
    public void send(String runId, Message message) {
        sendLine(codec.encodeLine(codec.envelope(runId, message, null)));
    }

    public void sendLine(String line) {
        try {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("agent stdin closed", e);
        }
    }

    public void closeStdin() {
        try {
            stdin.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Message> events() {
        return List.copyOf(events);
    }

    public List<String> readyAgents() {
        return events.stream()
                .filter(AgentReady.class::isInstance)
                .map(e -> ((AgentReady) e).agentId())
                .toList();
    }

    public List<AgentFailed> failures() {
        return events.stream()
                .filter(AgentFailed.class::isInstance)
                .map(AgentFailed.class::cast)
                .toList();
    }

    /** Lines on stdout that are not events: the contract says there are none. */
    public List<String> strayStdout() {
        return List.copyOf(stdoutOther);
    }

    /** stderr once the process has ended and its streams are drained. */
    public List<String> stderr() {
        return List.copyOf(stderr);
    }

    /** Polls until {@code count} agents reported ready, or fails with the agent's output. */
    public void awaitReady(int count, Duration timeout) {
        Poll.until(() -> readyAgents().size() >= count || !process.isAlive(), timeout, this::describe);
        if (readyAgents().size() < count) {
            throw new AssertionError("agent not ready: " + describe());
        }
    }

    /** Waits for the exit and for the output streams to be drained; returns the exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("agent still running after " + timeout + ": " + describe());
            }
            outReader.join(5_000);
            errReader.join(5_000);
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public String describe() {
        List<String> tail = stderr.subList(Math.max(stderr.size() - 15, 0), stderr.size());
        return "events=" + events + "\nstderr tail:\n  " + String.join("\n  ", tail);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
