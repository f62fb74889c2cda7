package io.kbench.controller.mode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Lines a playbook has for the user since they were last shown. */
final class News {

    private final List<String> lines = new ArrayList<>();

    void say(String format, Object... args) {
        lines.add(String.format(Locale.ROOT, format, args));
    }

    List<String> drain() {
        List<String> copy = List.copyOf(lines);
        lines.clear();
        return copy;
    }
}
