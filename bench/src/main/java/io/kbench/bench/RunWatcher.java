package io.kbench.bench;

import io.kbench.protocol.Decoded;
import io.kbench.protocol.KafkaClients;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.AgentReady;
import io.kbench.protocol.message.AgentSpawned;
import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.RunSpec;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StatsReport;
import io.kbench.protocol.topic.KbenchTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Watches the control, events and metrics topics from the moment it is created and notes when each message
 * arrived (epoch ms of receipt here), so the control-plane benchmark can time a run from the outside.
 */
final class RunWatcher implements AutoCloseable {

    /** A message seen on a kbench topic, with its run and when it arrived here. */
    record Seen(long atMs, String runId, Message message) {}

    private final KafkaConsumer<String, byte[]> consumer;
    private final MessageCodec codec;
    private final List<Seen> seen = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stopped;

    RunWatcher(String bootstrap, KbenchTopics topics, MessageCodec codec) {
        this.codec = codec;
        this.consumer = KafkaClients.readerConsumer(bootstrap, Map.of());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(topics.control(), topics.events(), topics.metrics())) {
            consumer.partitionsFor(topic, Duration.ofSeconds(10))
                    .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        thread = new Thread(this::loop, "run-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (!stopped) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                long now = System.currentTimeMillis();
                if (codec.decode(record.value()) instanceof Decoded.Ok ok) {
                    Message m = ok.message();
                    if (m instanceof RunSpec
                            || m instanceof StartRun
                            || m instanceof AgentSpawned
                            || m instanceof AgentReady
                            || m instanceof StatsReport) {
                        synchronized (seen) {
                            seen.add(new Seen(now, ok.envelope().runId(), m));
                        }
                    }
                }
            }
        }
    }

    /** The start barrier of the latest StartRun seen, or 0. */
    long startAt() {
        synchronized (seen) {
            for (int i = seen.size() - 1; i >= 0; i--) {
                if (seen.get(i).message() instanceof StartRun s) {
                    return s.startAt();
                }
            }
            return 0;
        }
    }

    List<Seen> of(String runId) {
        synchronized (seen) {
            return seen.stream().filter(s -> runId.equals(s.runId())).toList();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join(2_000);
        consumer.close(Duration.ofSeconds(2));
    }
}
