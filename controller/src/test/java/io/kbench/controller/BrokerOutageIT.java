package io.kbench.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kbench.broker.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker (cluster under test and control cluster at once) stops for 20 s in the middle of a run and comes
 * back on the same port and data. Nothing was lost, so the run completes; the stall shows where it belongs, in
 * intended-to-ack latency (free of coordinated omission), and no backlog figure ever reads below zero.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class BrokerOutageIT {

    private static final Duration OUTAGE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void runOutlivesATwentySecondBrokerOutage() throws Exception {
        Path data = dir.resolve("broker");
        EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.builder().dataDir(data).build().start();
        int port = broker.port();
        String bootstrap = broker.bootstrapServers();
        EmbeddedKafkaBroker restarted = null;
        try (RealFleet fleet = new RealFleet(bootstrap, dir, "outage")) {
            RealFleet.Cli cli = fleet.runUntilMeasuring(bootstrap, "outage-run", 45);
            broker.close();
            RealFleet.until(() -> false, OUTAGE);
            restarted = EmbeddedKafkaBroker.builder()
                    .port(port)
                    .dataDir(data)
                    .build()
                    .start();

            assertTrue(cli.process.waitFor(150, TimeUnit.SECONDS), "kbench exits:\n" + cli.output());
            assertEquals(0, cli.process.exitValue(), "nothing was lost, so the run completes:\n" + cli.output());
            JsonNode result = LocalRunIT.onlyResult(cli.results, "outage-run");
            JsonNode kbench = result.get("kbench");
            assertEquals("COMPLETE", kbench.get("status").asText());

            double maxIntendedToAckMs =
                    kbench.at("/latencies/intendedLatencyMicros/max").asDouble(-1) / 1000.0;
            assertTrue(
                    maxIntendedToAckMs >= OUTAGE.toMillis() * 0.5,
                    "the stall shows in intended-to-ack latency: max " + maxIntendedToAckMs + " ms");
            assertTrue(kbench.get("backlog").asLong() >= 0, "summary backlog " + kbench.get("backlog"));
            for (JsonNode backlog : result.get("backlog")) {
                assertTrue(backlog.asLong() >= 0, "window backlog " + result.get("backlog"));
            }
            long sent = kbench.get("messagesSent").asLong();
            long received = kbench.get("messagesReceived").asLong();
            assertTrue(received >= sent * 0.99, "consumers caught up: sent " + sent + ", received " + received);
        } finally {
            broker.close();
            if (restarted != null) {
                restarted.close();
            }
        }
    }
}
