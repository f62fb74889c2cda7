package io.kbench.controller.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.kbench.controller.config.InputError;
import io.kbench.protocol.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One file given to {@code kbench report}, its kind told from its content: a run's result (kbench's, with a
 * {@code kbench} section, or OMB's, without) or a sweep's {@code sweep-<id>.json}.
 */
public record ReportInput(Path file, Kind kind, JsonNode root) {

    /** What a file holds. */
    public enum Kind {
        KBENCH_RUN,
        OMB_RUN,
        SWEEP
    }

    public ReportInput {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(root, "root");
    }

    /**
     * Reads and classifies a file.
     *
     * @throws InputError naming the file and what it lacks, when it is neither a run's result nor a sweep's
     */
    public static ReportInput read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InputError(file + ": no such file");
        }
        JsonNode root;
        try {
            root = Json.WIRE.readTree(file.toFile());
        } catch (IOException e) {
            throw new InputError(file + ": not JSON (" + firstLine(e.getMessage()) + ")");
        }
        if (root == null || !root.isObject()) {
            throw new InputError(file + ": not a JSON object, so neither a run's result nor a sweep's");
        }
        if (root.path("points").isArray() && root.has("sweepId")) {
            return new ReportInput(file, Kind.SWEEP, root);
        }
        if (!root.path("publishRate").isArray()) {
            throw new InputError(file + ": field 'publishRate' is "
                    + (root.has("publishRate") ? "not a list" : "missing")
                    + ": not a run's result (kbench's or OMB's), nor a sweep's (no 'sweepId' and 'points')");
        }
        return new ReportInput(file, root.path("kbench").isObject() ? Kind.KBENCH_RUN : Kind.OMB_RUN, root);
    }

    /** The file's name without {@code .json}. */
    public String stem() {
        return file.getFileName().toString().replaceFirst("(?i)\\.json$", "");
    }

    private static String firstLine(String message) {
        return message == null ? "unreadable" : message.lines().findFirst().orElse(message);
    }
}
