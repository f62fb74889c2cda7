package io.kbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The scaling benchmark's per-role CPU: what it reads from /proc is this JVM's own work, charged to its role. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JvmCpuSamplerTest {

    @Test
    void chargesAJvmsCpuOverAWindowToItsRole() throws Exception {
        long self = ProcessHandle.current().pid();
        try (JvmCpuSampler sampler = JvmCpuSampler.of(Map.of(self, JvmCpuSampler.CONSUMER))) {
            sampler.awaitSampleAfter(0);
            long from = System.currentTimeMillis();
            long until = from + 2_500;
            long spins = 0;
            while (System.currentTimeMillis() < until) {
                spins++;
            }
            long to = System.currentTimeMillis();
            sampler.awaitSampleAfter(to);
            Map<String, Double> byRole = sampler.percent(from, to);
            assertEquals(1, byRole.size(), byRole.toString());
            // One thread spun for the whole window: most of a core, whatever else the host runs.
            assertTrue(byRole.get(JvmCpuSampler.CONSUMER) > 30, byRole + " after " + spins + " spins");
        }
    }

    @Test
    void knowsAnAgentsRoleByItsLoadThreadOnly() throws Exception {
        long self = ProcessHandle.current().pid();
        assertEquals(Optional.empty(), JvmCpuSampler.agentRole(self));
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread load = new Thread(
                () -> {
                    running.countDown(); // the JVM names the native thread before run() starts
                    try {
                        done.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "kbench-producer-p0");
        load.start();
        running.await();
        try {
            assertEquals(Optional.of(JvmCpuSampler.PRODUCER), JvmCpuSampler.agentRole(self));
        } finally {
            done.countDown();
            load.join();
        }
    }
}
