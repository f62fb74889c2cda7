package io.kbench.agent.run;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops this JVM's C2 compiler (the JIT's optimizing one) for the rest of its life, at the end of a run's warm-up:
 * a compiler directive that excludes every method from C2, added while the JVM runs, as {@code jcmd PID
 * Compiler.directives_add} would add it. What C2 has compiled stays compiled; a method it has not reached stays as
 * C1 compiled it (a method C2 would now compile is compiled by C1 without profiling instead).
 *
 * <p>Why: one JVM per agent at a low fixed rate, C2 keeps compiling Kafka's client one method at a time long after
 * the warm-up (at 2,000 msg/s per producer, 14 agent JVMs on 2 cores were still compiling for 63 % of a
 * measurement that followed a 60 s warm-up), and its compiles compete with the load for the host: publish p99 at
 * 10 producers was 162 ms with C2 and 36 ms with the JVMs kept to C1 from their start (bench/README.md §3e). The
 * controller asks for this only when it pays (a fixed rate, low per agent: {@code StartRun.stopC2AfterWarmup}).
 *
 * <p>The directive is this class's constant, written to a file of its own; nothing a topic carries reaches it.
 */
public final class C2Stop {

    private static final Logger LOGGER = LoggerFactory.getLogger(C2Stop.class);

    /** Excludes every method from C2; C1 keeps its default directive (a directive without a c1 block leaves C1 alone). */
    public static final String DIRECTIVE = "[{ match: \"*.*\", c2: { Exclude: true } }]";

    /**
     * The longest lead before the measurement: C2 compiles queued before the directive still run, and finish within
     * the warm-up. (Adding it cost ~2 ms of CPU in agent JVMs, ~0.2 s in a bare JVM, where the management server
     * starts cold.)
     */
    static final long MAX_LEAD_MS = 5_000;

    private static final String DIAGNOSTIC_COMMAND = "com.sun.management:type=DiagnosticCommand";

    private C2Stop() {}

    /**
     * When to stop C2 for a warm-up from {@code startAt} to {@code measureAt} (epoch ms): {@value #MAX_LEAD_MS} ms
     * before the measurement, or half-way through a shorter warm-up, so that the work of stopping it is done before
     * the first measured second.
     */
    public static long stopAt(long startAt, long measureAt) {
        return measureAt - Math.min(MAX_LEAD_MS, Math.max(measureAt - startAt, 0) / 2);
    }

    /**
     * Stops C2 at {@code atMs} on a daemon thread of its own, unless {@code stillWanted} says otherwise by then.
     *
     * @param clock epoch ms, the clock {@code atMs} is on
     */
    public static void stopLater(long atMs, LongSupplier clock, BooleanSupplier stillWanted) {
        Thread thread = new Thread(
                () -> {
                    try {
                        for (long wait = atMs - clock.getAsLong(); wait > 0; wait = atMs - clock.getAsLong()) {
                            Thread.sleep(wait);
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (stillWanted.getAsBoolean()) {
                        stopNow();
                    }
                },
                "kbench-c2-stop");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Adds the directive now. A JVM that cannot (not HotSpot, no diagnostic commands) keeps compiling as it did: a
     * warning says so, and the run goes on.
     *
     * @return whether the directive was added
     */
    public static boolean stopNow() {
        long cpuBefore = threadCpuNanos();
        Path file = null;
        try {
            file = Files.createTempFile("kbench-c2-stop-", ".json");
            Files.writeString(file, DIRECTIVE, StandardCharsets.UTF_8);
            String said =
                    diagnosticCommand("compilerDirectivesAdd", file.toString()).strip();
            if (!said.startsWith("1 ")) {
                LOGGER.warn("C2 not stopped: the JVM said '{}'; it compiles as before", said);
                return false;
            }
            LOGGER.info(
                    "C2 stopped for the rest of the run: it compiles nothing more ({} ms of CPU to stop it)",
                    (threadCpuNanos() - cpuBefore) / 1_000_000);
            return true;
        } catch (IOException | JMException | RuntimeException | LinkageError e) {
            LOGGER.warn("C2 not stopped ({}); it compiles as before", e.toString());
            return false;
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOGGER.debug("could not delete {}: {}", file, e.toString());
                }
            }
        }
    }

    private static String diagnosticCommand(String operation, String... arguments) throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Object result =
                server.invoke(new ObjectName(DIAGNOSTIC_COMMAND), operation, new Object[] {arguments}, new String[] {
                    String[].class.getName()
                });
        return String.valueOf(result);
    }

    private static long threadCpuNanos() {
        try {
            return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        } catch (UnsupportedOperationException e) {
            return 0;
        }
    }
}
