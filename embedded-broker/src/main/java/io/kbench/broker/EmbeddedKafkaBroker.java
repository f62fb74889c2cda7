package io.kbench.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in this JVM: {@link KafkaRaftServer} in combined KRaft mode (broker and
 * controller in one), storage formatted with {@link StorageTool} when {@code meta.properties} is missing.
 *
 * <p>Used by {@code kbench local}, {@code kbench broker} and tests. Starts in 3–5 s and takes about 250 MB. The
 * broker's threads are not daemons: always {@link #close()} it (try-with-resources), which also deletes a
 * temporary data directory.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
 *     String bootstrap = broker.bootstrapServers();
 * }
 * }</pre>
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final int PORT_ATTEMPTS = 5;

    private final Integer fixedPort;
    private final String host;
    private final Path dataDir;
    private final boolean temporary;
    private final Map<String, String> overrides;
    private final Duration startTimeout;
    private final ScramSecurity security;

    private KafkaRaftServer server;
    private int port;
    private int controllerPort;
    private boolean closed;

    private EmbeddedKafkaBroker(Builder builder) {
        this.fixedPort = builder.port;
        this.host = builder.host;
        this.temporary = builder.dataDir == null;
        try {
            this.dataDir = temporary ? Files.createTempDirectory("kbench-broker-") : builder.dataDir;
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create broker data directory", e);
        }
        this.overrides = Map.copyOf(builder.overrides);
        this.startTimeout = builder.startTimeout;
        this.security = builder.security;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts the broker and waits until it answers a metadata request. */
    public synchronized EmbeddedKafkaBroker start() {
        if (closed) {
            throw new IllegalStateException("broker was closed");
        }
        if (server != null) {
            return this;
        }
        KafkaException lastBindFailure = null;
        for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
            port = fixedPort != null ? fixedPort : freePort();
            controllerPort = freePort();
            try {
                startOnPorts();
                awaitReady();
                LOGGER.info("embedded broker started bootstrap={} dataDir={}", bootstrapServers(), dataDir);
                return this;
            } catch (KafkaException e) {
                stopServer();
                if (fixedPort != null || !isBindFailure(e)) {
                    throw e;
                }
                // Another process took the port between our probe and the broker's bind: try new ports.
                LOGGER.warn("port {} or {} was taken, retrying (attempt {})", port, controllerPort, attempt);
                lastBindFailure = e;
            }
        }
        throw new IllegalStateException("no free port after " + PORT_ATTEMPTS + " attempts", lastBindFailure);
    }

    /** {@code host:port} of the client listener: PLAINTEXT, or SASL_PLAINTEXT when {@link #security()} is set. */
    public String bootstrapServers() {
        if (server == null) {
            throw new IllegalStateException("broker is not started");
        }
        return host + ":" + port;
    }

    public int port() {
        return port;
    }

    /** How the client listener is secured, or null for PLAINTEXT without authorization. */
    public ScramSecurity security() {
        return security;
    }

    /** The administrator's client settings: empty when the broker is not secured. */
    public Map<String, String> adminClientConfig() {
        return security == null ? Map.of() : security.adminClientConfig();
    }

    /**
     * Creates (or updates) a SCRAM user on a secured broker, as the administrator, and returns once the user can
     * log in.
     */
    public void addScramUser(String user, String password) {
        if (security == null) {
            throw new IllegalStateException("the broker is not secured: build it with .scram(...)");
        }
        ScramSecurity.requireSafe("user", user);
        ScramSecurity.requireSafe("password", password);
        ScramMechanism mechanism = ScramMechanism.fromMechanismName(security.mechanism());
        try (Admin admin = Admin.create(adminProperties(bootstrapServers(), security.adminClientConfig()))) {
            admin.alterUserScramCredentials(List.of(
                            new UserScramCredentialUpsertion(user, new ScramCredentialInfo(mechanism, 4096), password)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create SCRAM user " + user + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating SCRAM user " + user, e);
        }
        // The credential reaches the broker with the next metadata update: wait until the user can log in.
        awaitAnswer(security.clientConfig(user, password), Duration.ofSeconds(30), "SCRAM user " + user);
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops the broker (bounded) and deletes the data directory if it was temporary. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopServer();
        if (temporary) {
            deleteRecursively(dataDir);
        }
    }

    private void startOnPorts() {
        Properties props = serverProperties();
        formatIfNeeded(props);
        KafkaConfig config = KafkaConfig.fromProps(props, false);
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
    }

    private Properties serverProperties() {
        Map<String, String> p = new HashMap<>();
        String client = security == null ? "PLAINTEXT" : "SASL_PLAINTEXT";
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("listeners", client + "://" + host + ":" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", client + "://" + host + ":" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        if (security != null) {
            p.putAll(security.brokerProperties(client));
        }
        p.put("log.dirs", dataDir.resolve("logs").toString());
        p.put("metadata.log.dir", dataDir.resolve("metadata").toString());
        // One node: every replication factor is 1.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // The default 128 MiB dedupe buffer is allocated on the heap; compacted topics here are tiny.
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));
        p.put("log.cleaner.threads", "1");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("auto.create.topics.enable", "false");
        p.put("delete.topic.enable", "true");
        p.putAll(overrides);
        Properties props = new Properties();
        props.putAll(p);
        return props;
    }

    private void formatIfNeeded(Properties props) {
        Path logs = dataDir.resolve("logs");
        Path metadata = dataDir.resolve("metadata");
        if (Files.exists(logs.resolve("meta.properties")) && Files.exists(metadata.resolve("meta.properties"))) {
            return; // a restart on the same data directory keeps its data
        }
        Path config = dataDir.resolve("server.properties");
        try {
            try (OutputStream out = Files.newOutputStream(config)) {
                props.store(out, "kbench embedded broker");
            }
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            int code;
            List<String> args = new ArrayList<>(List.of(
                    "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(), "--ignore-formatted"));
            if (security != null) {
                // The administrator must exist before the first start: the broker authenticates itself as it.
                args.addAll(List.of("--add-scram", security.formatArgument()));
            }
            try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
                code = StorageTool.execute(args.toArray(String[]::new), print);
            }
            if (code != 0) {
                throw new IllegalStateException(
                        "formatting broker storage failed (" + code + "): " + output.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
    }

    private void awaitReady() {
        awaitAnswer(adminClientConfig(), startTimeout, "embedded broker");
    }

    private static Map<String, Object> adminProperties(String bootstrap, Map<String, String> clientConfig) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        return config;
    }

    /** Waits until a client with these settings gets an answer to a metadata request. */
    private void awaitAnswer(Map<String, String> clientConfig, Duration timeout, String what) {
        Map<String, Object> config = adminProperties(bootstrapServers(), clientConfig);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(config)) {
            while (true) {
                try {
                    // A broker that lists brokers has joined the cluster and can take requests.
                    if (!admin.describeCluster()
                            .nodes()
                            .get(5, TimeUnit.SECONDS)
                            .isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(what + " did not become ready within " + timeout, e);
                    }
                    Thread.sleep(100); // an authentication failure answers at once: do not spin
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(what + " did not become ready within " + timeout);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        }
    }

    private void stopServer() {
        if (server == null) {
            return;
        }
        KafkaRaftServer stopping = server;
        server = null;
        try {
            stopping.shutdown();
            stopping.awaitShutdown();
        } catch (RuntimeException e) {
            LOGGER.warn("embedded broker shutdown failed: {}", e.toString());
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException
                    || Objects.toString(t.getMessage(), "").contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    LOGGER.warn("cannot delete {}: {}", path, e.toString());
                }
            });
        } catch (IOException e) {
            LOGGER.warn("cannot delete {}: {}", dir, e.toString());
        }
    }

    /** Options of an embedded broker. */
    public static final class Builder {
        private Integer port;
        private String host = "127.0.0.1";
        private Path dataDir;
        private final Map<String, String> overrides = new HashMap<>();
        private Duration startTimeout = Duration.ofSeconds(60);
        private ScramSecurity security;

        private Builder() {}

        /** A fixed PLAINTEXT port; by default a random free one. */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1-65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * The address clients connect to (the PLAINTEXT listener binds and is advertised there); by default
         * 127.0.0.1, reachable from this host only. The controller listener stays on 127.0.0.1.
         */
        public Builder host(String host) {
            if (host == null || host.isBlank() || host.contains(":")) {
                throw new IllegalArgumentException("host must be a host name or IPv4 address, got '" + host + "'");
            }
            this.host = host;
            return this;
        }

        /** A data directory kept after close; a restart on it keeps the data. By default a temporary one. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Any broker property, for example {@code num.partitions}. */
        public Builder property(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        /**
         * Secures the client listener: SASL_PLAINTEXT with SCRAM, ACLs enforced by {@code StandardAuthorizer}, the
         * administrator a super user. Clients then need {@link ScramSecurity#clientConfig} settings.
         */
        public Builder scram(ScramSecurity security) {
            this.security = Objects.requireNonNull(security, "security");
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        public EmbeddedKafkaBroker build() {
            return new EmbeddedKafkaBroker(this);
        }
    }
}
