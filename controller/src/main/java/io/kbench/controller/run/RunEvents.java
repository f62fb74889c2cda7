package io.kbench.controller.run;

import io.kbench.protocol.Decoded;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.MemberHeartbeat;
import io.kbench.protocol.message.Message;
import io.kbench.protocol.topic.KbenchTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Follows one run's records on the events, windows and results topics (and its agents' reports on the metrics topic
 * when asked), from their ends at the moment it was opened (so nothing published after it is missed). Records of
 * other runs are passed over. It also follows the registry and passes on every heartbeat: the run's workers must keep
 * heartbeating ({@link WorkerWatch}), and the user learns when the aggregator is rebalancing or restoring while
 * windows and results wait for it.
 */
public final class RunEvents implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final MessageCodec codec;
    private final String runId;
    private final String registry;

    /** @param reports whether to follow the agents' reports on the metrics topic too (a playbook that reads them) */
    public RunEvents(
            KafkaConsumer<String, byte[]> consumer,
            KbenchTopics topics,
            MessageCodec codec,
            String runId,
            boolean reports) {
        this.consumer = consumer;
        this.codec = codec;
        this.runId = runId;
        this.registry = topics.registry();
        List<String> followed =
                new ArrayList<>(List.of(topics.events(), topics.windows(), topics.results(), topics.registry()));
        if (reports) {
            followed.add(topics.metrics());
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : followed) {
            consumer.partitionsFor(topic, Duration.ofSeconds(15))
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(15));
        ends.forEach(consumer::seek);
    }

    /** The run's messages that arrived within {@code timeout}, in arrival order. */
    public List<Message> poll(Duration timeout) {
        List<Message> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
            if (registry.equals(record.topic())) {
                if (record.value() != null
                        && codec.decode(record.value()) instanceof Decoded.Ok ok
                        && ok.message() instanceof MemberHeartbeat beat) {
                    out.add(beat);
                }
                continue;
            }
            if (!runId.equals(record.key())) {
                continue;
            }
            // A record of this run that does not decode is passed over: the aggregator and daemons count those.
            if (codec.decode(record.value()) instanceof Decoded.Ok ok) {
                out.add(ok.message());
            }
        }
        return out;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
