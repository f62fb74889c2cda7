package io.kbench.bench;

import io.kbench.worker.supervise.AgentCommandLine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Kafka's own {@code org.apache.kafka.tools.ConsumerPerformance} (kafka-consumer-perf-test) in its own JVM, the
 * reference a consumer agent is measured against. It reads {@code records} from the earliest offset in a new
 * group and exits; its client settings are {@link #SETTINGS} (what it sets by default), given to the agent too.
 */
final class ConsumerPerf {

    /** What ConsumerPerformance 4.3.1 sets on its consumer unless told otherwise (ConsumerPerfOptions.props). */
    static final Map<String, String> SETTINGS = Map.of(
            "receive.buffer.bytes", "2097152",
            "max.partition.fetch.bytes", "1048576",
            "auto.offset.reset", "earliest",
            "check.crcs", "false");

    /** Records read, fetch rate (excluding the group join), CPU seconds of the JVM start to exit. */
    record Result(long records, double fetchRecordsPerSec, double cpuSeconds) {}

    private ConsumerPerf() {}

    /** @param started told the JVM's pid once it runs */
    static Result run(
            String bootstrap,
            String topic,
            String group,
            long records,
            List<String> jvmOptions,
            java.util.function.LongConsumer started)
            throws InterruptedException {
        List<String> command = command(bootstrap, topic, group, records, Duration.ofSeconds(30), jvmOptions);
        ChildCpu cpu = ChildCpu.start();
        Process process;
        try {
            process = AgentCommandLine.environment(new ProcessBuilder(command))
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start ConsumerPerformance: " + command, e);
        }
        started.accept(process.pid());
        List<String> lines = new ArrayList<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading ConsumerPerformance's output failed", e);
        }
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("ConsumerPerformance did not exit; last output: " + tail(lines));
        }
        double cpuSeconds = cpu.seconds();
        // start.time, end.time, MB, MB.sec, nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec,
        // fetch.nMsg.sec
        for (int i = lines.size() - 1; i >= 0; i--) {
            String[] f = lines.get(i).split(",\\s*");
            if (f.length == 10 && f[4].matches("\\d+")) {
                return new Result(Long.parseLong(f[4]), Double.parseDouble(f[9]), cpuSeconds);
            }
        }
        throw new IllegalStateException(
                "ConsumerPerformance exited " + process.exitValue() + " without a summary line: " + tail(lines));
    }

    /**
     * Starts one ConsumerPerformance JVM that reads {@code topic} in {@code group} until it is destroyed (or reads
     * nothing for {@code idle}): a live reader beside producers, whose CPU the caller takes from {@code /proc}.
     * Its output goes nowhere.
     */
    static Process startLive(String bootstrap, String topic, String group, Duration idle, List<String> jvmOptions) {
        List<String> command = command(bootstrap, topic, group, Long.MAX_VALUE, idle, jvmOptions);
        try {
            return AgentCommandLine.environment(new ProcessBuilder(command))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start ConsumerPerformance: " + command, e);
        }
    }

    private static List<String> command(
            String bootstrap, String topic, String group, long records, Duration idle, List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(Bench.javaExecutable());
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-cp",
                Bench.classPath(),
                "org.apache.kafka.tools.ConsumerPerformance",
                "--bootstrap-server",
                bootstrap,
                "--topic",
                topic,
                "--group",
                group,
                "--num-records",
                Long.toString(records),
                "--timeout",
                Long.toString(idle.toMillis()),
                "--hide-header"));
        return command;
    }

    private static List<String> tail(List<String> lines) {
        return List.copyOf(lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }
}
