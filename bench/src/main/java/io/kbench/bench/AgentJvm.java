package io.kbench.bench;

import io.kbench.protocol.AgentIo;
import io.kbench.protocol.Decoded;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.AgentFailed;
import io.kbench.protocol.message.AgentReady;
import io.kbench.protocol.message.Message;
import io.kbench.worker.supervise.AgentCommandLine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An agent JVM started the way a worker daemon starts one: {@code java [options] -cp <class path>
 * io.kbench.agent.AgentMain}, envelopes on stdin (an {@code AgentLaunch} first), event lines on stdout, logs on
 * stderr (to a file). Samples its peak RSS ({@code VmHWM}) while it lives.
 */
final class AgentJvm implements AutoCloseable {

    private final Process process;
    private final Writer stdin;
    private final MessageCodec codec;
    private final List<String> ready = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private volatile long peakRssKb = -1;
    private volatile long lastRssKb = -1;
    private final ChildCpu cpu = ChildCpu.start();
    private double cpuSeconds = Double.NaN;

    private AgentJvm(Process process, MessageCodec codec) {
        this.process = process;
        this.codec = codec;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readEvents, "agent-events-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        Thread rss = new Thread(this::sampleRss, "agent-rss-" + process.pid());
        rss.setDaemon(true);
        rss.start();
    }

    static AgentJvm start(List<String> jvmOptions, Path stderrFile, MessageCodec codec) {
        return start(jvmOptions, null, stderrFile, codec);
    }

    /** @param classesFirst a class directory put before the class path (another build of the agent), or null */
    static AgentJvm start(List<String> jvmOptions, Path classesFirst, Path stderrFile, MessageCodec codec) {
        List<String> command = new ArrayList<>();
        command.add(Bench.javaExecutable());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(
                classesFirst == null
                        ? Bench.classPath()
                        : classesFirst.toAbsolutePath() + java.io.File.pathSeparator + Bench.classPath());
        command.add(AgentIo.AGENT_MAIN_CLASS);
        try {
            Process p = AgentCommandLine.environment(new ProcessBuilder(command))
                    .redirectError(stderrFile.toFile())
                    .start();
            return new AgentJvm(p, codec);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start agent JVM: " + command, e);
        }
    }

    long pid() {
        return process.pid();
    }

    /** Writes one envelope line to the agent's stdin. */
    void send(String runId, Message message) {
        try {
            stdin.write(codec.encodeLine(codec.envelope(runId, message, Duration.ofMinutes(10))));
            stdin.write('\n');
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("agent " + pid() + " closed its stdin (did it fail? " + failures + ")", e);
        }
    }

    /** Waits until {@code count} agents of this JVM reported ready; fails with the agent's reason. */
    void awaitReady(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (ready) {
            while (ready.size() < count) {
                if (!failures.isEmpty() || !process.isAlive()) {
                    throw new IllegalStateException("agent JVM " + pid() + " failed before ready: " + failures);
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new IllegalStateException(
                            "agent JVM " + pid() + " not ready within " + timeout.toSeconds() + " s");
                }
                ready.wait(Math.min(left, 200));
            }
        }
    }

    /** Closes the agent's stdin, which stops it (its last reports follow); {@link #awaitExit} then waits. */
    void endInput() {
        try {
            stdin.close();
        } catch (IOException e) {
            // The agent has exited already.
        }
    }

    /** Waits for the JVM to exit on its own (end of schedule); returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(
                    "agent JVM " + pid() + " still running after " + timeout.toSeconds() + " s past its schedule");
        }
        cpuSeconds = cpu.seconds();
        return process.exitValue();
    }

    /** The JVM's whole CPU time (user + system, start to exit), known after {@link #awaitExit}. */
    double cpuSeconds() {
        return cpuSeconds;
    }

    /** Peak resident set (VmHWM) seen while the JVM lived, in MB. */
    double peakRssMb() {
        return peakRssKb / 1024.0;
    }

    /** The latest resident set (VmRSS), in MB. */
    double rssMb() {
        return lastRssKb / 1024.0;
    }

    List<String> failures() {
        synchronized (ready) {
            return List.copyOf(failures);
        }
    }

    private void readEvents() {
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (!line.startsWith(AgentIo.EVENT_PREFIX)) {
                    continue;
                }
                Decoded decoded = codec.decode(line.substring(AgentIo.EVENT_PREFIX.length()));
                if (decoded instanceof Decoded.Ok ok) {
                    synchronized (ready) {
                        if (ok.message() instanceof AgentReady r) {
                            ready.add(r.agentId());
                        } else if (ok.message() instanceof AgentFailed f) {
                            failures.add(f.agentIds() + ": " + f.reason());
                        }
                        ready.notifyAll();
                    }
                }
            }
        } catch (IOException e) {
            synchronized (ready) {
                failures.add("reading stdout failed: " + e);
                ready.notifyAll();
            }
        }
    }

    private void sampleRss() {
        while (process.isAlive()) {
            long hwm = Bench.statusKb(process.pid(), "VmHWM");
            long rss = Bench.statusKb(process.pid(), "VmRSS");
            if (hwm > 0) {
                peakRssKb = Math.max(peakRssKb, hwm);
            }
            if (rss > 0) {
                lastRssKb = rss;
            }
            try {
                Thread.sleep(100); // a sampling period
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            stdin.close();
        } catch (IOException e) {
            // Closing stdin tells the agent to stop; if the pipe is already gone the agent has exited.
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
