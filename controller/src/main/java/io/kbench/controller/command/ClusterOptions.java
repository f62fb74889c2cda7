package io.kbench.controller.command;

import io.kbench.controller.config.InputError;
import io.kbench.controller.run.ControlPlane;
import io.kbench.protocol.ClusterCheck;
import io.kbench.protocol.ClusterSettingsError;
import io.kbench.protocol.KafkaClients;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.security.ControlSigner;
import io.kbench.protocol.topic.KbenchTopics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options every fleet command shares: where the control cluster is and how to talk to it. */
public final class ClusterOptions {

    @Option(
            names = {"-b", "--bootstrap-server"},
            paramLabel = "HOST:PORT",
            defaultValue = "${env:KBENCH_BOOTSTRAP:-localhost:9092}",
            description = "Control cluster (kbench's own topics). Default: ${DEFAULT-VALUE} (env KBENCH_BOOTSTRAP).")
    String bootstrapServer;

    @Option(
            names = "--command-config",
            paramLabel = "FILE",
            description = "Kafka client properties for the control cluster (TLS/SASL), as Kafka's tools take them.")
    Path commandConfig;

    @Option(
            names = "--topic-prefix",
            paramLabel = "PREFIX",
            defaultValue = KbenchTopics.DEFAULT_PREFIX,
            description = "Prefix of kbench's topics, so teams can share a cluster. Default: ${DEFAULT-VALUE}.")
    String topicPrefix;

    @Option(
            names = "--secret-file",
            paramLabel = "FILE",
            description = "Shared secret: sign control records with HMAC-SHA256 (daemons and aggregators started"
                    + " with the same secret drop unsigned ones), and read only signed ones back (runs, show, clean).")
    Path secretFile;

    public Map<String, String> clientConfig() {
        if (commandConfig != null && !Files.isReadable(commandConfig)) {
            throw new InputError("--command-config " + commandConfig + " does not exist or is not readable");
        }
        return KafkaClients.readCommandConfig(commandConfig);
    }

    public KbenchTopics topics() {
        try {
            return new KbenchTopics(topicPrefix);
        } catch (IllegalArgumentException e) {
            throw new InputError("--topic-prefix: " + e.getMessage());
        }
    }

    public Optional<ControlSigner> signer() {
        if (secretFile == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ControlSigner.fromFile(secretFile));
        } catch (IOException | IllegalArgumentException e) {
            throw new InputError("--secret-file " + secretFile + ": " + e.getMessage());
        }
    }

    /**
     * The control plane, after checking its settings can work (a host that resolves, complete SASL/TLS settings, a
     * broker answering within 10 s): otherwise a {@link ClusterSettingsError} in one line, exit 2.
     */
    public ControlPlane controlPlane() {
        Map<String, String> clientConfig = clientConfig();
        Optional<ControlSigner> signer = signer();
        KbenchTopics topics = topics();
        ClusterCheck.check(
                bootstrapServer,
                clientConfig,
                commandConfig == null ? null : "--command-config " + commandConfig,
                ClusterCheck.DEFAULT_TIMEOUT);
        return new ControlPlane(bootstrapServer, clientConfig, topics, new MessageCodec(), signer);
    }

    public String bootstrapServer() {
        return bootstrapServer;
    }
}
