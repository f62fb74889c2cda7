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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kafka's own {@code org.apache.kafka.tools.ProducerPerformance} (kafka-producer-perf-test) in its own JVM, the
 * reference the agent is measured against. Parses its final summary line.
 */
final class ProducerPerf {

    /** The final line: "N records sent, R records/sec (M MB/sec), A ms avg latency, X ms max latency, p50..." */
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+)"
            + " MB/sec\\), ([\\d.]+) ms avg latency, ([\\d.]+) ms max latency, (\\d+) ms 50th, (\\d+) ms 95th, (\\d+)"
            + " ms 99th, (\\d+) ms 99.9th");

    /** One run's summary; latencies in ms as ProducerPerformance prints them (whole ms for percentiles). */
    record Result(long records, double recordsPerSec, double mbPerSec, double p50Ms, double p99Ms, double peakRssMb) {}

    private ProducerPerf() {}

    /**
     * Starts one ProducerPerformance JVM sending one fixed payload: {@code --payload-file} with a file that holds
     * no delimiter (ProducerPerformance splits the file at {@code \n}), so every record carries the file's bytes,
     * as the agent's payload file does. ({@code --record-size} regenerates random bytes per record, a cost the
     * agent does not have.)
     *
     * @param throughput records per second ({@code --throughput}), 0 or less for as fast as it goes
     */
    static Running startWithPayload(
            String bootstrap,
            String topic,
            long records,
            java.nio.file.Path payloadFile,
            double throughput,
            Map<String, String> producerProps,
            List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(Bench.javaExecutable());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(Bench.classPath());
        command.add("org.apache.kafka.tools.ProducerPerformance");
        command.addAll(List.of("--topic", topic, "--num-records", Long.toString(records)));
        command.addAll(List.of("--payload-file", payloadFile.toAbsolutePath().toString()));
        command.addAll(List.of(
                "--throughput",
                throughput > 0 ? Long.toString(Math.round(throughput)) : "-1",
                "--producer-props",
                "bootstrap.servers=" + bootstrap));
        producerProps.forEach((k, v) -> command.add(k + "=" + v));
        try {
            return new Running(AgentCommandLine.environment(new ProcessBuilder(command))
                    .redirectErrorStream(true)
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start ProducerPerformance: " + command, e);
        }
    }

    static final class Running {
        private final Process process;
        private final List<String> lines = new ArrayList<>();
        private final Thread reader;
        private volatile long peakRssKb = -1;
        private final ChildCpu cpu = ChildCpu.start();
        private volatile double cpuSeconds = Double.NaN;

        private Running(Process process) {
            this.process = process;
            this.reader = new Thread(this::read, "pp-" + process.pid());
            reader.setDaemon(true);
            reader.start();
            Thread rss = new Thread(this::sampleRss, "pp-rss-" + process.pid());
            rss.setDaemon(true);
            rss.start();
        }

        long pid() {
            return process.pid();
        }

        /** Ends the JVM if it still runs (a failure elsewhere cut its run short). */
        void destroy() {
            process.destroyForcibly();
        }

        /** The JVM's whole CPU time (user + system, start to exit), known after {@link #await}. */
        double cpuSeconds() {
            return cpuSeconds;
        }

        private void read() {
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            } catch (IOException e) {
                synchronized (lines) {
                    lines.add("reading output failed: " + e);
                }
            }
        }

        private void sampleRss() {
            while (process.isAlive()) {
                peakRssKb = Math.max(peakRssKb, Bench.statusKb(process.pid(), "VmHWM"));
                try {
                    Thread.sleep(100); // a sampling period
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        Result await(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("ProducerPerformance did not finish within " + timeout.toSeconds()
                        + " s; last output: " + tail());
            }
            reader.join(5_000);
            cpuSeconds = cpu.seconds();
            synchronized (lines) {
                for (int i = lines.size() - 1; i >= 0; i--) {
                    Matcher m = SUMMARY.matcher(lines.get(i));
                    if (m.find()) {
                        return new Result(
                                Long.parseLong(m.group(1)),
                                Double.parseDouble(m.group(2)),
                                Double.parseDouble(m.group(3)),
                                Double.parseDouble(m.group(6)),
                                Double.parseDouble(m.group(8)),
                                peakRssKb / 1024.0);
                    }
                }
            }
            throw new IllegalStateException("ProducerPerformance exited " + process.exitValue()
                    + " without a summary line; last output: " + tail());
        }

        private List<String> tail() {
            synchronized (lines) {
                return List.copyOf(lines.subList(Math.max(0, lines.size() - 5), lines.size()));
            }
        }
    }
}
