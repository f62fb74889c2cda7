package io.kbench.agent.stats;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/** This JVM's CPU time, JIT compilation time and heap use, as the stats reports carry them. */
public final class CpuMeter {

    private final com.sun.management.OperatingSystemMXBean os;
    private final CompilationMXBean compiler;

    public CpuMeter() {
        OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
        // On a JVM without the com.sun extension CPU time is reported as 0 rather than failing the run.
        this.os = bean instanceof com.sun.management.OperatingSystemMXBean sun ? sun : null;
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        this.compiler = jit != null && jit.isCompilationTimeMonitoringSupported() ? jit : null;
    }

    /** Time the JIT compilers have spent compiling since the JVM started (ms, summed over them); 0 when unknown. */
    public long compileMillis() {
        return compiler == null ? 0 : Math.max(compiler.getTotalCompilationTime(), 0);
    }

    /** CPU time of the whole process (all threads, JIT and GC included), in nanoseconds; 0 when unknown. */
    public long processCpuNanos() {
        if (os == null) {
            return 0;
        }
        long nanos = os.getProcessCpuTime();
        return Math.max(nanos, 0);
    }

    public long heapUsedBytes() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
