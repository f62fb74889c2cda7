package io.kbench.controller.run;

import io.kbench.controller.config.BenchmarkFiles;
import io.kbench.controller.config.DriverConfig;
import io.kbench.controller.config.MessageLimits;
import io.kbench.controller.plan.AgentPlanner.WorkerSlot;
import io.kbench.protocol.message.MemberHealth;
import io.kbench.protocol.message.MemberRole;
import io.kbench.protocol.message.Workload;
import io.kbench.protocol.registry.RegistryView;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;

/**
 * What a run checks and prepares before its plan goes out: the workers it may use, a live aggregator, the cluster
 * under test and where its address came from, the message size against that cluster, the benchmark topics. Each
 * problem is one line for the user, before any agent exists.
 */
final class RunPreflight {

    private final ControlPlane control;
    private final PrintStream out;

    RunPreflight(ControlPlane control, PrintStream out) {
        this.control = control;
        this.out = out;
    }

    List<WorkerSlot> chooseWorkers(RunRequest request, RegistryView registry) {
        long now = control.codec().clock().millis();
        List<RegistryView.Member> live = registry.live(MemberRole.WORKER, now);
        if (live.isEmpty()) {
            throw new RunCoordinator.FleetProblem("no live worker on " + control.bootstrap() + " (topic prefix '"
                    + control.topics().prefix() + "'); start one with `kbench worker --bootstrap-server "
                    + control.bootstrap() + "`, or run `kbench local` for a self-contained run");
        }
        // A live worker that says it cannot work (its control loop died, it cannot start agents) is never planned
        // onto: it would take no assignment and the run would fail only at the ready timeout.
        List<RegistryView.Member> healthy = registry.usable(MemberRole.WORKER, now);
        String unhealthy = unhealthy(live, now);
        if (healthy.isEmpty()) {
            throw new RunCoordinator.FleetProblem("no healthy worker on " + control.bootstrap() + ": " + unhealthy);
        }
        if (!unhealthy.isEmpty()) {
            out.println("note: not planning onto unhealthy worker(s): " + unhealthy);
        }
        List<RegistryView.Member> chosen = new ArrayList<>(healthy);
        if (!request.workerIds().isEmpty()) {
            chosen.clear();
            for (String id : request.workerIds()) {
                RegistryView.Member member = live.stream()
                        .filter(m -> m.id().equals(id))
                        .findFirst()
                        .orElseThrow(() -> new RunCoordinator.FleetProblem("worker '" + id
                                + "' is not live; live workers: "
                                + live.stream().map(RegistryView.Member::id).toList()));
                if (!member.usable(now)) {
                    throw new RunCoordinator.FleetProblem("worker '" + id + "' is "
                            + member.heartbeat().health().describe() + "; healthy workers: "
                            + healthy.stream().map(RegistryView.Member::id).toList());
                }
                chosen.add(member);
            }
        } else if (request.workers() > 0) {
            if (request.workers() > healthy.size()) {
                throw new RunCoordinator.FleetProblem("--workers " + request.workers() + " asked, but only "
                        + healthy.size() + " worker(s) are live and healthy"
                        + (unhealthy.isEmpty() ? "" : "; unhealthy: " + unhealthy));
            }
            chosen.sort(Comparator.comparingInt(m -> m.heartbeat().runningAgents()));
            chosen = new ArrayList<>(chosen.subList(0, request.workers()));
        }
        return chosen.stream()
                .map(m -> new WorkerSlot(
                        m.heartbeat().memberId(),
                        Math.max(0, m.heartbeat().capacity() - m.heartbeat().runningAgents())))
                .toList();
    }

    /** The live members that say they cannot work, each with why: {@code w2 unhealthy (…)}, or empty. */
    private static String unhealthy(List<RegistryView.Member> live, long now) {
        return String.join(
                "; ",
                live.stream()
                        .filter(m -> !m.usable(now))
                        .map(m -> m.id() + " " + m.heartbeat().health().describe())
                        .toList());
    }

    void requireAggregator(RegistryView registry) {
        long now = control.codec().clock().millis();
        List<RegistryView.Member> live = registry.live(MemberRole.AGGREGATOR, now);
        if (live.isEmpty()) {
            throw new RunCoordinator.FleetProblem("no live aggregator on " + control.bootstrap() + " (topic prefix '"
                    + control.topics().prefix() + "'); start one with `kbench aggregator --bootstrap-server "
                    + control.bootstrap() + "`");
        }
        List<RegistryView.Member> failed = live.stream()
                .filter(m -> m.heartbeat().health().state() == MemberHealth.State.UNHEALTHY)
                .toList();
        if (failed.size() == live.size()) {
            throw new RunCoordinator.FleetProblem(
                    "no working aggregator on " + control.bootstrap() + ": " + unhealthy(live, now) + "; restart it");
        }
        // Rebalancing or restoring is transient: the run may go, and the progress shows the wait.
        live.stream()
                .filter(m -> !m.usable(now))
                .forEach(m -> out.println("note: aggregator " + m.id() + " is "
                        + m.heartbeat().health().describe() + "; windows and results wait for it"));
    }

    /** The cluster under test, where its address came from, and how to give another one. */
    record Target(String bootstrap, String origin, String override) {}

    Target target(RunRequest request, DriverConfig driver, String source) {
        if (request.targetBootstrap() != null) {
            String origin = request.targetOrigin() != null ? request.targetOrigin() : "from --target-bootstrap";
            return new Target(
                    request.targetBootstrap(),
                    origin,
                    origin.contains("--target-bootstrap")
                            ? "check the address given to --target-bootstrap"
                            : "pass --target-bootstrap HOST:PORT to test another cluster");
        }
        String fromDriver = driver.commonProperties(source).get("bootstrap.servers");
        if (fromDriver != null) {
            return new Target(
                    fromDriver,
                    "from bootstrap.servers at "
                            + BenchmarkFiles.whereText(request.driver().file(), "bootstrap.servers"),
                    "pass --target-bootstrap HOST:PORT to test another cluster without editing the driver");
        }
        return new Target(
                control.bootstrap(),
                "the control cluster (--bootstrap-server), as " + source + " sets no bootstrap.servers",
                "pass --target-bootstrap HOST:PORT, or set bootstrap.servers in the driver's commonConfig");
    }

    /** The topic's or broker's size limit, checked on the cluster under test before any topic or agent exists. */
    void requireMessageFits(BenchmarkTopics topics, RunRequest request, Workload workload) throws InterruptedException {
        topics.brokers(); // an unreachable cluster is named as such, with where its address came from
        DriverConfig driver = request.driver().driver();
        boolean limitInDriver =
                driver.topicProperties(request.driver().source()).containsKey("max.message.bytes");
        if (limitInDriver && workload.existingTopics().isEmpty()) {
            return; // checked against the driver's topicConfig when the files were loaded
        }
        OptionalInt read = topics.maxMessageBytes(workload.existingTopics());
        String name = workload.existingTopics().isEmpty() ? "the broker's message.max.bytes" : "max.message.bytes";
        String origin = read.isPresent()
                ? (workload.existingTopics().isEmpty()
                        ? "read from the cluster under test; the driver's topicConfig does not set max.message.bytes"
                        : "of existingTopics " + workload.existingTopics() + " on the cluster under test")
                : "Kafka's default; the cluster under test did not say";
        String note = BenchmarkFiles.requireFitsTopic(
                request.workload(),
                read.orElse(MessageLimits.DEFAULT_MAX_MESSAGE_BYTES),
                name,
                origin,
                BenchmarkFiles.compression(request.driver()));
        if (note != null) {
            out.println("note: " + note);
        }
    }

    List<String> prepareTopics(
            BenchmarkTopics topics, String runId, Workload workload, DriverConfig driver, String source)
            throws InterruptedException {
        if (!workload.existingTopics().isEmpty()) {
            topics.existing(workload.existingTopics());
            return workload.existingTopics();
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < workload.topics(); i++) {
            names.add("kbench-" + runId + "-" + i);
        }
        List<String> notes = topics.create(
                names, workload.partitionsPerTopic(), driver.replicationFactor(), driver.topicProperties(source));
        notes.forEach(note -> out.println("note: " + note));
        return names;
    }
}
