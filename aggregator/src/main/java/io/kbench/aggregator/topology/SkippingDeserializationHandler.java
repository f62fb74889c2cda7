package io.kbench.aggregator.topology;

import io.kbench.aggregator.run.RunEvents;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * Skips and counts a record whose key or value cannot be deserialized. The topology reads bytes and decodes in
 * its processors, so this is a second line: nothing a producer writes may stop the application.
 */
public final class SkippingDeserializationHandler implements DeserializationExceptionHandler {

    /** Streams config key under which the {@link RunEvents} instance to count with is handed over. */
    public static final String EVENTS_CONFIG = "kbench.aggregator.events";

    private RunEvents events = RunEvents.NONE;

    @Override
    public void configure(Map<String, ?> configs) {
        if (configs.get(EVENTS_CONFIG) instanceof RunEvents configured) {
            events = configured;
        }
    }

    @Override
    public Response handleError(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        events.recordSkipped(
                "deserialization",
                context.topic() + "-" + context.partition() + "@" + context.offset() + ": " + exception);
        return Response.resume();
    }
}
