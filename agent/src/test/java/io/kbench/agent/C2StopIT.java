package io.kbench.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.agent.testkit.AgentProcess;
import io.kbench.agent.testkit.Jcmd;
import io.kbench.agent.testkit.Launches;
import io.kbench.agent.testkit.Poll;
import io.kbench.agent.testkit.Topics;
import io.kbench.broker.junit.KafkaCluster;
import io.kbench.broker.junit.KafkaClusterExtension;
import io.kbench.protocol.AgentIo;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StopRun;
import io.kbench.protocol.topic.KbenchTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A {@code StartRun} that asks for it stops the agent JVM's C2 compiler before the measurement, and from then on C2
 * compiles nothing: the directive and the compiled code as the running JVM shows them to {@code jcmd}. A run that
 * does not ask keeps C2.
 */
@ExtendWith(KafkaClusterExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class C2StopIT {

    private static final String PREFIX = "c2";
    private static final String EXCLUDED = "Exclude:true";
    /** {@code Compiler.codelist}: compile id, tier, state, method. */
    private static final Pattern NMETHOD = Pattern.compile("(?m)^(\\d+) (\\d) \\d ");

    @Test
    void aRunThatAsksStopsC2BeforeItsMeasurementAndOneThatDoesNotKeepsIt(KafkaCluster kafka) throws Exception {
        String bootstrap = kafka.bootstrapServers();
        Topics.create(bootstrap, "paced:4", new KbenchTopics(PREFIX).metrics() + ":3");
        String stopRun = "c2-stop";
        String keepRun = "c2-keep";
        try (AgentProcess stopper = AgentProcess.start();
                AgentProcess keeper = AgentProcess.start()) {
            stopper.send(
                    stopRun,
                    Launches.launch(
                            stopRun, bootstrap, PREFIX, Launches.producer("p0", bootstrap, "paced", 2_000, 100)));
            keeper.send(
                    keepRun,
                    Launches.launch(
                            keepRun, bootstrap, PREFIX, Launches.producer("p1", bootstrap, "paced", 2_000, 100)));
            stopper.awaitReady(1, Duration.ofSeconds(40));
            keeper.awaitReady(1, Duration.ofSeconds(40));
            assertFalse(directives(stopper).contains(EXCLUDED), "ready, not started: C2 compiles");

            // 6 s of warm-up: C2 stops half-way through it, 3 s before the measurement.
            long startAt = System.currentTimeMillis() + 500;
            long measureAt = startAt + 6_000;
            stopper.send(stopRun, new StartRun(startAt, 6_000, 60_000, 0, true));
            keeper.send(keepRun, new StartRun(startAt, 6_000, 60_000, 0, false));

            Poll.until(
                    () -> directives(stopper).contains(EXCLUDED),
                    Duration.ofSeconds(20),
                    () -> "directives: " + directives(stopper) + "; " + stopper.describe());
            long stoppedAt = System.currentTimeMillis();
            assertTrue(stoppedAt < measureAt, "stopped " + (stoppedAt - measureAt) + " ms after the measurement began");
            assertTrue(
                    stopper.stderr().stream().anyMatch(l -> l.contains("C2 stopped for the rest of the run")),
                    stopper::describe);
            // Compiles asked for before the directive may still finish in C2; none asked for after it. The JVM,
            // a few seconds old and under load, goes on compiling: with C1 only.
            long lastBefore =
                    nmethods(stopper).stream().mapToLong(n -> n[0]).max().orElse(0);
            List<List<long[]>> late = new java.util.ArrayList<>(List.of(List.of()));
            Poll.until(
                    () -> {
                        late.set(
                                0,
                                nmethods(stopper).stream()
                                        .filter(n -> n[0] > lastBefore)
                                        .toList());
                        return late.get(0).size() >= 5;
                    },
                    Duration.ofSeconds(40),
                    () -> "methods compiled since the stop: " + late.get(0).size());
            assertTrue(
                    late.get(0).stream().noneMatch(n -> n[1] == 4),
                    "C2 compiled after the stop: "
                            + late.get(0).stream()
                                    .filter(n -> n[1] == 4)
                                    .map(n -> n[0])
                                    .toList());
            assertFalse(directives(keeper).contains(EXCLUDED), "the run that did not ask keeps C2");

            stopper.send(stopRun, new StopRun(StopRun.Reason.COMPLETED, "test done"));
            keeper.send(keepRun, new StopRun(StopRun.Reason.COMPLETED, "test done"));
            assertEquals(AgentIo.EXIT_OK, stopper.awaitExit(Duration.ofSeconds(30)), stopper::describe);
            assertEquals(AgentIo.EXIT_OK, keeper.awaitExit(Duration.ofSeconds(30)), keeper::describe);
        }
    }

    private static String directives(AgentProcess jvm) {
        return Jcmd.ask(jvm.pid(), "Compiler.directives_print");
    }

    /** The JVM's compiled methods as {compile id, tier}. */
    private static List<long[]> nmethods(AgentProcess jvm) {
        Matcher matcher = NMETHOD.matcher(Jcmd.ask(jvm.pid(), "Compiler.codelist"));
        List<long[]> found = new ArrayList<>();
        while (matcher.find()) {
            found.add(new long[] {Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2))});
        }
        assertFalse(found.isEmpty(), "jcmd listed no compiled methods");
        return found;
    }
}
