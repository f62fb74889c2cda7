package io.kbench.worker.supervise;

import java.util.ArrayDeque;
import java.util.List;

/** The last {@code capacity} lines of a stream, for a failure report. Thread-safe. */
final class LineTail {

    /** Longest line kept: a runaway line (a base64 blob) must not bloat an event. */
    static final int MAX_LINE_CHARS = 1000;

    private final int capacity;
    private final ArrayDeque<String> lines;

    LineTail(int capacity) {
        this.capacity = capacity;
        this.lines = new ArrayDeque<>(capacity);
    }

    synchronized void add(String line) {
        if (lines.size() == capacity) {
            lines.removeFirst();
        }
        lines.addLast(line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) + "…" : line);
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
