package io.kbench.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of this build, from the jar's resources. */
public final class KbenchVersion {

    private static final String VERSION = load();

    private KbenchVersion() {}

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = KbenchVersion.class.getResourceAsStream("/kbench-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties props = new Properties();
            props.load(in);
            return props.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
