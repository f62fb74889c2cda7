package io.kbench.agent;

import static io.kbench.agent.testkit.MetricsReader.lastReportsFrom;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.agent.testkit.AgentProcess;
import io.kbench.agent.testkit.Launches;
import io.kbench.agent.testkit.MetricsReader;
import io.kbench.agent.testkit.Topics;
import io.kbench.broker.junit.KafkaCluster;
import io.kbench.broker.junit.KafkaClusterExtension;
import io.kbench.protocol.AgentIo;
import io.kbench.protocol.message.AgentRole;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StatsReport;
import io.kbench.protocol.topic.KbenchTopics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A producer agent JVM paced at 5,000 msg/s, and a consumer agent JVM reading everything back. */
@ExtendWith(KafkaClusterExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PacedProducerIT {

    private static final Logger LOGGER = LoggerFactory.getLogger(PacedProducerIT.class);
    private static final String PREFIX = "paced";
    private static final double RATE = 5_000;
    private static final long WARMUP_MS = 1_000;
    private static final long MEASURE_MS = 10_000;

    @Test
    void pacedProducerAchievesItsRateAndTheConsumerReadsEveryMessage(KafkaCluster kafka) throws Exception {
        String bootstrap = kafka.bootstrapServers();
        String metrics = new KbenchTopics(PREFIX).metrics();
        Topics.create(bootstrap, "load:3", metrics + ":3");
        String runId = "paced-1";

        try (AgentProcess consumer = AgentProcess.start();
                AgentProcess producer = AgentProcess.start();
                MetricsReader reader = new MetricsReader(bootstrap, metrics, runId)) {
            consumer.send(
                    runId,
                    Launches.launch(runId, bootstrap, PREFIX, Launches.consumer("c0", bootstrap, "load", "g-paced")));
            producer.send(
                    runId,
                    Launches.launch(runId, bootstrap, PREFIX, Launches.producer("p0", bootstrap, "load", RATE, 100)));
            consumer.awaitReady(1, Duration.ofSeconds(40));
            producer.awaitReady(1, Duration.ofSeconds(40));

            long startAt = System.currentTimeMillis() + 1_000;
            producer.send(runId, new StartRun(startAt, WARMUP_MS, MEASURE_MS, 0));
            // The consumer measures 2 s longer, to read what the producer sent last.
            consumer.send(runId, new StartRun(startAt, WARMUP_MS, MEASURE_MS + 2_000, 0));

            assertEquals(AgentIo.EXIT_OK, producer.awaitExit(Duration.ofSeconds(30)), producer::describe);
            assertEquals(AgentIo.EXIT_OK, consumer.awaitExit(Duration.ofSeconds(30)), consumer::describe);
            assertEquals(List.of(), producer.strayStdout(), "stdout carries only event lines");

            List<StatsReport> reports = reader.readUntil(lastReportsFrom("p0", "c0"), Duration.ofSeconds(20));
            List<StatsReport> p0 = of(reports, "p0");
            List<StatsReport> c0 = of(reports, "c0");

            // A message is counted at its ack in the phase of its intended send time: warm-up messages acknowledged
            // after the measurement began travel as sentOutsidePhase, and the last report carries the measurement's
            // late acks. So the measured count is exactly what was intended inside the measurement.
            long measured = sum(p0, r -> r.phase() == Phase.MEASURE, StatsReport::messagesSent);
            long sent =
                    sum(p0, r -> true, StatsReport::messagesSent) + sum(p0, r -> true, StatsReport::sentOutsidePhase);
            double achieved = measured * 1000.0 / MEASURE_MS;
            LOGGER.info("paced producer achieved={} msg/s measured={} acknowledged={}", achieved, measured, sent);
            assertTrue(
                    Math.abs(achieved - RATE) <= RATE * 0.01,
                    "achieved " + achieved + " msg/s, wanted 5,000 ± 1 %: " + reader.summary());

            long received = sum(c0, r -> true, StatsReport::messagesReceived);
            assertEquals(sent, received, "every message sent is read back: " + reader.summary());
            assertEquals(0, sum(p0, r -> true, StatsReport::sendErrors));
            assertEquals(
                    sum(p0, r -> true, StatsReport::messagesSent) * 100, sum(p0, r -> true, StatsReport::bytesSent));
            assertEquals(received * 100, sum(c0, r -> true, StatsReport::bytesReceived));

            assertReportsAreWellFormed(p0, AgentRole.PRODUCER);
            assertReportsAreWellFormed(c0, AgentRole.CONSUMER);
        }
    }

    private static void assertReportsAreWellFormed(List<StatsReport> reports, AgentRole role) {
        for (int i = 0; i < reports.size(); i++) {
            StatsReport report = reports.get(i);
            assertEquals(i, report.seq(), "no gap, no duplicate");
            assertEquals(role, report.role());
            assertEquals(i == reports.size() - 1, report.last(), "only the final report is last");
            assertTrue(report.intervalEndMs() >= report.intervalStartMs());
            if (i > 0) {
                assertEquals(reports.get(i - 1).intervalEndMs(), report.intervalStartMs(), "intervals are contiguous");
            }
        }
        assertTrue(reports.stream().anyMatch(r -> r.phase() == Phase.WARMUP), "warm-up is reported apart");
        assertTrue(reports.stream().mapToLong(StatsReport::cpuNanos).sum() > 0, "CPU time is reported");
        assertTrue(reports.stream().allMatch(r -> r.heapUsedBytes() > 0), "heap use is reported");
    }

    private static List<StatsReport> of(List<StatsReport> reports, String agentId) {
        return reports.stream().filter(r -> r.agentId().equals(agentId)).toList();
    }

    private static long sum(List<StatsReport> reports, Predicate<StatsReport> which, ToLongFunction<StatsReport> f) {
        return reports.stream().filter(which).mapToLong(f).sum();
    }
}
