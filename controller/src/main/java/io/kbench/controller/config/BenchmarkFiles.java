package io.kbench.controller.config;

import io.kbench.protocol.message.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Loads and checks workload and driver files. */
public final class BenchmarkFiles {

    private BenchmarkFiles() {}

    /** A workload with the file it came from; {@code payloadFile} resolved to an absolute path. */
    public record LoadedWorkload(Path file, Workload workload) {}

    /**
     * The one directory the workloads' payload files sit in, for a worker run by this process ({@code kbench
     * local}): a worker takes payload files by name from its own payload directory only, never by a path that
     * travels on a topic. Empty when no workload names a payload file.
     *
     * @throws InputError when the payload files sit in different directories
     */
    public static java.util.Optional<Path> payloadDirectory(java.util.List<LoadedWorkload> workloads) {
        java.util.Set<Path> dirs = new java.util.LinkedHashSet<>();
        for (LoadedWorkload w : workloads) {
            String file = w.workload().payloadFile();
            if (file != null && !file.isBlank()) {
                dirs.add(Path.of(file).getParent());
            }
        }
        if (dirs.size() > 1) {
            throw new InputError("the payload files of one local run must sit in one directory, found " + dirs
                    + "; run the workloads one at a time, or put their payload files together");
        }
        return dirs.stream().findFirst();
    }

    /** A driver with the file it came from ({@code null} for kbench's default driver). */
    public record LoadedDriver(Path file, DriverConfig driver) {
        public String source() {
            return file == null ? "(default driver)" : file.toString();
        }
    }

    /** Where a field of a user file is ({@code file:line}, or the file alone when the field is not there). */
    public static String where(Path file, String field) {
        return file == null ? "(default driver)" : YamlFiles.where(file, field);
    }

    /** {@code file:line} of the first line holding {@code text}, or the file alone. */
    public static String whereText(Path file, String text) {
        if (file == null) {
            return "(default driver)";
        }
        int line = YamlFiles.lineContaining(file, text);
        return line > 0 ? file + ":" + line : file.toString();
    }

    public static LoadedWorkload workload(Path file) {
        Workload workload = YamlFiles.read(file, Workload.class, "workload");
        return new LoadedWorkload(file, withResolvedPayload(file, workload));
    }

    public static LoadedDriver driver(Path file) {
        DriverConfig driver = YamlFiles.read(file, DriverConfig.class, "driver");
        // Parse every properties field now, so a bad one is reported before anything starts.
        driver.topicProperties(file.toString());
        driver.commonProperties(file.toString());
        driver.producerProperties(file.toString());
        driver.consumerProperties(file.toString());
        return new LoadedDriver(file, driver);
    }

    /**
     * Resolves {@code payloadFile} against the workload's directory, then the working directory (OMB resolves it
     * against its own working directory), and checks it exists and matches {@code messageSize}.
     */
    private static Workload withResolvedPayload(Path file, Workload w) {
        if (w.payloadFile() == null || w.payloadFile().isBlank()) {
            return w;
        }
        Path given = Path.of(w.payloadFile());
        Path dir = file.toAbsolutePath().getParent();
        Path resolved = given.isAbsolute() ? given : dir.resolve(given);
        if (!Files.isRegularFile(resolved) && !given.isAbsolute()) {
            Path fromParent = dir.getParent() == null ? null : dir.getParent().resolve(given);
            resolved = fromParent != null && Files.isRegularFile(fromParent) ? fromParent : given.toAbsolutePath();
        }
        if (!Files.isRegularFile(resolved)) {
            throw new InputError(file + ": field 'payloadFile' names '" + w.payloadFile()
                    + "', which does not exist (looked beside the workload, its parent directory and in "
                    + Path.of("").toAbsolutePath() + ")");
        }
        long size;
        try {
            size = Files.size(resolved);
        } catch (java.io.IOException e) {
            throw new InputError(file + ": field 'payloadFile': cannot read " + resolved + ": " + e.getMessage());
        }
        if (w.messageSize() == 0 && size > 0 && size <= Integer.MAX_VALUE) {
            // OMB sends the payload file's bytes; a workload that gives no messageSize means the file's size.
            w = w.withMessageSize((int) size);
        }
        if (size != w.messageSize()) {
            throw new InputError(file + ": field 'messageSize' is " + w.messageSize() + " but payloadFile " + resolved
                    + " holds " + size + " bytes; make them equal");
        }
        return w.withPayloadFile(resolved.toAbsolutePath().normalize().toString());
    }

    /**
     * Rejects what OMB's defaults make of an incomplete file: OMB's {@code Workload} defaults every count, size and
     * duration to 0, and kbench keeps those meanings; a 0 that cannot run (no topic, no partition, no payload, no
     * measurement, nothing producing or consuming) is an error naming the file, the line and the field, not a
     * silent default. Call after duration overrides ({@code --duration}).
     */
    public static void requireRunnable(LoadedWorkload loaded) {
        Path file = loaded.file();
        Workload w = loaded.workload();
        boolean newTopics = w.existingTopics().isEmpty();
        if (newTopics && w.topics() == 0) {
            throw zero(file, "topics", "a run needs at least one topic (or existingTopics)");
        }
        if (newTopics && w.partitionsPerTopic() == 0) {
            throw zero(file, "partitionsPerTopic", "a topic needs at least one partition");
        }
        if (w.messageSize() == 0) {
            throw zero(file, "messageSize", "give the payload size in bytes, or a payloadFile");
        }
        if (w.testDuration().isZero()) {
            throw zero(
                    file,
                    w.testDurationSeconds() != null ? "testDurationSeconds" : "testDurationMinutes",
                    "nothing would be measured; give testDurationMinutes (or testDurationSeconds, or --duration)");
        }
        boolean subscriptions = w.subscriptionsPerTopic() > 0;
        boolean consumersEach = w.consumerPerSubscription() > 0;
        if (subscriptions != consumersEach) {
            String zeroField = subscriptions ? "consumerPerSubscription" : "subscriptionsPerTopic";
            String other = subscriptions ? "subscriptionsPerTopic" : "consumerPerSubscription";
            int otherValue = subscriptions ? w.subscriptionsPerTopic() : w.consumerPerSubscription();
            throw zero(
                    file,
                    zeroField,
                    other + " is " + otherValue + ", but no consumer would run; give both, or "
                            + "set both to 0 for a run without consumers");
        }
        if (w.totalProducers() == 0 && w.totalConsumers() == 0) {
            throw new InputError(file + ": the workload has nothing to run: producersPerTopic is "
                    + w.producersPerTopic() + " and subscriptionsPerTopic × consumerPerSubscription is "
                    + w.subscriptionsPerTopic() + " × " + w.consumerPerSubscription()
                    + " (OMB's defaults are 0); give producersPerTopic and/or consumers");
        }
        if (newTopics && w.totalProducers() == 0) {
            throw zero(
                    file,
                    "producersPerTopic",
                    "consumers would read new, empty topics; give producersPerTopic, or existingTopics that hold data");
        }
    }

    private static InputError zero(Path file, String field, String why) {
        int line = YamlFiles.lineIn(file, field);
        String given = line > 0
                ? file + ":" + line + ": field '" + field + "' is 0"
                : file + ": field '" + field + "' is not given, so it is 0 (OMB's default)";
        return new InputError(given + ": " + why);
    }

    /**
     * Rejects a {@code messageSize} the producer would refuse (above its {@code max.request.size}) or the topic would
     * refuse (above the driver's {@code topicConfig} {@code max.message.bytes}), before anything starts. The
     * broker's own limit is checked when the cluster under test is reached ({@link #requireFitsTopic}).
     */
    public static void requireFits(LoadedWorkload loaded, LoadedDriver driver) {
        Workload w = loaded.workload();
        String source = driver.source();
        Map<String, String> producer = new java.util.HashMap<>(driver.driver().commonProperties(source));
        producer.putAll(driver.driver().producerProperties(source));
        String given = producer.get("max.request.size");
        int maxRequestSize = given == null
                ? MessageLimits.DEFAULT_MAX_REQUEST_SIZE
                : positiveInt(given, whereText(driver.file(), "max.request.size"), "max.request.size");
        long needed = MessageLimits.producerEstimate(w.messageSize(), w.keyDistributor());
        if (needed > maxRequestSize) {
            int largest = MessageLimits.largestForProducer(maxRequestSize, w.keyDistributor());
            String limitSource = given == null
                    ? "Kafka's default; " + (driver.file() == null ? "kbench's default driver" : source)
                            + " does not set it"
                    : "set at " + whereText(driver.file(), "max.request.size");
            throw new InputError(where(loaded.file(), "messageSize") + ": messageSize " + w.messageSize()
                    + " does not fit the producer's max.request.size " + maxRequestSize + " (" + limitSource
                    + "): a record of that payload takes " + needed + " bytes with its batch and record headers, so "
                    + "a payload of exactly the limit can never be sent; the largest that fits is " + largest
                    + " bytes. Lower messageSize, or raise max.request.size in the driver's producerConfig (and the "
                    + "topic's max.message.bytes with it)");
        }
        String topicLimit = driver.driver().topicProperties(source).get("max.message.bytes");
        if (topicLimit != null && w.existingTopics().isEmpty()) {
            String at = whereText(driver.file(), "max.message.bytes");
            requireFitsTopic(
                    loaded,
                    positiveInt(topicLimit, at, "max.message.bytes"),
                    "max.message.bytes",
                    "set at " + at,
                    compression(driver));
        }
    }

    /**
     * Rejects a {@code messageSize} whose one-record batch is above a topic's or broker's limit. With compression
     * the broker sees compressed batches, which may fit: then the caller gets the problem back as a note instead.
     *
     * @return a note for the user, or null when the size fits
     */
    public static String requireFitsTopic(
            LoadedWorkload loaded, int limit, String limitName, String limitSource, String compression) {
        Workload w = loaded.workload();
        long batch = MessageLimits.batchBytes(w.messageSize(), w.keyDistributor());
        if (batch <= limit) {
            return null;
        }
        int largest = MessageLimits.largestForBroker(limit, w.keyDistributor());
        String problem = "messageSize " + w.messageSize() + " does not fit " + limitName + " " + limit + " ("
                + limitSource + "): one record of that payload makes a " + batch + "-byte batch with its batch and "
                + "record headers, so a payload of exactly the limit cannot be stored; the largest that fits is "
                + largest + " bytes";
        if (compression != null) {
            return problem + "; it may still fit once compressed (" + compression + "), so the run goes ahead";
        }
        throw new InputError(where(loaded.file(), "messageSize") + ": " + problem
                + ". Lower messageSize, or raise max.message.bytes in the driver's topicConfig (and "
                + "max.request.size in its producerConfig)");
    }

    /** The producer's compression, e.g. {@code "compression.type=lz4"}; null when none. */
    public static String compression(LoadedDriver driver) {
        String source = driver.source();
        Map<String, String> producer = new java.util.HashMap<>(driver.driver().commonProperties(source));
        producer.putAll(driver.driver().producerProperties(source));
        String type = producer.get("compression.type");
        return type == null || type.isBlank() || type.strip().equals("none")
                ? null
                : "compression.type=" + type.strip();
    }

    private static int positiveInt(String value, String where, String key) {
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed < 1) {
                throw new NumberFormatException("not positive");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new InputError(where + ": " + key + " must be a positive whole number of bytes, got '" + value + "'");
        }
    }
}
