package io.kbench.protocol.message;

/** Rates of a window or a run, per second; bytes as MB/s (10^6 bytes). */
public record Rates(
        double publishRate, double publishErrorRate, double consumeRate, double publishMBps, double consumeMBps) {
    public static final Rates ZERO = new Rates(0, 0, 0, 0, 0);
}
