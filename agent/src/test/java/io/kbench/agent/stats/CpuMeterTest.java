package io.kbench.agent.stats;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What the stats reports take from the JVM: CPU time and the JIT compilers' time, both counting up. */
class CpuMeterTest {

    @Test
    void aJvmThatHasRunTestsHasCompiledAndSpentCpu() {
        CpuMeter meter = new CpuMeter();
        // Starting JUnit alone compiles hundreds of methods and takes well over a CPU-millisecond.
        assertTrue(meter.compileMillis() > 0, "compileMillis " + meter.compileMillis());
        assertTrue(meter.processCpuNanos() > 1_000_000, "processCpuNanos " + meter.processCpuNanos());
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
