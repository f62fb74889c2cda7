package io.kbench.controller.config;

import io.kbench.protocol.message.Workload;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads and checks workload and driver files. */
public final class BenchmarkFiles {

    private BenchmarkFiles() {}

    /** A workload with the file it came from; {@code payloadFile} resolved to an absolute path. */
    public record LoadedWorkload(Path file, Workload workload) {}

    /** A driver with the file it came from ({@code null} for kbench's default driver). */
    public record LoadedDriver(Path file, DriverConfig driver) {
        public String source() {
            return file == null ? "(default driver)" : file.toString();
        }
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
        if (size != w.messageSize()) {
            throw new InputError(file + ": field 'messageSize' is " + w.messageSize() + " but payloadFile " + resolved
                    + " holds " + size + " bytes; make them equal");
        }
        return w.withPayloadFile(resolved.toAbsolutePath().normalize().toString());
    }
}
