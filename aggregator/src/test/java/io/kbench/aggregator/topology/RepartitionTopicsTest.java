package io.kbench.aggregator.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kbench.aggregator.metrics.AggregatorMetrics;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.topic.KbenchTopics;
import io.kbench.protocol.topic.TopicSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/** The repartition topics the aggregator creates before Streams starts are exactly the topology's. */
class RepartitionTopicsTest {

    @Test
    void theAggregatorCreatesEveryRepartitionTopicOfTheTopologyAndNoOther() {
        AggregatorMetrics metrics =
                new AggregatorMetrics(new SimpleMeterRegistry(), Clock.systemUTC(), Duration.ofMinutes(2));
        TopologyDescription description = AggregatorTopology.build(
                        AggregatorTopology.Settings.defaults(new KbenchTopics("kbench"), 6),
                        new MessageCodec(),
                        metrics,
                        Optional.empty(),
                        ReportSource.NONE)
                .describe();
        // The description names them without the application id, which Streams adds when it creates them.
        Set<String> read = new TreeSet<>();
        for (TopologyDescription.Subtopology sub : description.subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source source) {
                    source.topicSet().stream()
                            .filter(t -> t.endsWith("-repartition"))
                            .forEach(t -> read.add("kbench-aggregator-" + t));
                }
            }
        }
        Set<String> created = new TreeSet<>();
        for (TopicSpec spec : AggregatorTopology.repartitionTopics("kbench-aggregator", 6)) {
            created.add(spec.name());
            assertEquals(6, spec.partitions(), spec.name());
            assertEquals("delete", spec.configs().get("cleanup.policy"), spec.name());
        }
        assertEquals(2, read.size(), read.toString());
        assertEquals(read, created);
    }
}
