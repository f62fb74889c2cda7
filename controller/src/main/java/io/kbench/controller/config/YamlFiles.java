package io.kbench.controller.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Reads user YAML files strictly: an unknown field, a wrong type, a duplicate key or a value out of range is an
 * {@link InputError} naming the file, the line, the field and the value, with a "did you mean" where one helps.
 */
final class YamlFiles {

    private static final ObjectMapper STRICT = YAMLMapper.builder(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private YamlFiles() {}

    static <T> T read(Path file, Class<T> type, String what) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InputError(what + " file " + file + " does not exist");
        } catch (IOException e) {
            throw new InputError("cannot read " + what + " file " + file + ": " + e.getMessage());
        }
        if (text.isBlank()) {
            throw new InputError(what + " file " + file + " is empty");
        }
        try {
            T value = STRICT.readValue(text, type);
            if (value == null) {
                throw new InputError(what + " file " + file + " holds no " + what);
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new InputError(describe(file, text, e), e);
        }
    }

    private static String describe(Path file, String text, JsonProcessingException e) {
        String where = file + location(e.getLocation());
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            // The parser's location is often past the field; the field's own line is what a user wants.
            int line = lineOf(
                    text, mapping.getPath().get(mapping.getPath().size() - 1).getFieldName());
            if (line > 0) {
                where = file + ":" + line;
            }
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            String known = unknown.getKnownPropertyIds().stream()
                    .map(String::valueOf)
                    .sorted()
                    .collect(Collectors.joining(", "));
            return where + ": unknown field '" + unknown.getPropertyName() + "'"
                    + DidYouMean.hint(unknown.getPropertyName(), unknown.getKnownPropertyIds())
                    + "; known fields: " + known;
        }
        if (e instanceof InvalidFormatException invalid) {
            String hint = invalid.getTargetType() != null
                            && invalid.getTargetType().isEnum()
                    ? DidYouMean.hint(
                                    String.valueOf(invalid.getValue()),
                                    java.util.List.of(invalid.getTargetType().getEnumConstants()))
                            + "; one of "
                            + java.util.Arrays.toString(invalid.getTargetType().getEnumConstants())
                    : "; expected " + typeName(invalid.getTargetType());
            return where + ": field '" + path(invalid) + "' has invalid value '" + invalid.getValue() + "'" + hint;
        }
        if (e instanceof ValueInstantiationException invalid) {
            Throwable cause = invalid.getCause() != null ? invalid.getCause() : invalid;
            return file + ": " + cause.getMessage();
        }
        if (e instanceof MismatchedInputException mismatch
                && !mismatch.getPath().isEmpty()) {
            String field = mismatch.getPath().get(mismatch.getPath().size() - 1).getFieldName();
            String value = valueOf(text, field);
            return where + ": field '" + path(mismatch) + "'" + (value == null ? "" : " has value '" + value + "' but")
                    + " expects " + typeName(mismatch.getTargetType());
        }
        String message = e.getOriginalMessage();
        if (message != null && message.startsWith("Duplicate field")) {
            return where + ": " + message.replace("Duplicate field", "duplicate field");
        }
        return where + ": not valid YAML: " + firstLine(message);
    }

    /**
     * Where a field is in a user's file: {@code file:line}, or just {@code file} when the field is not there (or
     * the file cannot be read again).
     */
    static String where(Path file, String field) {
        int line = lineIn(file, field);
        return line > 0 ? file + ":" + line : file.toString();
    }

    /** 1-based line of the first line of the file that holds {@code text}, 0 when none does. */
    static int lineContaining(Path file, String text) {
        try {
            java.util.List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(text)) {
                    return i + 1;
                }
            }
            return 0;
        } catch (IOException e) {
            // As in lineIn: the message then names the file without a line.
            return 0;
        }
    }

    /** 1-based line of {@code field:} in the file, 0 when it is not there. */
    static int lineIn(Path file, String field) {
        try {
            return lineOf(Files.readString(file), field);
        } catch (IOException e) {
            // The file was read a moment ago; without it the message just lacks a line number.
            return 0;
        }
    }

    /** 1-based line of a top-level or nested {@code field:} in the text, 0 when not found. */
    private static int lineOf(String text, String field) {
        if (field == null) {
            return 0;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "^\\s*[\"']?" + java.util.regex.Pattern.quote(field) + "[\"']?\\s*:",
                        java.util.regex.Pattern.MULTILINE)
                .matcher(text);
        return m.find() ? (int) text.substring(0, m.start()).lines().count() + 1 : 0;
    }

    private static String valueOf(String text, String field) {
        int line = lineOf(text, field);
        if (line == 0) {
            return null;
        }
        String raw = text.lines().skip(line - 1).findFirst().orElse("");
        String value =
                raw.substring(raw.indexOf(':') + 1).replaceFirst("\\s+#.*$", "").strip();
        return value.isEmpty() ? null : value;
    }

    private static String location(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : ":" + location.getLineNr();
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "text";
        }
        return "a " + type.getSimpleName();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no detail)";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
