package io.kbench.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Host CPU use from {@code /proc/stat}, sampled every 250 ms on a daemon thread, so a benchmark can ask for
 * the busy share of any past interval. 100 % means every core busy.
 */
final class HostCpu implements AutoCloseable {

    private record Sample(long atMs, long busy, long total) {}

    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stopped;

    HostCpu() {
        thread = new Thread(this::loop, "host-cpu");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (!stopped) {
            Sample s = read();
            synchronized (samples) {
                samples.add(s);
            }
            try {
                Thread.sleep(250); // a sampling period, not a wait for a condition
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static Sample read() {
        try {
            String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = cpu.trim().split("\\s+");
            // user nice system idle iowait irq softirq steal: idle and iowait are the idle share.
            long total = 0;
            for (int i = 1; i <= 8 && i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new Sample(System.currentTimeMillis(), total - idle, total);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/stat (host CPU needs Linux): " + e.getMessage(), e);
        }
    }

    /** Busy percent of all cores between two epoch-ms instants, from the samples nearest to them. */
    double percent(long fromMs, long toMs) {
        Sample a = null;
        Sample b = null;
        synchronized (samples) {
            for (Sample s : samples) {
                if (a == null || Math.abs(s.atMs - fromMs) < Math.abs(a.atMs - fromMs)) {
                    a = s;
                }
                if (b == null || Math.abs(s.atMs - toMs) < Math.abs(b.atMs - toMs)) {
                    b = s;
                }
            }
        }
        if (a == null || b == null || b.total <= a.total) {
            return Double.NaN;
        }
        return 100.0 * (b.busy - a.busy) / (b.total - a.total);
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
