package io.kbench.worker.control;

/** Shows text that came from a control record inside a rejection's detail, which goes back onto a topic. */
final class Details {

    /** Long enough for any sane path or key; a longer one is someone's test of how much we echo. */
    static final int MAX_SHOWN = 200;

    private Details() {}

    /**
     * The value in single quotes, control characters as {@code ?} (a detail is one line in logs and tools) and at
     * most {@link #MAX_SHOWN} characters.
     */
    static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder shown = new StringBuilder(Math.min(value.length(), MAX_SHOWN) + 3).append('\'');
        for (int i = 0; i < value.length() && i < MAX_SHOWN; i++) {
            char c = value.charAt(i);
            shown.append(Character.isISOControl(c) ? '?' : c);
        }
        if (value.length() > MAX_SHOWN) {
            shown.append('…');
        }
        return shown.append('\'').toString();
    }
}
