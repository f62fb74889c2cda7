package io.kbench.worker.testing;

import io.kbench.protocol.Decoded;
import io.kbench.protocol.KafkaClients;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.Message;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads a kbench topic from its beginning, decoding every record, for assertions on what was published. */
public final class TopicTail implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final MessageCodec codec = new MessageCodec();
    private final List<Message> messages = new CopyOnWriteArrayList<>();

    private final String topic;

    public TopicTail(String bootstrap, String topic) {
        this.consumer = KafkaClients.readerConsumer(bootstrap, Map.of());
        this.topic = topic;
    }

    /** Everything read so far, after one more poll (none while the topic does not exist yet). */
    public List<Message> messages() {
        if (consumer.assignment().isEmpty()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            if (partitions.isEmpty()) {
                return List.copyOf(messages);
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
            if (record.value() != null && codec.decode(record.value()) instanceof Decoded.Ok ok) {
                messages.add(ok.message());
            }
        }
        return List.copyOf(messages);
    }

    public <T extends Message> List<T> of(Class<T> type, Predicate<T> filter) {
        return messages().stream()
                .filter(type::isInstance)
                .map(type::cast)
                .filter(filter)
                .toList();
    }

    /** Polls until at least {@code count} messages of the type match. */
    public <T extends Message> List<T> await(Class<T> type, Predicate<T> filter, int count, Duration timeout) {
        return Poll.until(() -> of(type, filter), list -> list.size() >= count, timeout);
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
    }
}
