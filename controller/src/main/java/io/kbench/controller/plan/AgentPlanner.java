package io.kbench.controller.plan;

import io.kbench.controller.config.DriverConfig;
import io.kbench.protocol.message.AgentTask;
import io.kbench.protocol.message.ConsumerTask;
import io.kbench.protocol.message.PayloadSpec;
import io.kbench.protocol.message.ProducerTask;
import io.kbench.protocol.message.RateSplit;
import io.kbench.protocol.message.RunAssignment;
import io.kbench.protocol.message.Workload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans a run's agents over the chosen workers: every producer and consumer of the workload becomes one {@link
 * AgentTask}, spread round-robin over the workers by free capacity so each gets a share of both roles.
 */
public final class AgentPlanner {

    /** A worker that may take agents, and how many more it can run. */
    public record WorkerSlot(String workerId, int freeCapacity) {}

    /** The plan: every task by worker, in order. */
    public record Plan(Map<String, List<AgentTask>> tasksByWorker, List<String> agentIds, int producers) {
        /** One assignment per worker, each asking for {@code jvmOptions} on its agent JVMs. */
        public List<RunAssignment> assignments(
                String runId, int agentsPerJvm, List<String> jvmOptions, long deadlineAt) {
            List<RunAssignment> out = new ArrayList<>();
            tasksByWorker.forEach((worker, tasks) -> out.add(
                    new RunAssignment(runId + "-" + worker, worker, tasks, agentsPerJvm, jvmOptions, deadlineAt)));
            return out;
        }

        public Map<String, Integer> agentsPerWorker() {
            Map<String, Integer> out = new LinkedHashMap<>();
            tasksByWorker.forEach((worker, tasks) -> out.put(worker, tasks.size()));
            return out;
        }
    }

    /** How a run's agents are packed into JVMs, and the line that tells the user. */
    public record Packing(int agents, int perJvm, int jvms, String line) {}

    /**
     * The fewest agents per JVM that keep {@code agents} within {@code jvmBudget} JVMs on {@code workers}
     * worker(s): {@code packing 400 agents into 58 JVMs (7 per JVM) to fit 1 worker with room for 64}.
     */
    public static Packing pack(int agents, int jvmBudget, int workers) {
        if (jvmBudget < 1) {
            throw new IllegalArgumentException("jvmBudget must be >= 1, got " + jvmBudget);
        }
        int perJvm = Math.max(1, (agents + jvmBudget - 1) / jvmBudget);
        int jvms = (agents + perJvm - 1) / perJvm;
        String line = perJvm == 1
                ? agents + " agents fit " + workers + " worker" + (workers == 1 ? "" : "s") + " with room for "
                        + jvmBudget + " JVMs: one JVM per agent"
                : "packing " + agents + " agents into " + jvms + " JVMs (" + perJvm + " per JVM) to fit " + workers
                        + " worker" + (workers == 1 ? "" : "s") + " with room for " + jvmBudget;
        return new Packing(agents, perJvm, jvms, line);
    }

    private AgentPlanner() {}

    /**
     * @param topics the benchmark topics, one per workload topic
     * @param producerConfig commonConfig + producerConfig, without bootstrap.servers
     * @param consumerConfig commonConfig + consumerConfig, without bootstrap.servers
     */
    public static Plan plan(
            String runId,
            Workload workload,
            List<String> topics,
            String targetBootstrap,
            Map<String, String> producerConfig,
            Map<String, String> consumerConfig,
            List<WorkerSlot> workers,
            int statsIntervalMs) {
        List<AgentTask> producers = new ArrayList<>();
        List<AgentTask> consumers = new ArrayList<>();
        int totalProducers = workload.producersPerTopic() * topics.size();
        // The agents divide a RateChange by the same function, so plan and rate changes agree on the total.
        double perProducerRate =
                totalProducers == 0 ? 0 : RateSplit.perProducer(workload.producerRate(), totalProducers);
        PayloadSpec payload = new PayloadSpec(
                payloadName(workload.payloadFile()),
                workload.useRandomizedPayloads(),
                workload.randomBytesRatio(),
                workload.randomizedPayloadPoolSize());
        for (int t = 0; t < topics.size(); t++) {
            for (int p = 0; p < workload.producersPerTopic(); p++) {
                producers.add(new ProducerTask(
                        "p" + (producers.size()),
                        targetBootstrap,
                        producerConfig,
                        topics.get(t),
                        perProducerRate,
                        totalProducers,
                        workload.messageSize(),
                        payload,
                        workload.keyDistributor(),
                        statsIntervalMs));
            }
            for (int s = 0; s < workload.subscriptionsPerTopic(); s++) {
                String group = "kbench-" + runId + "-t" + t + "-s" + s;
                for (int c = 0; c < workload.consumerPerSubscription(); c++) {
                    consumers.add(new ConsumerTask(
                            "c" + t + "-" + s + "-" + c,
                            targetBootstrap,
                            consumerConfig,
                            List.of(topics.get(t)),
                            group,
                            workload.consumerPerSubscription(),
                            statsIntervalMs));
                }
            }
        }
        // Producers, then consumers, from one round-robin pointer: every worker gets a share of each role.
        List<AgentTask> all = new ArrayList<>(producers);
        all.addAll(consumers);
        return new Plan(
                distribute(all, workers), all.stream().map(AgentTask::agentId).toList(), producers.size());
    }

    /**
     * A payload file travels by name only: each worker reads it from its own payload directory ({@code
     * --payload-dir}), so nothing on a topic can point a worker at any other file of its host.
     */
    static String payloadName(String payloadFile) {
        if (payloadFile == null || payloadFile.isBlank()) {
            return null;
        }
        return java.nio.file.Path.of(payloadFile).getFileName().toString();
    }

    private static Map<String, List<AgentTask>> distribute(List<AgentTask> tasks, List<WorkerSlot> workers) {
        int capacity = workers.stream().mapToInt(WorkerSlot::freeCapacity).sum();
        if (tasks.size() > capacity) {
            throw new FleetTooSmall("the run needs " + tasks.size() + " agents but the chosen workers have room for "
                    + capacity + " (" + workers + "); add workers or raise --max-agents on them (a worker's capacity "
                    + "counts agents, not JVMs; with kbench local, --agents-per-jvm auto packs the agents into at "
                    + "most --max-agents JVMs)");
        }
        Map<String, List<AgentTask>> byWorker = new LinkedHashMap<>();
        Map<String, Integer> left = new HashMap<>();
        workers.forEach(w -> {
            byWorker.put(w.workerId(), new ArrayList<>());
            left.put(w.workerId(), w.freeCapacity());
        });
        int next = 0;
        for (AgentTask task : tasks) {
            // Round-robin, skipping full workers: even by count while capacity allows.
            while (left.get(workers.get(next % workers.size()).workerId()) == 0) {
                next++;
            }
            String worker = workers.get(next % workers.size()).workerId();
            byWorker.get(worker).add(task);
            left.merge(worker, -1, Integer::sum);
            next++;
        }
        byWorker.values().removeIf(List::isEmpty);
        return byWorker;
    }

    /** Producer and consumer client settings from a driver, bootstrap removed (each task carries its own). */
    public static Map<String, String> clientConfig(DriverConfig driver, String source, boolean producer) {
        Map<String, String> config = new LinkedHashMap<>(driver.commonProperties(source));
        config.putAll(producer ? driver.producerProperties(source) : driver.consumerProperties(source));
        config.remove("bootstrap.servers");
        return config;
    }

    /** The fleet cannot host the run. */
    public static final class FleetTooSmall extends RuntimeException {
        public FleetTooSmall(String message) {
            super(message);
        }
    }
}
