package io.kbench.aggregator.run;

import io.kbench.protocol.message.AgentRole;
import io.kbench.protocol.message.RunSpec;
import io.kbench.protocol.message.RunStatus;
import io.kbench.protocol.message.RunSummary;
import io.kbench.protocol.message.WindowSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds a {@link RunSummary} from a run's measured totals and its {@link RunVerdict}. */
final class RunSummaries {

    private RunSummaries() {}

    static RunSummary of(
            RunAccumulator run,
            StatsAccumulator measured,
            RunVerdict verdict,
            long completedAt,
            List<WindowSummary> measuredWindows) {
        RunSpec spec = run.spec();
        RunSchedule schedule = run.schedule();
        long measureStart = schedule == null ? 0 : schedule.measureStart();
        long measureEnd = schedule == null ? 0 : spanEnd(run, measured, schedule, verdict.status());
        long span = measureEnd - measureStart;
        long[] totals = measured.totals();
        List<String> notes = new ArrayList<>(verdict.notes());
        long backlog = backlog(run, notes);
        compiling(totals[Counters.COMPILE_MILLIS], span, run.agentsReported(), notes);
        collecting(measured, span, notes);
        shortfall(spec, totals, span, notes);
        return new RunSummary(
                run.runId(),
                spec == null ? null : spec.workloadName(),
                spec == null ? null : spec.driverName(),
                spec == null ? null : spec.sweepId(),
                spec == null ? null : spec.sweepScale(),
                verdict.status(),
                run.missingAgents(),
                measureStart,
                measureEnd,
                Counters.rates(totals, span),
                totals[Counters.SENT],
                totals[Counters.BYTES_SENT],
                totals[Counters.SEND_ERRORS],
                measured.errorsByType(),
                totals[Counters.RECEIVED],
                totals[Counters.BYTES_RECEIVED],
                totals[Counters.NEGATIVE_END_TO_END],
                backlog,
                measured.latencies(),
                measured.encodedHistograms(),
                measuredWindows,
                measured.perWorkerRates(span),
                measured.perAgentRates(span),
                Counters.cpuPercent(totals, span),
                run.agentsReported(),
                completedAt,
                verdict.reason(),
                notes);
    }

    /**
     * The end of the measured span that rates are over. It runs over the schedule, not over the reports: the
     * agents' final reports are cut when they close, after the stop, so the reports' end overstates the span
     * (60 s at 10,000 msg/s read 9,910). A complete run spans the whole measurement; a run cut short, up to where
     * its agents' reports reached (or the StopRun, if earlier); an open-ended run up to its StopRun or, with none,
     * its last measured report.
     */
    private static long spanEnd(RunAccumulator run, StatsAccumulator measured, RunSchedule schedule, RunStatus status) {
        long start = schedule.measureStart();
        if (!schedule.openEnded() && status == RunStatus.COMPLETE) {
            return schedule.measureEnd();
        }
        long reached = measured.isEmpty() ? start : measured.maxIntervalEnd();
        if (!schedule.openEnded()) {
            Long highest = run.highestWatermark();
            reached = highest == null ? start : highest;
            if (run.stopSentAt() != null) {
                // Agents stop at the StopRun; their final reports, cut when they close, reach past it.
                reached = Math.min(reached, run.stopSentAt());
            }
        }
        long end = Math.min(reached, schedule.measureEnd());
        return Math.max(start, end);
    }

    /**
     * The share of the measurement from which the agents' JIT compilers count as still busy. It is elapsed compile
     * time, which a saturated host stretches: on 2 cores, 5 and 9 agent JVMs at 2,000 msg/s per producer compiled
     * 37-76 % of a measurement after a 30 s warm-up, and 6-7 % after 120 s, when their CPU had settled.
     */
    static final double COMPILING_SHARE = 0.10;

    /**
     * Notes a measurement during which the agents' JIT compilers were still busy: the figures then include code
     * still warming up (on a small host, one JVM per agent, the first minute or more), and the compilers' CPU
     * competes with the load. Each agent reports its JVM's compile time, so the average over agents is the share
     * of the measurement their JVMs spent compiling, however they are packed.
     */
    private static void compiling(long compileMillis, long spanMs, int agents, List<String> notes) {
        if (agents <= 0 || spanMs <= 0) {
            return;
        }
        double share = compileMillis / ((double) spanMs * agents);
        if (share >= COMPILING_SHARE) {
            notes.add(String.format(
                    Locale.ROOT,
                    "agents' JVMs were still JIT-compiling during the measurement (%.0f %% of its %.0f s, averaged"
                            + " over %d agents): the figures include warm-up; a longer warm-up measures steady code",
                    share * 100,
                    spanMs / 1000.0,
                    agents));
        }
    }

    /** How far below the workload's rate the producers may publish before the summary says they fell behind. */
    static final double SHORTFALL = 0.01;

    /**
     * Notes a measurement in which the producers published less than the workload's fixed rate ({@code producerRate}
     * above 0; max-rate discovery changes the rate as it goes) by more than {@link #SHORTFALL}. A producer counts a
     * message in the phase of its intended send time, so producers that fell behind their schedule (a saturated
     * cluster or load generator) publish less in the measurement than asked: 100,000 msg/s asked on 2 cores read 0
     * msg/s, every ack of the measurement being for a send intended during the warm-up. The latencies then measure
     * a saturated system, and the publish delay says by how much the producers were late.
     */
    private static void shortfall(RunSpec spec, long[] totals, long spanMs, List<String> notes) {
        if (spec == null || spec.workload() == null || spec.workload().producerRate() <= 0 || spanMs <= 0) {
            return;
        }
        double asked = spec.workload().producerRate();
        double published = Counters.rates(totals, spanMs).publishRate();
        if (published < asked * (1 - SHORTFALL)) {
            // What they did acknowledge in the measurement, sends intended before it included (the throughput).
            double late = totals[Counters.SENT_OUTSIDE_PHASE] * 1000.0 / spanMs;
            notes.add(String.format(
                    Locale.ROOT,
                    "producers published %,.0f msg/s of the %,.0f asked (%.1f %%%s): they fell behind their schedule,"
                            + " so the latencies measure a saturated cluster or load generator (the publish delay says"
                            + " how late the sends were)",
                    published,
                    asked,
                    published / asked * 100,
                    late > 0
                            ? String.format(
                                    Locale.ROOT,
                                    "; with the acks of sends intended before the measurement, %,.0f msg/s",
                                    published + late)
                            : ""));
        }
    }

    /**
     * The share of the measurement an agent's JVM may spend in garbage collections before the summary says so. A
     * producer agent at 100,000 msg/s of 1 KB with kbench's default heap paused 6-12 times for 80-190 ms while its
     * heap grew, and a consumer collected 1,150 times in 20 s (bench/footprint.sh with GC logs).
     */
    static final double COLLECTING_SHARE = 0.01;

    /**
     * Notes a measurement during which an agent's JVM spent at least {@link #COLLECTING_SHARE} of the time in
     * garbage collections: while it pauses an agent neither sends nor reads, so the run's latencies include the
     * load generator's own pauses. Names the agent that paused most (each agent reports its JVM's time), how often
     * and how long on average, and the average over all agents.
     */
    private static void collecting(StatsAccumulator measured, long spanMs, List<String> notes) {
        Map.Entry<String, long[]> most = measured.agentWithMost(Counters.GC_MILLIS);
        if (most == null || spanMs <= 0) {
            return;
        }
        long[] c = most.getValue();
        double share = c[Counters.GC_MILLIS] / (double) spanMs;
        if (share >= COLLECTING_SHARE) {
            double average = measured.totals()[Counters.GC_MILLIS] / ((double) spanMs * measured.agents());
            notes.add(String.format(
                    Locale.ROOT,
                    "agent %s's JVM spent %.1f %% of the %.0f s measurement in garbage collection (%,d collections,"
                            + " %.1f ms each on average; %.1f %% averaged over %d agents): latencies include the load"
                            + " generator's own pauses",
                    most.getKey(),
                    share * 100,
                    spanMs / 1000.0,
                    c[Counters.GC_COUNT],
                    c[Counters.GC_MILLIS] / (double) Math.max(c[Counters.GC_COUNT], 1),
                    average * 100,
                    measured.agents()));
        }
    }

    /**
     * Sent × subscriptions − received over the whole run, never below 0. A producer that ended without its last
     * report, or abnormally, sent messages it never reported, so consumers can have received more than was
     * reported sent (−1,370 after a broker outage): the backlog is then unknown, and a note says so.
     */
    private static long backlog(RunAccumulator run, List<String> notes) {
        long raw = run.cumulativeBacklog();
        List<String> producers = producersWithUnreportedSends(run);
        if (!producers.isEmpty()) {
            String names = producers.size() <= 3
                    ? String.join(", ", producers)
                    : String.join(", ", producers.subList(0, 3)) + " and " + (producers.size() - 3) + " more";
            notes.add("backlog unknown: producer" + (producers.size() == 1 ? " " : "s ") + names
                    + (producers.size() == 1 ? "'s" : "'") + " last sends were never reported");
        } else if (raw < 0) {
            notes.add(String.format(
                    Locale.ROOT,
                    "backlog read %,d (consumers counted more than producers reported sent) and is shown as 0",
                    raw));
        }
        return Math.max(0, raw);
    }

    /** Producers that ended abnormally or sent no last report: their last sends were never reported. */
    private static List<String> producersWithUnreportedSends(RunAccumulator run) {
        List<String> producers = new ArrayList<>();
        run.agentFacts().forEach((agent, facts) -> {
            boolean abnormal = facts.stop() != null && facts.stop().abnormal();
            if (facts.role() == AgentRole.PRODUCER && (!run.ended(agent) || abnormal)) {
                producers.add(agent);
            }
        });
        return producers;
    }
}
