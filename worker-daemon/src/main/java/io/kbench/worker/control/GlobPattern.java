package io.kbench.worker.control;

import java.util.regex.Pattern;

/**
 * A shell-like pattern where {@code *} stands for any run of a fixed set of characters and every other character
 * stands for itself. Used for the allow lists of targets ({@code *.kafka.prod:9092}), JVM options
 * ({@code -Xmx*}) and client settings ({@code reconnect.backoff.*}).
 *
 * @param pattern the pattern as the operator wrote it
 * @param regex the compiled form
 */
public record GlobPattern(String pattern, Pattern regex) {

    /**
     * What {@code *} may stand for in a JVM option: letters, digits and {@code . _ + -}. Narrow on purpose, so
     * {@code -Xmx*} cannot smuggle in {@code -Xmx1g:-javaagent:/tmp/x.jar}-like tails.
     */
    public static final String OPTION_CHARS = "[A-Za-z0-9._+-]*";

    /** What {@code *} may stand for in a bootstrap server: anything but separators and white space. */
    public static final String SERVER_CHARS = "[^,\\s]*";

    /** What {@code *} may stand for in a Kafka client setting's name: the characters Kafka's own names use. */
    public static final String KEY_CHARS = "[A-Za-z0-9._-]*";

    public GlobPattern {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("pattern must not be blank, got '" + pattern + "'");
        }
    }

    /** A case-sensitive pattern whose {@code *} matches runs of {@code wildcard} (a regex character class). */
    public static GlobPattern of(String pattern, String wildcard) {
        return new GlobPattern(pattern, compile(pattern, wildcard, 0));
    }

    /** A pattern for bootstrap servers: host names compare without case. */
    public static GlobPattern server(String pattern) {
        return new GlobPattern(pattern.strip(), compile(pattern.strip(), SERVER_CHARS, Pattern.CASE_INSENSITIVE));
    }

    public static GlobPattern option(String pattern) {
        return of(pattern.strip(), OPTION_CHARS);
    }

    /** A pattern for Kafka client setting names ({@code socket.connection.setup.timeout.*}). */
    public static GlobPattern key(String pattern) {
        return of(pattern.strip(), KEY_CHARS);
    }

    public boolean matches(String value) {
        return value != null && regex.matcher(value).matches();
    }

    @Override
    public String toString() {
        return pattern;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GlobPattern that && that.pattern.equals(pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    private static Pattern compile(String pattern, String wildcard, int flags) {
        StringBuilder regex = new StringBuilder();
        int start = 0;
        for (int star = pattern.indexOf('*'); star >= 0; star = pattern.indexOf('*', start)) {
            if (star > start) {
                regex.append(Pattern.quote(pattern.substring(start, star)));
            }
            regex.append(wildcard);
            start = star + 1;
        }
        if (start < pattern.length()) {
            regex.append(Pattern.quote(pattern.substring(start)));
        }
        return Pattern.compile(regex.toString(), flags | (flags != 0 ? Pattern.UNICODE_CASE : 0));
    }
}
