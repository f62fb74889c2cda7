package io.kbench.controller.run;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The terminal's width in columns, so a redrawn progress line never wraps (a wrapped line cannot be redrawn with
 * {@code \r} and scrolls instead): {@code COLUMNS} when the shell exports it, else what {@code stty size} says of
 * the controlling terminal, else {@value #FALLBACK}.
 */
final class TerminalWidth {

    static final int FALLBACK = 80;

    private TerminalWidth() {}

    static int detect() {
        return of(System.getenv(), TerminalWidth::stty);
    }

    static int of(Map<String, String> env, Supplier<OptionalInt> stty) {
        OptionalInt columns = positive(env.get("COLUMNS"));
        if (columns.isPresent()) {
            return columns.getAsInt();
        }
        return stty.get().orElse(FALLBACK);
    }

    /** {@code stty size} prints "ROWS COLUMNS" for the terminal on its standard input. */
    private static OptionalInt stty() {
        File tty = new File("/dev/tty");
        if (!tty.canRead()) {
            return OptionalInt.empty();
        }
        try {
            Process process = new ProcessBuilder("stty", "size")
                    .redirectInput(tty)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return OptionalInt.empty();
            }
            String[] size = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)
                    .strip()
                    .split("\\s+");
            return size.length == 2 ? positive(size[1]) : OptionalInt.empty();
        } catch (IOException e) {
            return OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }

    private static OptionalInt positive(String text) {
        if (text == null) {
            return OptionalInt.empty();
        }
        try {
            int value = Integer.parseInt(text.strip());
            return value > 0 ? OptionalInt.of(value) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /**
     * {@code line} cut to fit {@code width} columns, leaving the last one free (a cursor there wraps on some
     * terminals): whole trailing fields (separated by two spaces) are dropped first, then characters.
     */
    static String fit(String line, int width) {
        int max = Math.max(1, width - 1);
        String fitted = line.stripTrailing();
        while (fitted.length() > max) {
            int cut = fitted.lastIndexOf("  ");
            if (cut <= 0) {
                return fitted.substring(0, max);
            }
            fitted = fitted.substring(0, cut).stripTrailing();
        }
        return fitted;
    }
}
