package io.kbench.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Every second, the CPU seconds of a set of JVMs (from {@code /proc/PID/stat}), each with a role ("producer",
 * "consumer"), so that the CPU of each role over any window can be read afterwards: per JVM present at both ends of
 * the window, its CPU between the samples nearest to them, in percent of one core.
 */
final class JvmCpuSampler implements AutoCloseable {

    static final String PRODUCER = "producer";
    static final String CONSUMER = "consumer";

    /** The longest {@link #awaitSampleAfter} waits: ten sampling periods. */
    private static final long AWAIT_MS = 10_000;

    private record Sample(long atMs, Map<Long, Double> cpuByPid) {}

    private final Supplier<Map<Long, String>> jvms;
    private final Map<Long, String> roles = new ConcurrentHashMap<>();
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean closed;

    /** @param jvms the JVMs to sample now, pid → role (a role not known yet: absent, or the JVM left out) */
    JvmCpuSampler(Supplier<Map<Long, String>> jvms) {
        this.jvms = jvms;
        this.thread = new Thread(this::loop, "jvm-cpu-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The agent JVMs among this JVM's descendants, each with the role its threads show ({@code kbench-producer} or
     * {@code kbench-consumer} threads; an agent JVM with both, packed, or with neither yet, is left out).
     */
    static JvmCpuSampler agents() {
        // Per descendant, read once: whether it is an agent; per agent, its role, looked for again only when its
        // thread count changed (a warm JVM gets its load threads with its launch). Keeps the sampler's own /proc
        // reads to one stat file per JVM per second while the run is measured.
        Map<Long, Boolean> isAgent = new HashMap<>();
        Map<Long, Integer> threadsAtLook = new HashMap<>();
        Map<Long, String> roles = new HashMap<>();
        return new JvmCpuSampler(() -> {
            Map<Long, String> now = new HashMap<>();
            ProcessHandle.current().descendants().forEach(p -> {
                long pid = p.pid();
                if (!isAgent.computeIfAbsent(pid, x -> Bench.isAgent(p))) {
                    return;
                }
                if (!roles.containsKey(pid)) {
                    int threads = threadCount(pid);
                    if (!Integer.valueOf(threads).equals(threadsAtLook.put(pid, threads))) {
                        agentRole(pid).ifPresent(role -> roles.put(pid, role));
                    }
                }
                String role = roles.get(pid);
                if (role != null) {
                    now.put(pid, role);
                }
            });
            return now;
        });
    }

    /** The number of threads of a live process ({@code /proc/PID/stat} field 20); -1 once it is gone. */
    static int threadCount(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return Integer.parseInt(fields[20 - 3]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** A fixed set of JVMs with their roles. */
    static JvmCpuSampler of(Map<Long, String> jvms) {
        Map<Long, String> copy = Map.copyOf(jvms);
        return new JvmCpuSampler(() -> copy);
    }

    /** Percent of one core each role used from {@code fromMs} to {@code toMs} (epoch ms); empty without samples. */
    Map<String, Double> percent(long fromMs, long toMs) {
        Sample a = nearest(fromMs);
        Sample b = nearest(toMs);
        Map<String, Double> out = new HashMap<>();
        if (a == null || b == null || b.atMs <= a.atMs) {
            return out;
        }
        b.cpuByPid.forEach((pid, cpu) -> {
            Double before = a.cpuByPid.get(pid);
            if (before != null && !cpu.isNaN() && !before.isNaN()) {
                out.merge(roles.get(pid), 100 * (cpu - before) * 1000 / (b.atMs - a.atMs), Double::sum);
            }
        });
        return out;
    }

    /**
     * Waits until a sample taken after {@code atMs} (epoch ms) exists: the far end of a window about to be read.
     *
     * @throws IllegalStateException when none comes within {@value #AWAIT_MS} ms
     */
    void awaitSampleAfter(long atMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + AWAIT_MS;
        synchronized (samples) {
            while (samples.isEmpty() || samples.get(samples.size() - 1).atMs <= atMs) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new IllegalStateException("no CPU sample after " + atMs + " within " + AWAIT_MS + " ms");
                }
                samples.wait(left);
            }
        }
    }

    private Sample nearest(long atMs) {
        synchronized (samples) {
            Sample best = null;
            for (Sample s : samples) {
                if (best == null || Math.abs(s.atMs - atMs) < Math.abs(best.atMs - atMs)) {
                    best = s;
                }
            }
            return best;
        }
    }

    private void loop() {
        while (!closed) {
            Map<Long, Double> cpu = new HashMap<>();
            jvms.get().forEach((pid, role) -> {
                roles.put(pid, role);
                cpu.put(pid, ChildCpu.secondsOf(pid));
            });
            synchronized (samples) {
                samples.add(new Sample(System.currentTimeMillis(), cpu));
                samples.notifyAll();
            }
            try {
                Thread.sleep(1_000); // the sampling period
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** "producer" or "consumer" by the agent's load threads' names; empty for neither yet, or both (packed). */
    static Optional<String> agentRole(long pid) {
        boolean producer = false;
        boolean consumer = false;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                String name = readComm(task);
                producer |= name.startsWith("kbench-producer");
                consumer |= name.startsWith("kbench-consumer");
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return producer == consumer ? Optional.empty() : Optional.of(producer ? PRODUCER : CONSUMER);
    }

    private static String readComm(Path task) {
        try {
            return Files.readString(task.resolve("comm")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
