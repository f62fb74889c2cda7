package io.kbench.bench;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the controller's progress lines go during a benchmark: dropped, or kept with the time each was printed
 * (the control-plane benchmark reads "all N agents ready" and the first window from them).
 */
final class Progress extends OutputStream {

    /** A progress line and when it was printed (epoch ms). */
    record Line(long atMs, String text) {}

    private final StringBuilder current = new StringBuilder();
    private final List<Line> lines = new ArrayList<>();
    private final boolean echo;

    private Progress(boolean echo) {
        this.echo = echo;
    }

    static PrintStream quiet() {
        return new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    }

    static Progress timed(boolean echo) {
        return new Progress(echo);
    }

    PrintStream stream() {
        return new PrintStream(this, true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            String text = current.toString();
            lines.add(new Line(System.currentTimeMillis(), text));
            if (echo) {
                System.out.println("   | " + text);
            }
            current.setLength(0);
        } else {
            current.append((char) b);
        }
    }

    synchronized List<Line> lines() {
        return List.copyOf(lines);
    }
}
