package io.kbench.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.agent.testkit.AgentProcess;
import io.kbench.agent.testkit.BrokerMain;
import io.kbench.agent.testkit.Launches;
import io.kbench.agent.testkit.MetricsReader;
import io.kbench.agent.testkit.Poll;
import io.kbench.agent.testkit.Topics;
import io.kbench.protocol.AgentIo;
import io.kbench.protocol.histogram.HistogramCodec;
import io.kbench.protocol.message.LatencyKind;
import io.kbench.protocol.message.PayloadSpec;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StatsReport;
import io.kbench.protocol.topic.KbenchTopics;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker runs in its own JVM and is frozen with SIGSTOP for 1.2 s in the middle of a paced run.
 *
 * <p>A benchmark that times each message from its <em>actual</em> send would under-report this stall: while the
 * broker is frozen the producer's small buffer fills, {@code send} blocks, and the messages due during the stall
 * are sent late and then acknowledged quickly. Intended-to-ack latency starts the clock at the rate limiter's
 * intended send time instead, so every message that was due during the stall carries the stall in its latency.
 * This test shows that coordinated omission is accounted: the intended-to-ack p99.9 is at least 0.8 s.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CoordinatedOmissionIT {

    private static final Logger LOGGER = LoggerFactory.getLogger(CoordinatedOmissionIT.class);
    private static final String PREFIX = "co";
    private static final long STALL_MS = 1_200;

    @Test
    void intendedToAckLatencyShowsABrokerStall() throws Exception {
        try (AgentProcess broker = AgentProcess.start(BrokerMain.class.getName(), "512m", List.of())) {
            Poll.until(() -> bootstrapOf(broker) != null, Duration.ofSeconds(60), broker::describe);
            String bootstrap = bootstrapOf(broker);
            String metrics = new KbenchTopics(PREFIX).metrics();
            Topics.create(bootstrap, "co:1", metrics + ":1");
            String runId = "co-1";

            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
            try (AgentProcess producer = AgentProcess.start();
                    MetricsReader reader = new MetricsReader(bootstrap, metrics, runId)) {
                // A small buffer makes send() block during the stall, as a real client does when it falls behind.
                Map<String, String> config = Map.of("buffer.memory", "65536", "batch.size", "16384", "linger.ms", "1");
                producer.send(
                        runId,
                        Launches.launch(
                                runId,
                                bootstrap,
                                PREFIX,
                                Launches.producer("p0", bootstrap, "co", 2_000, 100, PayloadSpec.RANDOM, config)));
                producer.awaitReady(1, Duration.ofSeconds(40));
                producer.send(runId, new StartRun(System.currentTimeMillis() + 500, 1_000, 6_000, 0));
                reader.readUntil(
                        reports -> reports.stream().anyMatch(r -> r.phase() == Phase.MEASURE && r.messagesSent() > 0),
                        Duration.ofSeconds(20));

                signal("-STOP", broker.pid());
                ScheduledFuture<?> resume =
                        scheduler.schedule(() -> signal("-CONT", broker.pid()), STALL_MS, TimeUnit.MILLISECONDS);
                try {
                    resume.get(10, TimeUnit.SECONDS);
                } finally {
                    signal("-CONT", broker.pid()); // never leave the broker frozen
                }

                assertEquals(AgentIo.EXIT_OK, producer.awaitExit(Duration.ofSeconds(40)), producer::describe);
                List<StatsReport> measured =
                        reader.readUntil(MetricsReader.lastReportsFrom("p0"), Duration.ofSeconds(20)).stream()
                                .filter(r -> r.phase() == Phase.MEASURE)
                                .toList();

                Histogram intended = merged(measured, LatencyKind.INTENDED_LATENCY);
                Histogram delay = merged(measured, LatencyKind.PUBLISH_DELAY);
                long p999 = intended.getValueAtPercentile(99.9);
                LOGGER.info(
                        "stall of {} ms: intended-to-ack p99={} p99.9={} µs, publish latency p99.9={} µs,"
                                + " publish delay max={} µs",
                        STALL_MS,
                        intended.getValueAtPercentile(99),
                        p999,
                        merged(measured, LatencyKind.PUBLISH_LATENCY).getValueAtPercentile(99.9),
                        delay.getMaxValue());
                // Coordinated omission is accounted: the stall shows in intended-to-ack latency.
                assertTrue(p999 >= 800_000, "intended-to-ack p99.9 = " + p999 + " µs, wanted >= 0.8 s");
                assertTrue(
                        delay.getMaxValue() >= 300_000,
                        "the producer was held back (publish delay max " + delay.getMaxValue() + " µs)");
                assertEquals(
                        0, measured.stream().mapToLong(StatsReport::sendErrors).sum(), reader.summary());
            } finally {
                scheduler.shutdownNow();
            }
            broker.closeStdin();
            broker.awaitExit(Duration.ofSeconds(30));
        }
    }

    private static String bootstrapOf(AgentProcess broker) {
        return broker.strayStdout().stream()
                .filter(line -> line.startsWith(BrokerMain.BOOTSTRAP_PREFIX))
                .map(line -> line.substring(BrokerMain.BOOTSTRAP_PREFIX.length()))
                .findFirst()
                .orElse(null);
    }

    private static Histogram merged(List<StatsReport> reports, LatencyKind kind) {
        Histogram merged = HistogramCodec.newHistogram();
        reports.forEach(r -> HistogramCodec.merge(
                merged, HistogramCodec.decode(r.histograms().get(kind))));
        return merged;
    }

    private static void signal(String signal, long pid) {
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill " + signal + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run kill", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
