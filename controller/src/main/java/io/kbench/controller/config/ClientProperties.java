package io.kbench.controller.config;

import java.io.IOException;
import java.io.StringReader;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** Parses the Java properties text of an OMB driver field. */
public final class ClientProperties {

    private ClientProperties() {}

    public static Map<String, String> parse(String text, String file, String field) {
        Map<String, String> out = new TreeMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        Properties props = new Properties();
        try {
            props.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new InputError(file + ": field '" + field + "' is not properties text: " + e.getMessage());
        }
        for (String key : props.stringPropertyNames()) {
            String value = props.getProperty(key).strip();
            if (key.isBlank()) {
                throw new InputError(file + ": field '" + field + "' has an empty key");
            }
            out.put(key.strip(), value);
        }
        return out;
    }
}
