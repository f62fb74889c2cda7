package io.kbench.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kbench.controller.run.RunOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 2 (bench/rate-accuracy.sh): 1, 5 and 10 producer agents paced at 10,000 msg/s each, run as
 * {@code kbench local} runs them (one JVM per agent); achieved / target per agent and in total, read from the
 * result JSON ({@code kbench.perAgent}, {@code kbench.rates}). Goal: within 1 %.
 *
 * <p>Options: {@code --counts 1,5,10}, {@code --rate 10000}, {@code --seconds 15}, {@code --warmup 5}.
 */
public final class RateAccuracy {

    private RateAccuracy() {}

    public static void main(String[] args) throws Exception {
        Args a = new Args(args);
        List<Integer> counts = a.intList("--counts", List.of(1, 5, 10));
        double rate = a.intOpt("--rate", 10_000);
        int seconds = a.intOpt("--seconds", 15);
        int warmup = a.intOpt("--warmup", 5);
        System.out.println(Bench.header("rate-accuracy: paced producers through the local fleet"));
        Bench.println(
                "%,.0f msg/s per producer, 1 KB, 16 partitions, no consumers, warm-up %d s, measurement %d s,"
                        + " driver kafka-digital-twin, one JVM per agent",
                rate, warmup, seconds);
        Path out = Files.createTempDirectory("kbench-bench-rate-");
        ObjectMapper json = new ObjectMapper();
        boolean allMet = true;
        try (BenchFleet fleet = new BenchFleet(out.resolve("agents"));
                HostCpu cpu = new HostCpu()) {
            for (int n : counts) {
                RunOutcome outcome = fleet.run(
                        BenchFleet.workload("rate-accuracy-" + n, 16, n, 0, rate, 1, warmup, seconds),
                        out,
                        Progress.quiet());
                Path file = outcome.files().stream()
                        .filter(f -> f.toString().endsWith(".json"))
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException("run " + outcome.runId() + " wrote no JSON"));
                JsonNode k = json.readTree(file.toFile()).get("kbench");
                double total = k.get("rates").get("publishRate").asDouble();
                double worst = 0;
                StringBuilder perAgent = new StringBuilder();
                for (Iterator<Map.Entry<String, JsonNode>> it =
                                k.get("perAgent").fields();
                        it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    double r = e.getValue().get("publishRate").asDouble() / rate;
                    worst = Math.max(worst, Math.abs(r - 1));
                    perAgent.append(Bench.f(" %s=%.4f", e.getKey(), r));
                }
                double totalRatio = total / (rate * n);
                boolean met =
                        outcome.status().name().equals("COMPLETE") && Math.abs(totalRatio - 1) <= 0.01 && worst <= 0.01;
                allMet &= met;
                Bench.println(
                        "%2d producers: status %s, total %,.0f msg/s = %.4f of target; worst agent off by %.2f %%",
                        n, outcome.status(), total, totalRatio, worst * 100);
                Bench.println("   achieved/target per agent:%s", perAgent);
                // What limits the rate when it is missed: a producer behind its schedule shows a large publish
                // delay; a saturated host shows CPU near 100 %.
                JsonNode delay = k.get("latencies").get("publishDelayMicros");
                Bench.println(
                        "   publish delay p50 %.2f ms, p99 %.2f ms, max %.1f ms; host CPU %.0f %% over the measurement",
                        delay.get("p50").asDouble() / 1000,
                        delay.get("p99").asDouble() / 1000,
                        delay.get("max").asDouble() / 1000,
                        cpu.percent(
                                k.get("measureStart").asLong(),
                                k.get("measureEnd").asLong()));
                Bench.println("   result: %s", file);
                System.out.println(Bench.verdict(
                        met,
                        Bench.f(
                                "%d producers within 1 %% (total %+.2f %%, worst agent %.2f %%)",
                                n, (totalRatio - 1) * 100, worst * 100)));
            }
        }
        System.exit(allMet ? 0 : 1);
    }
}
