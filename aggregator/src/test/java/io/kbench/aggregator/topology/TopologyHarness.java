package io.kbench.aggregator.topology;

import io.kbench.aggregator.metrics.AggregatorMetrics;
import io.kbench.protocol.Decoded;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.RunSummary;
import io.kbench.protocol.message.SweepSummary;
import io.kbench.protocol.message.WindowSummary;
import io.kbench.protocol.topic.KbenchTopics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** The aggregator topology in a {@link TopologyTestDriver}, with a mock wall clock starting at {@link #T0}. */
final class TopologyHarness implements AutoCloseable {

    static final long T0 = Instant.parse("2030-01-01T00:00:00Z").toEpochMilli();

    final KbenchTopics topics = new KbenchTopics("kbench");
    final MessageCodec codec = new MessageCodec(Clock.fixed(Instant.ofEpochMilli(T0), ZoneOffset.UTC));
    final AggregatorMetrics metrics =
            new AggregatorMetrics(new SimpleMeterRegistry(), Clock.systemUTC(), Duration.ofMinutes(2));
    final AggregatorTopology.Settings settings = AggregatorTopology.Settings.defaults(topics, 6);
    private final java.nio.file.Path stateDir = stateDir();
    final TopologyTestDriver driver;
    final TestInputTopic<String, byte[]> metricsIn;
    final TestInputTopic<String, byte[]> controlIn;
    final TestOutputTopic<String, byte[]> windowsOut;
    final TestOutputTopic<String, byte[]> resultsOut;
    final TestOutputTopic<String, byte[]> eventsOut;

    TopologyHarness() {
        this(java.util.Optional.empty());
    }

    /** With a secret: the aggregator acts only on control records signed with it. */
    TopologyHarness(java.util.Optional<io.kbench.protocol.security.ControlSigner> signer) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "aggregator-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, SkippingDeserializationHandler.class);
        props.put(SkippingDeserializationHandler.EVENTS_CONFIG, metrics);
        driver = new TopologyTestDriver(
                AggregatorTopology.build(settings, codec, metrics, signer, ReportSource.NONE),
                props,
                Instant.ofEpochMilli(T0));
        metricsIn = driver.createInputTopic(topics.metrics(), new StringSerializer(), new ByteArraySerializer());
        controlIn = driver.createInputTopic(topics.control(), new StringSerializer(), new ByteArraySerializer());
        windowsOut = driver.createOutputTopic(topics.windows(), new StringDeserializer(), new ByteArrayDeserializer());
        resultsOut = driver.createOutputTopic(topics.results(), new StringDeserializer(), new ByteArrayDeserializer());
        eventsOut = driver.createOutputTopic(topics.events(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static java.nio.file.Path stateDir() {
        try {
            return java.nio.file.Files.createTempDirectory("kbench-aggregator-test");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    void control(String runId, Message message) {
        controlIn.pipeInput(runId, codec.encode(runId, message, null));
    }

    void report(String runId, Message message) {
        metricsIn.pipeInput(runId, codec.encode(runId, message, null));
    }

    void advance(Duration duration) {
        driver.advanceWallClockTime(duration);
    }

    List<WindowSummary> windows() {
        return windowsOut.readValuesToList().stream()
                .map(this::decode)
                .map(WindowSummary.class::cast)
                .toList();
    }

    /** The records on the events topic, each as its key and decoded message. */
    List<java.util.Map.Entry<String, Message>> events() {
        return eventsOut.readKeyValuesToList().stream()
                .map(kv -> java.util.Map.entry(kv.key, decode(kv.value)))
                .toList();
    }

    List<Message> results() {
        return resultsOut.readValuesToList().stream().map(this::decode).toList();
    }

    List<RunSummary> runSummaries(List<Message> results) {
        return results.stream()
                .filter(RunSummary.class::isInstance)
                .map(RunSummary.class::cast)
                .toList();
    }

    List<SweepSummary> sweepSummaries(List<Message> results) {
        return results.stream()
                .filter(SweepSummary.class::isInstance)
                .map(SweepSummary.class::cast)
                .toList();
    }

    private Message decode(byte[] bytes) {
        Decoded decoded = codec.decode(bytes);
        if (decoded instanceof Decoded.Ok ok) {
            return ok.message();
        }
        throw new AssertionError("output is not a kbench message: " + decoded);
    }

    @Override
    public void close() {
        driver.close();
        // The driver empties its state directory but leaves the directory itself.
        try (var paths = java.nio.file.Files.walk(stateDir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
