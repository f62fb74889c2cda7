package io.kbench.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time of a child JVM, start to exit, from this process's {@code cutime + cstime} in {@code /proc/self/stat}:
 * the kernel adds a child's user and system time there when the child is reaped (Java reaps it before
 * {@code Process.waitFor} returns). Exact for one child at a time, which is how the cost benchmarks run their
 * JVMs; a child still alive cannot be charged. Clock ticks of 10 ms.
 */
final class ChildCpu {

    private static final double TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private final long startTicks;

    private ChildCpu(long startTicks) {
        this.startTicks = startTicks;
    }

    /** Starts counting; call before starting the child. */
    static ChildCpu start() {
        return new ChildCpu(reapedChildTicks());
    }

    /** CPU seconds of the children reaped since {@link #start}. */
    double seconds() {
        return (reapedChildTicks() - startTicks) / TICKS_PER_SECOND;
    }

    /** A live process's own CPU seconds so far ({@code utime + stime}); NaN once it is gone. */
    static double secondsOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return (Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static long reapedChildTicks() {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc/self/stat"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/stat (Linux only)", e);
        }
        // Fields after "(comm)": state is field 3, cutime field 16, cstime field 17.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(fields[16 - 3]) + Long.parseLong(fields[17 - 3]);
    }
}
