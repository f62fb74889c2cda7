package io.kbench.agent.stats;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.List;

/** This JVM's CPU time, JIT compilation time, garbage collections and heap use, as the stats reports carry them. */
public final class CpuMeter {

    private final com.sun.management.OperatingSystemMXBean os;
    private final CompilationMXBean compiler;
    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();

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

    /**
     * Time this JVM has spent in garbage collections since it started (ms, summed over its collectors; one that does
     * not know counts 0). With the serial and parallel collectors that is pause time; a concurrent collector's bean
     * may count its concurrent cycles too.
     */
    public long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean collector : collectors) {
            total += Math.max(collector.getCollectionTime(), 0);
        }
        return total;
    }

    /** Garbage collections of this JVM since it started, summed over its collectors. */
    public long gcCount() {
        long total = 0;
        for (GarbageCollectorMXBean collector : collectors) {
            total += Math.max(collector.getCollectionCount(), 0);
        }
        return total;
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
