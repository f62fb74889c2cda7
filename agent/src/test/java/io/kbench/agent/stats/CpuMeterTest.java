package io.kbench.agent.stats;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What the stats reports take from the JVM: CPU time, the JIT compilers' time and its collections, counting up. */
class CpuMeterTest {

    @Test
    void aJvmThatHasRunTestsHasCompiledAndSpentCpu() {
        CpuMeter meter = new CpuMeter();
        // Starting JUnit alone compiles hundreds of methods and takes well over a CPU-millisecond.
        assertTrue(meter.compileMillis() > 0, "compileMillis " + meter.compileMillis());
        assertTrue(meter.processCpuNanos() > 1_000_000, "processCpuNanos " + meter.processCpuNanos());
    }

    @Test
    void aCollectionCountsInTheGcFigures() {
        CpuMeter meter = new CpuMeter();
        long count = meter.gcCount();
        long millis = meter.gcMillis();
        System.gc(); // a full collection, counted by the JVM's collector beans
        assertTrue(meter.gcCount() > count, "gcCount " + count + " -> " + meter.gcCount());
        assertTrue(meter.gcMillis() >= millis, "gcMillis " + millis + " -> " + meter.gcMillis());
    }

    @Test
    void neitherFigureGoesBack() {
        CpuMeter meter = new CpuMeter();
        long compile = meter.compileMillis();
        long cpu = meter.processCpuNanos();
        long sum = 0;
        for (int i = 0; i < 2_000_000; i++) {
            sum += Integer.toBinaryString(i).length(); // work to count
        }
        assertTrue(sum > 0);
        assertTrue(meter.compileMillis() >= compile);
        assertTrue(meter.processCpuNanos() > cpu);
    }
}
