package io.kbench.worker.supervise;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warm agent JVMs: agent JVMs a daemon starts after a run, while it runs no agent, so that the next run's agents
 * start on JVMs that have already booted and rehearsed. A warm JVM is a real agent JVM, started exactly as one for a
 * default task (one agent, no JVM options from the assignment). Its first line on stdin is a rehearsal launch
 * ({@code AgentIo.controlRehearsal}): it connects a producer and a consumer to the control cluster up to ready and
 * closes them, then waits for its launch line, as every agent JVM does; the next run takes it over ({@link
 * AgentProcess#attach}) instead of starting one. Each run's agents are still their own processes, never reused: a
 * warm JVM serves one run and exits with it.
 *
 * <p>Booting and a first connection are most of an agent JVM's start-up CPU (~2 s on a 2-core host, class-data
 * archive included); with 14 agents starting at once on such a host that was most of the wait before they were
 * ready. It is done while the daemon is idle instead. A warm JVM holds ~80 MB while it waits; the daemon keeps as
 * many as it started default agent JVMs for the run before (the next run is most often the same size), at most
 * {@code limit}. Whoever reads a host's figures can see them as {@code kbench_worker_agents_warm}.
 *
 * <p>Warm JVMs exit when their stdin closes (the agent's rule before a launch line), so a daemon that dies leaves
 * none behind; their pid files let a restarted daemon reap one that hung.
 */
public final class WarmAgents implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(WarmAgents.class);

    /** What a pid file says of a warm JVM (it has no run yet). */
    public static final String PID_DESCRIPTION = "warm agent JVM";

    private final int limit;
    private final Supplier<List<String>> command;
    private final LongFunction<String> rehearsal;
    private final PidFiles pidFiles;
    private final Deque<Process> waiting = new ArrayDeque<>();
    private final ExecutorService starter;
    private boolean closed;

    /**
     * @param limit the most warm JVMs held; 0 holds none
     * @param command the command of a default agent JVM, asked anew for each (the class-data archive may have
     *     become ready since the last)
     * @param rehearsal the line written first to a warm JVM's stdin, given its pid: a rehearsal launch (its
     *     launch line follows when a run takes it)
     * @param pidFiles where live agent JVMs are recorded
     */
    public WarmAgents(int limit, Supplier<List<String>> command, LongFunction<String> rehearsal, PidFiles pidFiles) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
        this.limit = limit;
        this.command = command;
        this.rehearsal = rehearsal;
        this.pidFiles = pidFiles;
        this.starter = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "kbench-warm-agents");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Warm JVMs waiting now. */
    public synchronized int held() {
        return waiting.size();
    }

    /**
     * A warm JVM for a default agent, the longest-waiting first; empty when none is held. One that died while it
     * waited is dropped (and its pid file deleted) on the way.
     */
    public synchronized Optional<Process> take() {
        while (!waiting.isEmpty()) {
            Process process = waiting.pollFirst();
            if (process.isAlive()) {
                return Optional.of(process);
            }
            pidFiles.delete(process.pid());
            LOGGER.warn(
                    "a warm agent JVM exited while it waited (pid={} exitCode={})", process.pid(), exitCode(process));
        }
        return Optional.empty();
    }

    /**
     * Starts, in the background, as many warm JVMs as it takes to hold {@code wanted} (at most {@link #limit()}).
     * The daemon calls it when it runs no agent.
     */
    public void refill(int wanted) {
        boot(Math.min(wanted, limit));
    }

    /**
     * Starts, in the background, as many warm JVMs as it takes to hold {@code count}, beyond {@link #limit()}: for
     * a first run whose size its caller knows before the run is planned ({@code kbench local} knows its workload
     * before it starts the fleet), so that those JVMs boot and rehearse while the rest of the fleet starts. A run
     * takes them as it takes any warm JVM; what it leaves is ended by {@link #close()}.
     */
    public void boot(int count) {
        if (count <= 0) {
            return;
        }
        // Under the lock close() takes first: the starter is not shut down yet when it takes this task.
        synchronized (this) {
            if (!closed) {
                starter.execute(() -> startUpTo(count));
            }
        }
    }

    /** The most warm JVMs held after a run. */
    public int limit() {
        return limit;
    }

    private void startUpTo(int target) {
        int started = 0;
        while (true) {
            synchronized (this) {
                if (closed || waiting.size() >= target) {
                    break;
                }
            }
            Process process;
            try {
                process = AgentProcess.spawn(command.get());
            } catch (IOException | RuntimeException e) {
                LOGGER.warn("cannot start a warm agent JVM; the next run starts its own: {}", e.toString());
                return;
            }
            try {
                // Not closed: the launch line follows on the same pipe when a run takes the JVM.
                OutputStream stdin = process.getOutputStream();
                stdin.write((rehearsal.apply(process.pid()) + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            } catch (IOException | RuntimeException e) {
                // take() drops a JVM that died; one alive without its rehearsal is still a booted JVM.
                LOGGER.warn("cannot hand a warm agent JVM its rehearsal (pid={}): {}", process.pid(), e.toString());
            }
            boolean keep;
            synchronized (this) {
                keep = !closed;
                if (keep) {
                    waiting.addLast(process);
                }
            }
            if (!keep) {
                process.destroyForcibly();
                return;
            }
            pidFiles.write(process.pid(), PID_DESCRIPTION);
            started++;
        }
        if (started > 0) {
            LOGGER.info(
                    "{} warm agent JVMs started for the next run; {} held (limit {}, --warm-agents)",
                    started,
                    held(),
                    limit);
        }
    }

    /** Ends every warm JVM and starts no more. */
    @Override
    public void close() {
        List<Process> all;
        synchronized (this) {
            closed = true;
            all = List.copyOf(waiting);
            waiting.clear();
        }
        starter.shutdownNow();
        // Nothing to save in a JVM that has not been launched: SIGKILL, as its stdin closing would end it anyway.
        all.forEach(Process::destroyForcibly);
        for (Process process : all) {
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (!process.isAlive()) {
                pidFiles.delete(process.pid());
            }
        }
    }

    private static String exitCode(Process process) {
        try {
            return String.valueOf(process.exitValue());
        } catch (IllegalThreadStateException e) {
            return "running";
        }
    }
}
