package io.kbench.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kbench.agent.run.HeapHeadroom;
import io.kbench.agent.testkit.AgentProcess;
import io.kbench.agent.testkit.Launches;
import io.kbench.agent.testkit.Poll;
import io.kbench.agent.testkit.Topics;
import io.kbench.broker.junit.KafkaCluster;
import io.kbench.broker.junit.KafkaClusterExtension;
import io.kbench.protocol.AgentIo;
import io.kbench.protocol.message.RateChange;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StopRun;
import io.kbench.protocol.topic.KbenchTopics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An unthrottled producer agent JVM lets its heap grow roomily while it runs unthrottled and goes back to the JVM's
 * default sizing when a rate is set: the flags as the running JVM's collector reads them, asked of it with {@code
 * jcmd}.
 */
@ExtendWith(KafkaClusterExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UnthrottledHeapIT {

    private static final String PREFIX = "roomy";
    private static final Pattern MIN_FREE = Pattern.compile("\\bMinHeapFreeRatio\\s*=\\s*(\\d+)");

    @Test
    void anUnthrottledProducersHeapGrowsRoomilyUntilARateIsSet(KafkaCluster kafka) throws Exception {
        String bootstrap = kafka.bootstrapServers();
        Topics.create(bootstrap, "unthrottled:3", new KbenchTopics(PREFIX).metrics() + ":3");
        String runId = "roomy-1";
        try (AgentProcess producer = AgentProcess.start()) {
            producer.send(
                    runId,
                    Launches.launch(
                            runId, bootstrap, PREFIX, Launches.producer("p0", bootstrap, "unthrottled", 0, 100)));
            producer.awaitReady(1, Duration.ofSeconds(40));
            assertEquals(40, minHeapFreeRatio(producer), "ready, not yet sending: the JVM's default");

            producer.send(runId, new StartRun(System.currentTimeMillis() + 500, 0, 30_000, 0));
            Poll.until(
                    () -> minHeapFreeRatio(producer) == HeapHeadroom.ROOMY_MIN_FREE,
                    Duration.ofSeconds(20),
                    () -> "MinHeapFreeRatio " + minHeapFreeRatio(producer) + "; " + producer.describe());

            producer.send(runId, new RateChange(1_000));
            Poll.until(
                    () -> minHeapFreeRatio(producer) == 40,
                    Duration.ofSeconds(20),
                    () -> "MinHeapFreeRatio " + minHeapFreeRatio(producer) + "; " + producer.describe());

            producer.send(runId, new StopRun(StopRun.Reason.COMPLETED, "test done"));
            assertEquals(AgentIo.EXIT_OK, producer.awaitExit(Duration.ofSeconds(30)), producer::describe);
        }
    }

    /** The running JVM's {@code MinHeapFreeRatio}, or -1 when jcmd could not say. */
    private static int minHeapFreeRatio(AgentProcess jvm) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process process = new ProcessBuilder(jcmd.toString(), String.valueOf(jvm.pid()), "VM.flags", "-all")
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return -1;
            }
            Matcher matcher = MIN_FREE.matcher(output);
            return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
