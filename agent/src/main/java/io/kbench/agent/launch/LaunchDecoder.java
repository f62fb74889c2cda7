package io.kbench.agent.launch;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.kbench.protocol.Decoded;
import io.kbench.protocol.Envelope;
import io.kbench.protocol.Json;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.AgentLaunch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads the first stdin line, the {@link AgentLaunch}. A line that does not decode is a bad task whose reason
 * names the JSON path of the offending field (e.g. {@code tasks[0].keyDistributor}), which the codec's own skip
 * detail does not.
 */
public final class LaunchDecoder {

    private final MessageCodec codec;

    public LaunchDecoder(MessageCodec codec) {
        this.codec = codec;
    }

    /** Who a launch line was for, read leniently, so that a failure can still be attributed. */
    public record Identity(String runId, String workerId, List<String> agentIds) {
        public static final Identity UNKNOWN = new Identity(null, null, List.of());

        public Identity {
            agentIds = agentIds == null ? List.of() : List.copyOf(agentIds);
        }
    }

    /**
     * @throws BadTaskException when the line is missing, not an envelope, not an {@code AgentLaunch}, or its body
     *     does not bind
     */
    public AgentLaunch decode(String line) {
        if (line == null) {
            throw new BadTaskException("stdin ended before the AgentLaunch line");
        }
        Decoded decoded = codec.decode(line);
        if (decoded instanceof Decoded.Ok ok) {
            if (ok.message() instanceof AgentLaunch launch) {
                return launch;
            }
            throw new BadTaskException("the first stdin line must be an AgentLaunch, got "
                    + ok.envelope().type());
        }
        Decoded.Skip skip = (Decoded.Skip) decoded;
        throw new BadTaskException(
                explain(line).orElse("AgentLaunch line rejected (" + skip.reason() + "): " + skip.detail()));
    }

    /** The field path and the problem, when the envelope parses but the body does not bind. */
    private static Optional<String> explain(String line) {
        Envelope envelope;
        try {
            envelope = Json.WIRE.readValue(line, Envelope.class);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        if (envelope == null || envelope.body() == null || !"AgentLaunch".equals(envelope.type())) {
            return Optional.empty();
        }
        try {
            Json.WIRE.treeToValue(envelope.body(), AgentLaunch.class);
            return Optional.empty();
        } catch (JsonMappingException e) {
            String path = path(e);
            if (e instanceof InvalidFormatException invalid
                    && invalid.getTargetType().isEnum()) {
                return Optional.of(path + ": unknown value '" + invalid.getValue() + "', expected one of "
                        + Arrays.toString(invalid.getTargetType().getEnumConstants()));
            }
            if (e instanceof ValueInstantiationException && e.getCause() != null) {
                // A record's own check (e.g. a task's messageSize): its message names field and value.
                return Optional.of(path + ": " + e.getCause().getMessage());
            }
            return Optional.of(path + ": " + e.getOriginalMessage());
        } catch (IOException | RuntimeException e) {
            return Optional.of("AgentLaunch body: " + e.getMessage());
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "AgentLaunch body" : path.toString();
    }

    /** Reads run, worker and agent ids from a launch line as far as they parse; never throws. */
    public static Identity identity(String line) {
        if (line == null) {
            return Identity.UNKNOWN;
        }
        try {
            JsonNode root = Json.WIRE.readTree(line);
            JsonNode body = root.path("body");
            List<String> agentIds = new ArrayList<>();
            for (JsonNode task : body.path("tasks")) {
                if (task.path("agentId").isTextual()) {
                    agentIds.add(task.path("agentId").asText());
                }
            }
            String runId = body.path("runId").isTextual()
                    ? body.path("runId").asText()
                    : root.path("runId").asText(null);
            return new Identity(runId, body.path("workerId").asText(null), agentIds);
        } catch (IOException | RuntimeException e) {
            return Identity.UNKNOWN;
        }
    }
}
