package io.kbench.protocol;

import io.kbench.protocol.message.AgentLaunch;
import io.kbench.protocol.message.ClockOffset;
import io.kbench.protocol.message.ConsumerTask;
import io.kbench.protocol.message.ProducerTask;
import io.kbench.protocol.topic.KbenchTopics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pipe between a worker daemon and an agent JVM it started.
 *
 * <ul>
 *   <li>stdin, daemon → agent: one JSON envelope per line. The first is an {@code AgentLaunch}; the ones after
 *       it are control envelopes the daemon relays ({@code StartRun}, {@code RateChange}, {@code PauseConsumers},
 *       {@code ResumeConsumers}, {@code StopRun}). End of input means the daemon is gone: the agent stops.
 *   <li>stdout, agent → daemon: lines that start with {@link #EVENT_PREFIX} carry an envelope ({@code AgentReady},
 *       {@code AgentFailed}) for the daemon to publish to the events topic; every other line is log output.
 * </ul>
 */
public final class AgentIo {

    /** Prefix of an event line on an agent's stdout. */
    public static final String EVENT_PREFIX = "@kbench-event ";

    /** The agent JVM's main class. The daemon starts it from its own class path, never from a topic. */
    public static final String AGENT_MAIN_CLASS = "io.kbench.agent.AgentMain";

    /** Exit code: the agent ran and stopped as asked. */
    public static final int EXIT_OK = 0;
    /** Exit code: the task was invalid (a field out of range, a missing payload file…); the reason is on stderr. */
    public static final int EXIT_BAD_TASK = 2;
    /** Exit code: the agent failed while running (the cluster unreachable, an unexpected error). */
    public static final int EXIT_FAILED = 3;

    /**
     * System property (milliseconds) the daemon sets on an agent JVM: how long each agent waits for its topics'
     * metadata, counted from when that agent first asks (not from the JVM's start: many JVMs starting at once on
     * few cores get there at different times).
     */
    public static final String METADATA_TIMEOUT_PROPERTY = "kbench.agent.metadataTimeoutMs";

    /** The metadata wait when the daemon sets none: an unreachable cluster shows within this. */
    public static final long DEFAULT_METADATA_TIMEOUT_MS = 30_000;

    /**
     * System property ({@code true}) the daemon sets on a warm agent JVM, one it starts before a run asks for it:
     * its first line on stdin is a {@link #controlRehearsal} launch (run id {@link #REHEARSAL}), which it rehearses
     * while it waits for its launch line, so that the run's own start finds its classes initialised and its code
     * warmer.
     */
    public static final String WARM_PROPERTY = "kbench.agent.warm";

    /** The run id of every rehearsal launch; also the topic and group of a {@link #rehearsal} one (never created). */
    public static final String REHEARSAL = "kbench-rehearsal";

    private AgentIo() {}

    /**
     * A launch of one producer and one consumer whose cluster (and control cluster) is {@code cluster}, a local
     * port nothing listens on: what the daemon's class-data training JVM runs up to its metadata wait. Nothing
     * leaves the host.
     *
     * @param deadlineAt epoch ms after which such an agent would exit on its own
     */
    public static AgentLaunch rehearsal(String workerId, String cluster, long deadlineAt) {
        return rehearsal(
                workerId, cluster, Map.of(), "kbench", REHEARSAL, REHEARSAL, REHEARSAL, "earliest", deadlineAt);
    }

    /**
     * What a warm agent JVM rehearses while it waits for a run: one producer and one consumer on the control cluster,
     * with the daemon's own connection settings for it, so that the rehearsal needs no more than the daemon's own
     * ACLs. The producer asks for the metrics topic's metadata and sends nothing (no run ever starts it); the consumer
     * joins {@code group}, a group of its own under the daemon's group prefix, on the control topic (which the daemon
     * reads anyway), takes its partitions at their end ({@code latest}) and commits nothing. So a run's agents find
     * the client code that connects, reads metadata, joins a group and looks up offsets already run once in their
     * JVM.
     *
     * @param controlClientConfig the daemon's client settings for the control cluster (TLS, SASL)
     * @param group the consumer's group: one per warm JVM, so rehearsals never rebalance one another
     * @param deadlineAt epoch ms after which such an agent would exit on its own
     */
    public static AgentLaunch controlRehearsal(
            String workerId,
            String controlBootstrap,
            Map<String, String> controlClientConfig,
            String topicPrefix,
            String group,
            long deadlineAt) {
        KbenchTopics topics = new KbenchTopics(topicPrefix);
        return rehearsal(
                workerId,
                controlBootstrap,
                controlClientConfig,
                topicPrefix,
                topics.metrics(),
                topics.control(),
                group,
                "latest",
                deadlineAt);
    }

    private static AgentLaunch rehearsal(
            String workerId,
            String cluster,
            Map<String, String> clientConfig,
            String topicPrefix,
            String producerTopic,
            String consumerTopic,
            String group,
            String offsetReset,
            long deadlineAt) {
        Map<String, String> consumerConfig = new HashMap<>(clientConfig);
        consumerConfig.put("enable.auto.commit", "false");
        consumerConfig.put("auto.offset.reset", offsetReset);
        return new AgentLaunch(
                REHEARSAL,
                workerId,
                List.of(
                        new ProducerTask(
                                REHEARSAL + "-p", cluster, clientConfig, producerTopic, 1.0, 1, 1024, null, null, 1000),
                        new ConsumerTask(
                                REHEARSAL + "-c", cluster, consumerConfig, List.of(consumerTopic), group, 1, 1000)),
                cluster,
                clientConfig,
                topicPrefix,
                deadlineAt,
                // a clock estimate, so the classes that carry it are loaded too
                new ClockOffset(0, 0, System.currentTimeMillis()),
                0);
    }

    /** {@code host:port} of a local port that was free a moment ago: connections to it are refused at once. */
    public static String closedLocalPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return InetAddress.getLoopbackAddress().getHostAddress() + ":" + socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free local port", e);
        }
    }
}
