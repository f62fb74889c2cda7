package io.kbench.worker.testing;

import io.kbench.protocol.Decoded;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.Message;
import io.kbench.worker.events.EventSink;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Keeps every event in memory, in order, for assertions. */
public final class RecordingEventSink implements EventSink {

    /** One published event. */
    public record Event(String runId, Message message) {}

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final MessageCodec codec = new MessageCodec();

    @Override
    public void publish(String runId, Message message) {
        events.add(new Event(runId, message));
    }

    @Override
    public void publishEnvelope(String runId, byte[] envelope) {
        if (codec.decode(envelope) instanceof Decoded.Ok ok) {
            events.add(new Event(runId, ok.message()));
        } else {
            throw new AssertionError("the daemon forwarded an envelope that does not decode");
        }
    }

    /** Forgets what was recorded, so that the next assertions see only what follows. */
    public void clear() {
        events.clear();
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    public <T extends Message> List<T> of(Class<T> type) {
        return events.stream()
                .map(Event::message)
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }

    /** Polls until {@code count} events of the type match, or fails after the timeout. */
    public <T extends Message> List<T> await(Class<T> type, Predicate<T> filter, int count, Duration timeout) {
        List<T> found =
                Poll.until(() -> of(type).stream().filter(filter).toList(), list -> list.size() >= count, timeout);
        return found;
    }
}
