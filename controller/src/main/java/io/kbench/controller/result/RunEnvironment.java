package io.kbench.controller.result;

import io.kbench.protocol.KbenchVersion;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * Versions and host facts of the controller that wrote a result ({@code kbench.environment}): which build of kbench
 * and Kafka's client measured, and on what machine the controller ran (in {@code kbench local}, the machine that
 * carried the whole load).
 */
public record RunEnvironment(
        String kbenchVersion,
        String javaVersion,
        String kafkaClientsVersion,
        String os,
        String controllerHost,
        int controllerCores,
        long controllerMaxHeapBytes) {

    public RunEnvironment {
        Objects.requireNonNull(kbenchVersion, "kbenchVersion");
        Objects.requireNonNull(javaVersion, "javaVersion");
        Objects.requireNonNull(kafkaClientsVersion, "kafkaClientsVersion");
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(controllerHost, "controllerHost");
        if (controllerCores < 1) {
            throw new IllegalArgumentException("controllerCores must be >= 1, got " + controllerCores);
        }
    }

    /** This JVM's facts. */
    public static RunEnvironment current() {
        Runtime runtime = Runtime.getRuntime();
        return new RunEnvironment(
                KbenchVersion.get(),
                System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
                org.apache.kafka.common.utils.AppInfoParser.getVersion(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                hostName(),
                runtime.availableProcessors(),
                runtime.maxMemory());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
