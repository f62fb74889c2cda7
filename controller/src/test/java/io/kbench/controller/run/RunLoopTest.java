package io.kbench.controller.run;

import static io.kbench.controller.run.RunFixtures.failed;
import static io.kbench.controller.run.RunFixtures.ready;
import static io.kbench.controller.run.RunFixtures.summary;
import static io.kbench.controller.run.RunFixtures.window;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.controller.mode.RunPlaybook;
import io.kbench.controller.run.RunLifecycle.Action;
import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.RunAssignment;
import io.kbench.protocol.message.RunSpec;
import io.kbench.protocol.message.RunStatus;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StopRun;
import io.kbench.testing.TestClock;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The shell over the lifecycle, on an in-memory channel and a clock that moves only as the loop polls. */
class RunLoopTest {

    private static final long T0 = 5_000_000;

    /** A channel whose records arrive at scripted instants; a poll moves the clock to the next one, or by its timeout. */
    private static final class ScriptedChannel implements RunChannel {
        private final TestClock clock;
        private final TreeMap<Long, List<Message>> arrivals = new TreeMap<>();
        private final TreeMap<Long, Runnable> happenings = new TreeMap<>();
        final List<Message> published = new ArrayList<>();
        final List<Long> publishedAt = new ArrayList<>();

        ScriptedChannel(TestClock clock) {
            this.clock = clock;
        }

        ScriptedChannel at(long when, Message message) {
            arrivals.computeIfAbsent(when, k -> new ArrayList<>()).add(message);
            return this;
        }

        ScriptedChannel atDo(long when, Runnable what) {
            happenings.put(when, what);
            return this;
        }

        @Override
        public void publish(Message message) {
            published.add(message);
            publishedAt.add(clock.millis());
        }

        @Override
        public List<Message> poll(Duration timeout) {
            long until = clock.millis() + timeout.toMillis();
            Map.Entry<Long, Runnable> happening = happenings.firstEntry();
            if (happening != null && happening.getKey() <= until) {
                happenings.pollFirstEntry();
                clock.set(Math.max(clock.millis(), happening.getKey()));
                happening.getValue().run();
                return List.of();
            }
            Map.Entry<Long, List<Message>> next = arrivals.firstEntry();
            if (next != null && next.getKey() <= until) {
                arrivals.pollFirstEntry();
                clock.set(Math.max(clock.millis(), next.getKey()));
                return next.getValue();
            }
            clock.set(until);
            return List.of();
        }

        long publishedAt(Class<?> type) {
            for (int i = 0; i < published.size(); i++) {
                if (type.isInstance(published.get(i))) {
                    return publishedAt.get(i);
                }
            }
            throw new AssertionError("no " + type.getSimpleName() + " published: " + published);
        }
    }

    private final TestClock clock = new TestClock(T0);
    private final ScriptedChannel channel = new ScriptedChannel(clock);
    private final AtomicBoolean interrupted = new AtomicBoolean();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final RunProgress progress = RunFixtures.progress(printed, RunFixtures.workload(null), 0);

    private Action.Finish run(RunTimings timings) {
        RunPlaybook fixed = () -> RunFixtures.MEASURE_MS;
        RunLifecycle lifecycle = new RunLifecycle(
                RunFixtures.RUN,
                RunFixtures.spec(),
                RunFixtures.assignments(),
                fixed,
                Duration.ofSeconds(90),
                timings,
                false);
        return new RunLoop(channel, clock, progress, interrupted, timings.pollInterval()).run(lifecycle);
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aCompleteRunPublishesInOrderAndEndsOnTheSummary() {
        channel.at(T0 + 300, ready("p0")).at(T0 + 300, ready("c0"));
        channel.at(T0 + 20_000, window(T0 + 10_000));
        channel.at(T0 + 75_000, summary(RunStatus.COMPLETE, null, List.of()));

        Action.Finish end = run(RunTimings.DEFAULTS);

        assertEquals(RunStatus.COMPLETE, end.status());
        assertEquals(1, end.windows().size());
        List<Class<?>> types =
                channel.published.stream().<Class<?>>map(Object::getClass).toList();
        assertEquals(List.of(RunSpec.class, RunAssignment.class, StartRun.class, StopRun.class), types);
        assertEquals(T0 + 300 + 1500, ((StartRun) channel.published.get(2)).startAt());
        assertTrue(printed().contains("all 2 agents ready"), printed());
        assertTrue(printed().contains("start barrier set; warm-up 10 s, measurement 60 s"), printed());
    }

    @Test
    void anAgentFailingMidRunIsAnsweredWithStopRunAbortedWithinTwoSeconds() {
        long failedAt = T0 + 30_123;
        channel.at(T0 + 300, ready("p0")).at(T0 + 300, ready("c0"));
        channel.at(failedAt, failed("p0", "exited with code 1"));
        // A second failure from the same fleet: no second StopRun.
        channel.at(failedAt + 400, failed("c0", "exited with code 1"));
        channel.at(failedAt + 6_000, summary(RunStatus.INCOMPLETE, "agent p0 failed", List.of()));

        Action.Finish end = run(RunTimings.DEFAULTS);

        long answeredAt = channel.publishedAt(StopRun.class);
        assertTrue(answeredAt - failedAt <= 2_000, "StopRun(ABORTED) " + (answeredAt - failedAt) + " ms after");
        List<Message> stops =
                channel.published.stream().filter(StopRun.class::isInstance).toList();
        assertEquals(
                List.of(new StopRun(StopRun.Reason.ABORTED, "agent(s) [p0] on w1 failed: exited with code 1")), stops);
        assertEquals(RunStatus.INCOMPLETE, end.status());
        assertEquals("agent p0 failed", end.problem());
        assertTrue(printed().contains("stopping the run: it can no longer measure everything it asked for"));
    }

    @Test
    void anInterruptWithoutSummaryEndsAfterTheShrunkInterruptWait() {
        RunTimings quick = new RunTimings(
                Duration.ofMillis(10),
                Duration.ofSeconds(5),
                Duration.ofSeconds(1),
                Duration.ofMillis(500),
                Duration.ofSeconds(1),
                Duration.ZERO,
                Duration.ZERO,
                Duration.ofSeconds(1),
                Duration.ofMillis(50));
        channel.at(T0 + 100, ready("p0")).at(T0 + 100, ready("c0"));
        channel.at(T0 + 1_000, window(T0));
        long interruptAt = T0 + 2_000;
        channel.atDo(interruptAt, () -> interrupted.set(true));

        Action.Finish end = run(quick);

        assertEquals(RunStatus.INTERRUPTED, end.status());
        assertEquals(1, end.windows().size());
        long stoppedAt = channel.publishedAt(StopRun.class);
        assertTrue(stoppedAt - interruptAt <= 50, "stopped " + (stoppedAt - interruptAt) + " ms after the interrupt");
        assertTrue(clock.millis() > stoppedAt + 500, "waited the interrupt wait");
        assertTrue(clock.millis() <= stoppedAt + 500 + 50 + 50, "and not much longer: " + (clock.millis() - stoppedAt));
        assertEquals(
                1, channel.published.stream().filter(StopRun.class::isInstance).count());
    }

    private static io.kbench.protocol.message.MemberHeartbeat aggregator(
            io.kbench.protocol.message.MemberHealth.State state, String detail) {
        return new io.kbench.protocol.message.MemberHeartbeat(
                "agg-1",
                io.kbench.protocol.message.MemberRole.AGGREGATOR,
                "h",
                2,
                1,
                0,
                0,
                "v",
                T0,
                2000,
                new io.kbench.protocol.message.MemberHealth(state, detail, T0, 0),
                null);
    }

    @Test
    void anAggregatorRestoringWhileResultsAreAwaitedIsShownAndSoIsItsReturn() {
        channel.at(T0 + 300, ready("p0")).at(T0 + 300, ready("c0"));
        channel.at(T0 + 2_000, aggregator(io.kbench.protocol.message.MemberHealth.State.HEALTHY, ""));
        channel.at(
                T0 + 71_000,
                aggregator(io.kbench.protocol.message.MemberHealth.State.RESTORING, "3 changelog partition(s)"));
        channel.at(
                T0 + 73_000,
                aggregator(io.kbench.protocol.message.MemberHealth.State.RESTORING, "1 changelog partition(s)"));
        channel.at(T0 + 104_000, aggregator(io.kbench.protocol.message.MemberHealth.State.HEALTHY, ""));
        channel.at(T0 + 104_500, summary(RunStatus.COMPLETE, null, List.of()));
        workerBeatsUntil(T0 + 104_500);

        Action.Finish end = run(RunTimings.DEFAULTS);

        assertEquals(RunStatus.COMPLETE, end.status(), "a heartbeat is no event of the run");
        String out = printed();
        assertTrue(
                out.contains(
                        "aggregator agg-1 is restoring (3 changelog partition(s)); windows and results wait for it"),
                out);
        assertEquals(1, out.split("is restoring", -1).length - 1, "told once, not every heartbeat: " + out);
        assertTrue(out.contains("aggregator agg-1 is working again after 33.0 s"), out);
    }

    @Test
    void theSummarysWaitIsExtendedByTheTimeAnAggregatorSpendsRestoring() {
        // Start barrier ~T0+1.8 s, deadline ~T0+86.8 s, summary given up ~T0+116.8 s without a restore. The
        // aggregator restores from T0+80 s to T0+125 s (45 s) and the summary comes at T0+130 s: still awaited.
        channel.at(T0 + 300, ready("p0")).at(T0 + 300, ready("c0"));
        channel.at(T0 + 2_000, aggregator(io.kbench.protocol.message.MemberHealth.State.HEALTHY, ""));
        for (long at = T0 + 80_000; at < T0 + 125_000; at += 2_000) {
            channel.at(at, aggregator(io.kbench.protocol.message.MemberHealth.State.RESTORING, "2 stores"));
        }
        channel.at(T0 + 125_000, aggregator(io.kbench.protocol.message.MemberHealth.State.HEALTHY, ""));
        channel.at(T0 + 130_000, summary(RunStatus.COMPLETE, null, List.of()));
        workerBeatsUntil(T0 + 130_500);

        Action.Finish end = run(RunTimings.DEFAULTS);

        assertEquals(RunStatus.COMPLETE, end.status(), end.problem());
    }

    @Test
    void anUnhealthyAggregatorDoesNotExtendTheSummarysWait() {
        channel.at(T0 + 300, ready("p0")).at(T0 + 300, ready("c0"));
        for (long at = T0 + 80_000; at < T0 + 125_000; at += 2_000) {
            channel.at(at, aggregator(io.kbench.protocol.message.MemberHealth.State.UNHEALTHY, "stream thread died"));
        }
        channel.at(T0 + 130_000, summary(RunStatus.COMPLETE, null, List.of()));
        workerBeatsUntil(T0 + 130_500);

        Action.Finish end = run(RunTimings.DEFAULTS);

        assertEquals(RunStatus.FAILED, end.status());
        assertTrue(
                end.problem().startsWith("no run summary from the aggregator by 30 s after the deadline;"),
                end.problem());
    }

    /** A heartbeat of worker w1, running the run's two agents. */
    private static io.kbench.protocol.message.MemberHeartbeat workerW1() {
        return new io.kbench.protocol.message.MemberHeartbeat(
                "w1", io.kbench.protocol.message.MemberRole.WORKER, "h", 2, 1, 8, 2, "v", T0, 2000, null, null);
    }

    /** Worker w1 heartbeats every 2 s up to {@code until}: alive, so only the aggregator decides the run. */
    private void workerBeatsUntil(long until) {
        for (long at = T0 + 1_100; at <= until; at += 2_000) {
            channel.at(at, workerW1());
        }
    }

    @Test
    void aWorkerThatStopsHeartbeatingMidRunAbortsTheRunNamingIt() {
        channel.at(T0 + 300, ready("p0")).at(T0 + 300, ready("c0"));
        io.kbench.protocol.message.MemberHeartbeat w1 = workerW1();
        for (long at = T0 + 1_000; at <= T0 + 30_000; at += 2_000) {
            channel.at(at, w1); // then killed with its agents: no event, no last report, only silence
        }
        for (long at = T0 + 1_500; at <= T0 + 44_000; at += 2_000) {
            channel.at(
                    at,
                    aggregator(
                            io.kbench.protocol.message.MemberHealth.State.HEALTHY,
                            null)); // while the registry goes on flowing
        }
        channel.at(T0 + 45_000, summary(RunStatus.INCOMPLETE, "agents [p0, c0] sent no last report", List.of()));

        Action.Finish end = run(RunTimings.DEFAULTS);

        long abortedAt = channel.publishedAt(StopRun.class);
        assertTrue(
                abortedAt > T0 + 29_000 + 10_000 && abortedAt <= T0 + 29_000 + 10_000 + 500, "at " + (abortedAt - T0));
        StopRun stop = (StopRun) channel.published.stream()
                .filter(StopRun.class::isInstance)
                .findFirst()
                .orElseThrow();
        assertEquals(StopRun.Reason.ABORTED, stop.reason());
        assertTrue(stop.detail().contains("on w1 failed: worker w1 stopped heartbeating"), stop.detail());
        assertEquals(RunStatus.INCOMPLETE, end.status());
    }

    @Test
    void aBrokerOutageSilencesEveryoneAndLosesNoWorker() {
        channel.at(T0 + 300, ready("p0")).at(T0 + 300, ready("c0"));
        io.kbench.protocol.message.MemberHeartbeat w1 = workerW1();
        // Heartbeats flow, stop for 20 s (nobody reaches the brokers), and come back: the worker's a few seconds late.
        for (long at = T0 + 1_000; at <= T0 + 75_000; at += 2_000) {
            boolean outage = at > T0 + 10_000 && at < T0 + 30_000;
            if (!outage) {
                channel.at(at + 500, aggregator(io.kbench.protocol.message.MemberHealth.State.HEALTHY, null));
            }
            if (!outage && (at < T0 + 10_000 || at > T0 + 35_000)) {
                channel.at(at, w1);
            }
        }
        channel.at(T0 + 75_000, summary(RunStatus.COMPLETE, null, List.of()));

        assertEquals(RunStatus.COMPLETE, run(RunTimings.DEFAULTS).status(), printed());
        assertTrue(channel.published.stream()
                .filter(StopRun.class::isInstance)
                .noneMatch(m -> ((StopRun) m).reason() == StopRun.Reason.ABORTED));
    }

    @Test
    void withoutAnyHeartbeatSilenceSaysNothing() {
        channel.at(T0 + 300, ready("p0")).at(T0 + 300, ready("c0"));
        channel.at(T0 + 75_000, summary(RunStatus.COMPLETE, null, List.of()));
        assertEquals(RunStatus.COMPLETE, run(RunTimings.DEFAULTS).status());
    }

    @Test
    void recordsAfterTheSummaryInTheSamePollAreNotActedOn() {
        channel.at(T0 + 300, ready("p0")).at(T0 + 300, ready("c0"));
        channel.at(T0 + 75_000, summary(RunStatus.COMPLETE, null, List.of()));
        channel.at(T0 + 75_000, failed("p0", "late"));

        Action.Finish end = run(RunTimings.DEFAULTS);

        assertEquals(RunStatus.COMPLETE, end.status());
        assertInstanceOf(StopRun.class, channel.published.get(channel.published.size() - 1));
        assertEquals(
                StopRun.Reason.COMPLETED, ((StopRun) channel.published.get(channel.published.size() - 1)).reason());
        assertTrue(!printed().contains("late"), printed());
    }
}
