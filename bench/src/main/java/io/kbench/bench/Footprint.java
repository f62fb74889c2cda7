package io.kbench.bench;

import io.kbench.controller.config.BenchmarkFiles.LoadedDriver;
import io.kbench.controller.config.BenchmarkFiles.LoadedWorkload;
import io.kbench.controller.run.ControlPlane;
import io.kbench.controller.run.RunCoordinator;
import io.kbench.controller.run.RunOutcome;
import io.kbench.controller.run.RunRequest;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.AgentSpawned;
import io.kbench.protocol.message.MemberRole;
import io.kbench.protocol.message.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Benchmark 6 (bench/footprint.sh): resident memory of a worker daemon JVM ({@code WorkerMain}), an aggregator
 * JVM ({@code kbench aggregator}) and the agent JVMs the daemon starts, each with JVM defaults, idle and under a
 * run of 1 producer at 10,000 msg/s (1 KB) and 1 consumer. Idle: VmRSS after 10 s registered and unused (agents:
 * at the start barrier, connected but not loading). Under load: VmHWM (peak) at the end of the run.
 *
 * <p>Options: {@code --seconds 15} (measurement), {@code --rate 10000}, {@code --agent-jvm-option OPT} (repeatable:
 * the agents' JVM options, as {@code kbench run --agent-jvm-option} asks for them).
 */
public final class Footprint {

    private Footprint() {}

    public static void main(String[] args) throws Exception {
        Args a = new Args(args);
        int seconds = a.intOpt("--seconds", 15);
        int rate = a.intOpt("--rate", 10_000);
        List<String> agentJvmOptions = a.all("--agent-jvm-option"); // as kbench run --agent-jvm-option asks
        System.out.println(Bench.header("footprint: RSS of daemon, aggregator and agent JVMs (JVM defaults)"));
        Path dir = Files.createTempDirectory("kbench-bench-footprint-");
        MessageCodec codec = new MessageCodec();
        List<Process> started = new ArrayList<>();
        try (BenchBroker broker = new BenchBroker();
                ControlPlane control =
                        new ControlPlane(broker.bootstrap(), Map.of(), broker.topics(), codec, Optional.empty());
                RunWatcher watcher = new RunWatcher(broker.bootstrap(), broker.topics(), codec)) {
            Process aggregator = start(
                    dir.resolve("aggregator.log"),
                    "io.kbench.controller.command.KbenchMain",
                    "aggregator",
                    "--bootstrap-server",
                    broker.bootstrap(),
                    "--metrics-port",
                    "-1",
                    "--state-dir",
                    dir.resolve("aggregator-state").toString());
            started.add(aggregator);
            Process worker = start(
                    dir.resolve("worker.log"),
                    "io.kbench.worker.WorkerMain",
                    "--bootstrap-server",
                    broker.bootstrap(),
                    "--worker-id",
                    "footprint",
                    "--log-dir",
                    dir.resolve("agents").toString());
            started.add(worker);
            awaitMember(control, MemberRole.WORKER, worker);
            awaitMember(control, MemberRole.AGGREGATOR, aggregator);
            Thread.sleep(10_000); // the idle period being measured
            double workerIdle = Bench.statusKb(worker.pid(), "VmRSS") / 1024.0;
            double aggregatorIdle = Bench.statusKb(aggregator.pid(), "VmRSS") / 1024.0;

            // Sample the agent JVMs (children of the worker) while the run goes.
            Map<Long, double[]> agents = new ConcurrentHashMap<>(); // pid -> {rss at barrier, peak}
            AtomicBoolean running = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> sampleAgents(worker, watcher, agents, running), "agent-rss");
            sampler.setDaemon(true);
            sampler.start();
            Workload workload = BenchFleet.workload("footprint", 16, 1, 1, rate, 1, 2, seconds);
            RunOutcome outcome = new RunCoordinator(control, Progress.quiet(), new AtomicBoolean())
                    .run(new RunRequest(
                            new LoadedWorkload(Path.of("footprint.yaml"), workload),
                            new LoadedDriver(Path.of("configs/kafka-digital-twin.yaml"), BenchFleet.DIGITAL_TWIN),
                            broker.bootstrap(),
                            Map.of(),
                            0,
                            List.of(),
                            dir,
                            false,
                            null,
                            null,
                            Duration.ofSeconds(90),
                            null,
                            null,
                            agentJvmOptions,
                            null));
            running.set(false);
            sampler.join(2_000);
            double workerPeak = Bench.statusKb(worker.pid(), "VmHWM") / 1024.0;
            double aggregatorPeak = Bench.statusKb(aggregator.pid(), "VmHWM") / 1024.0;

            Bench.println(
                    "run %s: %s, %,.0f msg/s published, %,.0f consumed",
                    outcome.runId(),
                    outcome.status(),
                    outcome.summary().rates().publishRate(),
                    outcome.summary().rates().consumeRate());
            Bench.println("  %-22s %12s %18s", "JVM", "idle RSS", "peak RSS (load)");
            Bench.println("  %-22s %9.0f MB %15.0f MB", "worker daemon", workerIdle, workerPeak);
            Bench.println("  %-22s %9.0f MB %15.0f MB", "aggregator", aggregatorIdle, aggregatorPeak);
            Map<Long, String> names = new java.util.HashMap<>();
            watcher.of(outcome.runId()).forEach(seen -> {
                if (seen.message() instanceof AgentSpawned spawned) {
                    names.put(spawned.pid(), String.join(",", spawned.agentIds()));
                }
            });
            // Only the run's own agents: the daemon boots warm JVMs for the next run as they exit.
            agents.keySet().retainAll(names.keySet());
            agents.forEach((pid, v) -> Bench.println(
                    "  %-22s %9.0f MB %15.0f MB   (idle = at the start barrier, connected)",
                    "agent " + names.get(pid), v[0], v[1]));
            warmAgents(worker, names.keySet());
            double agentPeak =
                    agents.values().stream().mapToDouble(v -> v[1]).max().orElse(Double.NaN);
            System.out.println(Bench.verdict(
                    agentPeak <= 160,
                    Bench.f(
                            "agent peak RSS %.0f MB (goal from the agent issue: <= 160 MB at default settings)",
                            agentPeak)));
        } finally {
            for (Process p : started) {
                p.destroy(); // SIGTERM: the daemon stops its agents and tombstones its registry entry
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
        System.out.println("logs: " + dir);
    }

    /**
     * The RSS of the warm agent JVMs the daemon boots once the run's agents have exited (--warm-agents): what a
     * daemon holds between runs. Given 10 s to boot.
     */
    private static void warmAgents(Process worker, java.util.Set<Long> runAgents) throws InterruptedException {
        Thread.sleep(10_000); // the daemon starts them as the run's agents exit; they boot in a few seconds
        List<ProcessHandle> warm = worker.toHandle()
                .descendants()
                .filter(p -> p.isAlive() && Bench.isAgent(p) && !runAgents.contains(p.pid()))
                .toList();
        for (ProcessHandle p : warm) {
            Bench.println(
                    "  %-22s %9.0f MB %15s      (booted, waiting for the next run's launch line)",
                    "warm agent JVM", Bench.statusKb(p.pid(), "VmRSS") / 1024.0, "-");
        }
        if (warm.isEmpty()) {
            Bench.println("  no warm agent JVM 10 s after the run (the daemon's --warm-agents is 0?)");
        }
    }

    private static void sampleAgents(
            Process worker, RunWatcher watcher, Map<Long, double[]> agents, AtomicBoolean running) {
        while (running.get()) {
            long startAt = watcher.startAt();
            worker.toHandle().descendants().filter(ProcessHandle::isAlive).forEach(p -> {
                if (!Bench.isAgent(p)) {
                    return;
                }
                double[] v = agents.computeIfAbsent(p.pid(), k -> new double[] {Double.NaN, 0});
                long rss = Bench.statusKb(p.pid(), "VmRSS");
                long hwm = Bench.statusKb(p.pid(), "VmHWM");
                if (Double.isNaN(v[0]) && startAt > 0 && System.currentTimeMillis() >= startAt - 300 && rss > 0) {
                    v[0] = rss / 1024.0;
                }
                v[1] = Math.max(v[1], hwm / 1024.0);
            });
            try {
                Thread.sleep(100); // a sampling period
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static Process start(Path log, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Bench.javaExecutable(), "-cp", Bench.classPath(), mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static void awaitMember(ControlPlane control, MemberRole role, Process process)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (control.live(role, Duration.ofSeconds(10)).isEmpty()) {
            if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(
                        role + " JVM did not register within 60 s (alive: " + process.isAlive() + "); see its log");
            }
            Thread.sleep(500); // polling the registry
        }
    }
}
