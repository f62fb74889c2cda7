package io.kbench.aggregator.run;

import io.kbench.protocol.message.AgentStop;
import io.kbench.protocol.message.RunStatus;
import io.kbench.protocol.message.StatsReport;
import io.kbench.protocol.message.StopRun;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a run ended and why. A run is {@link RunStatus#COMPLETE} only when it earned it: every agent of the spec sent
 * a last report with a normal stop ({@code SCHEDULE_END}, or {@code RUN_STOPPED} by a {@code StopRun(COMPLETED)}),
 * the reports of each cover the whole measurement, and failed sends stay within {@link #MAX_SEND_ERROR_RATIO}.
 * Otherwise the run is FAILED (errors over the bound, or {@code StopRun(FAILED)}), INTERRUPTED ({@code StopRun}
 * INTERRUPTED or OPERATOR), or INCOMPLETE, and {@link #reason} says in one line which agents on which workers fell
 * short, why, and how much they measured.
 *
 * @param reason one line, {@code null} for a complete run
 * @param notes facts a reader of a run's figures must know, whatever its status
 */
record RunVerdict(RunStatus status, String reason, List<String> notes) {

    /** A COMPLETE run's failed sends are at most this share of the attempted sends (sent + failed): 0.1 %. */
    static final double MAX_SEND_ERROR_RATIO = 0.001;

    /**
     * An agent covered the measurement when its reports reach its end less this: agents cut a report at the
     * schedule's end by their own timer, and a report of an agent whose stop raced the end may stop a little short.
     */
    static final long COVERAGE_TOLERANCE_MS = 200;

    /** Agents named in a reason; the rest are counted, so the reason stays one line with a thousand agents. */
    private static final int AGENTS_NAMED = 3;

    /** The measured send counters the verdict weighs. */
    record Sends(long sent, long failed, Map<String, Long> errorsByType) {}

    /** One agent that fell short; a lower rank is the likelier cause and is named first. */
    private record Shortfall(int rank, String text) {}

    static RunVerdict judge(RunAccumulator run, Sends sends) {
        List<String> notes = new ArrayList<>();
        long unacked = sends.errorsByType().getOrDefault(StatsReport.UNACKED_AT_STOP, 0L);
        if (unacked > 0) {
            notes.add(String.format(
                    Locale.ROOT,
                    "%,d sends were still unacknowledged when the producers closed at their stop (neither sent nor"
                            + " failed)",
                    unacked));
        }
        boolean errorsOverBound = sends.failed() > MAX_SEND_ERROR_RATIO * (sends.sent() + sends.failed());
        if (sends.failed() > 0 && !errorsOverBound) {
            notes.add(errorsText(sends) + ", within the " + percent(MAX_SEND_ERROR_RATIO, 1) + " bound");
        }
        RunSchedule schedule = run.schedule();
        StopRun stop = effectiveStop(run);
        StopRun.Reason stopReason = stop == null ? null : stop.reason();
        String stopText = stop == null ? null : stopText(run, stop);
        String shortfalls = schedule == null ? notStarted(run) : shortfalls(run, schedule, stopReason);

        if (errorsOverBound) {
            String why = errorsText(sends) + ", over the " + percent(MAX_SEND_ERROR_RATIO, 1) + " bound";
            return new RunVerdict(RunStatus.FAILED, join(why, stopText, shortfalls), notes);
        }
        if (stopReason == StopRun.Reason.FAILED) {
            return new RunVerdict(RunStatus.FAILED, join(stopText, shortfalls), notes);
        }
        if (stopReason == StopRun.Reason.INTERRUPTED || stopReason == StopRun.Reason.OPERATOR) {
            return new RunVerdict(RunStatus.INTERRUPTED, join(stopText, shortfalls), notes);
        }
        if (shortfalls == null) {
            return new RunVerdict(RunStatus.COMPLETE, null, notes);
        }
        return new RunVerdict(RunStatus.INCOMPLETE, join(stopText, shortfalls), notes);
    }

    /**
     * The StopRun, or when it has not reached the aggregator yet (a run ends as soon as every agent reported, and
     * control records travel through a repartition topic), the most serious one the agents say they obeyed.
     */
    private static StopRun effectiveStop(RunAccumulator run) {
        if (run.stop() != null) {
            return run.stop();
        }
        StopRun worst = null;
        for (AgentFacts facts : run.agentFacts().values()) {
            StopRun.Reason reason = reasonOf(facts);
            if (reason != null && (worst == null || severity(reason) > severity(worst.reason()))) {
                worst = new StopRun(reason, null);
            }
        }
        return worst;
    }

    /** The StopRun reason an agent that stopped with {@code RUN_STOPPED} names first in its detail. */
    static StopRun.Reason reasonOf(AgentFacts facts) {
        if (facts.stop() != AgentStop.RUN_STOPPED || facts.stopDetail() == null) {
            return null;
        }
        String detail = facts.stopDetail().strip();
        int colon = detail.indexOf(':');
        String name = (colon < 0 ? detail : detail.substring(0, colon)).strip();
        for (StopRun.Reason reason : StopRun.Reason.values()) {
            if (reason.name().equals(name)) {
                return reason;
            }
        }
        return null;
    }

    private static int severity(StopRun.Reason reason) {
        return switch (reason) {
            case COMPLETED -> 0;
            case ABORTED -> 1;
            case INTERRUPTED, OPERATOR -> 2;
            case FAILED -> 3;
        };
    }

    private static String stopText(RunAccumulator run, StopRun stop) {
        if (stop.reason() == StopRun.Reason.COMPLETED) {
            return null;
        }
        String source = run.stop() == null ? " (as the agents report it)" : "";
        String detail = stop.detail() == null || stop.detail().isBlank() ? "" : ": " + stop.detail();
        return "stopped by StopRun " + stop.reason() + source + detail;
    }

    private static String notStarted(RunAccumulator run) {
        if (run.spec() == null) {
            return "no RunSpec reached the aggregator";
        }
        return "no StartRun reached the aggregator";
    }

    /** The agents that fell short, the likeliest cause first, or {@code null} when none did. */
    private static String shortfalls(RunAccumulator run, RunSchedule schedule, StopRun.Reason stopReason) {
        List<String> agents = run.spec().agentIds();
        if (agents.isEmpty()) {
            return "the RunSpec names no agents";
        }
        List<Shortfall> found = new ArrayList<>();
        for (String agent : agents) {
            Shortfall shortfall = shortfall(run, schedule, stopReason, agent);
            if (shortfall != null) {
                found.add(shortfall);
            }
        }
        if (found.isEmpty()) {
            return null;
        }
        found.sort(Comparator.comparingInt(Shortfall::rank));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(AGENTS_NAMED, found.size()); i++) {
            text.append(i == 0 ? "" : "; ").append(found.get(i).text());
        }
        if (found.size() > AGENTS_NAMED) {
            text.append("; and ")
                    .append(found.size() - AGENTS_NAMED)
                    .append(" more of ")
                    .append(agents.size());
            text.append(" agents");
        }
        return text.toString();
    }

    private static Shortfall shortfall(
            RunAccumulator run, RunSchedule schedule, StopRun.Reason stopReason, String agent) {
        AgentFacts facts = run.agentFacts().get(agent);
        Long watermark = run.watermark(agent);
        String who = facts == null || facts.workerId() == null
                ? "agent " + agent + " (worker unknown)"
                : "agent " + agent + " on worker " + facts.workerId();
        String measured = measuredText(schedule, watermark);
        if (!run.ended(agent)) {
            return new Shortfall(1, who + ": no final report, " + measured);
        }
        AgentStop stop = facts == null ? null : facts.stop();
        if (stop != null && stop.abnormal()) {
            return new Shortfall(0, who + ": " + facts.stopPhrase() + ", " + measured);
        }
        if (stop == AgentStop.RUN_STOPPED && reasonOf(facts) != StopRun.Reason.COMPLETED) {
            return new Shortfall(2, who + ": " + facts.stopPhrase() + ", " + measured);
        }
        if (!covered(schedule, stopReason, stop, watermark)) {
            String cause = stop == null ? "stop cause unknown" : stop.name();
            return new Shortfall(2, who + ": reports end early (" + cause + "), " + measured);
        }
        return null;
    }

    /**
     * Whether an agent's reports reach the measurement's end. An open-ended run ends at its StopRun: an agent that
     * says it stopped for a StopRun(COMPLETED) ran to it; one that does not say must reach the StopRun's time.
     */
    private static boolean covered(RunSchedule schedule, StopRun.Reason stopReason, AgentStop stop, Long watermark) {
        if (schedule.openEnded() && stop == AgentStop.RUN_STOPPED) {
            return true;
        }
        if (schedule.openEnded() && stopReason != StopRun.Reason.COMPLETED) {
            return false;
        }
        return watermark != null && watermark >= schedule.measureEnd() - COVERAGE_TOLERANCE_MS;
    }

    private static String measuredText(RunSchedule schedule, Long watermark) {
        long measured = watermark == null
                ? 0
                : Math.max(0, Math.min(watermark, schedule.measureEnd()) - schedule.measureStart());
        if (schedule.openEnded()) {
            return "measured " + seconds(measured);
        }
        return "measured " + seconds(measured) + " of " + seconds(schedule.measureMs());
    }

    private static String errorsText(Sends sends) {
        String text =
                String.format(Locale.ROOT, "%,d of %,d sends failed", sends.failed(), sends.sent() + sends.failed());
        List<Map.Entry<String, Long>> types = sends.errorsByType().entrySet().stream()
                .filter(e -> !StatsReport.UNACKED_AT_STOP.equals(e.getKey()))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .toList();
        if (types.size() == 1) {
            return text + " (" + types.get(0).getKey() + ")";
        }
        if (types.size() > 1) {
            List<String> named = types.stream()
                    .limit(2)
                    .map(e -> String.format(Locale.ROOT, "%s %,d", e.getKey(), e.getValue()))
                    .toList();
            return text + " (" + String.join(", ", named) + (types.size() > 2 ? ", …" : "") + ")";
        }
        return text;
    }

    /** {@code 20 s}, {@code 6.2 s}. */
    static String seconds(long ms) {
        return ms % 1000 == 0
                ? String.format(Locale.ROOT, "%d s", ms / 1000)
                : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private static String percent(double ratio, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f %%", ratio * 100);
    }

    private static String join(String... parts) {
        List<String> present = new ArrayList<>();
        for (String part : parts) {
            if (part != null && !part.isBlank()) {
                present.add(part);
            }
        }
        return present.isEmpty() ? null : String.join("; ", present);
    }
}
