package io.kbench.controller.run;

import io.kbench.controller.mode.RunPlaybook;
import io.kbench.protocol.Json;
import io.kbench.protocol.message.AgentFailed;
import io.kbench.protocol.message.AgentReady;
import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.Rates;
import io.kbench.protocol.message.RunAssignment;
import io.kbench.protocol.message.RunSpec;
import io.kbench.protocol.message.RunStatus;
import io.kbench.protocol.message.RunSummary;
import io.kbench.protocol.message.StatsReport;
import io.kbench.protocol.message.WindowSummary;
import io.kbench.protocol.message.Workload;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Records of a small run (agents p0, c0 on worker w1; 10 s warm-up, 60 s measurement) for lifecycle tests. */
public final class RunFixtures {

    static final String RUN = "r1";
    static final long WARMUP_MS = 10_000;
    static final long MEASURE_MS = 60_000;

    private RunFixtures() {}

    static RunSpec spec() {
        return new RunSpec(
                "w",
                "d",
                null,
                Map.of(),
                List.of("p0", "c0"),
                Map.of("w1", 2),
                List.of("t0"),
                1,
                WARMUP_MS,
                MEASURE_MS,
                1000,
                10,
                null,
                null,
                0);
    }

    static List<RunAssignment> assignments() {
        return List.of(new RunAssignment(RUN + "-w1", "w1", List.of(), 1, List.of(), 1_000_000));
    }

    static AgentReady ready(String agent) {
        return new AgentReady("w1", agent);
    }

    static AgentFailed failed(String agent, String reason, String... stderr) {
        return new AgentFailed("w1", List.of(agent), 3, reason, List.of(stderr));
    }

    /** Every field at its default but the producers' total rate ({@code null}: max-rate discovery). */
    static Workload workload(Double producerRate) {
        Map<String, Object> fields = new java.util.HashMap<>(Map.of("name", "w"));
        fields.put("producerRate", producerRate);
        return Json.WIRE.convertValue(fields, Workload.class);
    }

    /**
     * The progress of this run (2 agents on w1, topic t0) printing to {@code out}, UTF-8.
     *
     * @param width the terminal's columns, or 0 for plain lines
     */
    static RunProgress progress(OutputStream out, Workload workload, int width) {
        return new RunProgress(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                RUN,
                workload,
                Map.of("w1", 2),
                List.of("t0"),
                "localhost:9092",
                width);
    }

    static WindowSummary window(long start) {
        return window(start, Phase.MEASURE, 100);
    }

    /** A 10 s window of {@code publishRate} messages per second published and consumed. */
    static WindowSummary window(long start, Phase phase, double publishRate) {
        return new WindowSummary(
                RUN,
                start,
                start + 10_000,
                phase,
                new Rates(publishRate, 0, publishRate, publishRate / 1000, publishRate / 1000),
                1000,
                1000,
                0,
                0,
                Map.of(),
                Map.of(),
                Map.of(),
                10,
                2,
                false);
    }

    static RunSummary summary(RunStatus status, String reason, List<String> missing) {
        return summary(RUN, null, status, reason, missing, 2);
    }

    /** A COMPLETE summary with nothing measured, of any run; of a sweep's point when {@code sweepId} is set. */
    public static RunSummary completed(String runId, String sweepId) {
        return summary(runId, sweepId, RunStatus.COMPLETE, null, List.of(), 0);
    }

    private static RunSummary summary(
            String runId, String sweepId, RunStatus status, String reason, List<String> missing, int agents) {
        return new RunSummary(
                runId,
                "w",
                "d",
                sweepId,
                null,
                status,
                missing,
                0,
                0,
                Rates.ZERO,
                0,
                0,
                0,
                Map.of(),
                0,
                0,
                0,
                0,
                Map.of(),
                Map.of(),
                List.of(),
                Map.of(),
                Map.of(),
                0,
                agents,
                0,
                reason,
                List.of());
    }

    /** A playbook whose answers a test scripts, and which remembers what it was told. */
    static final class ScriptedPlaybook implements RunPlaybook {
        final List<Message> onWindow = new ArrayList<>();
        final List<Message> onTick = new ArrayList<>();
        final List<String> news = new ArrayList<>();
        final List<WindowSummary> windowsSeen = new ArrayList<>();
        final List<StatsReport> reportsSeen = new ArrayList<>();
        List<String> startedWith = List.of();
        long extraBudgetMs;
        long startedAt = -1;
        int ticks;

        @Override
        public long agentMeasureMs() {
            return MEASURE_MS;
        }

        @Override
        public long extraBudgetMs() {
            return extraBudgetMs;
        }

        @Override
        public List<Message> onWindow(WindowSummary window, long now) {
            windowsSeen.add(window);
            List<Message> out = List.copyOf(onWindow);
            onWindow.clear();
            return out;
        }

        @Override
        public void onReport(StatsReport report) {
            reportsSeen.add(report);
        }

        @Override
        public List<Message> onTick(long now) {
            ticks++;
            List<Message> out = List.copyOf(onTick);
            onTick.clear();
            return out;
        }

        @Override
        public void started(long startAt, List<String> agentIds) {
            startedAt = startAt;
            startedWith = agentIds;
        }

        @Override
        public List<String> news() {
            List<String> out = List.copyOf(news);
            news.clear();
            return out;
        }
    }
}
