package io.kbench.protocol;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * Checks, before a command starts its real clients, that the control cluster's settings can work: every check
 * failure is a {@link ClusterSettingsError} whose one line names the option and the setting, instead of a client's
 * stack trace or a silent minute of retries.
 *
 * <ol>
 *   <li>{@code --bootstrap-server}: every entry {@code host:port}, and at least one host resolves;
 *   <li>{@code --command-config}: a known {@code security.protocol}; with SASL, a {@code sasl.jaas.config} that
 *       parses and (for PLAIN and SCRAM) has a username and password; TLS key and trust stores that are readable;
 *   <li>a broker answers a metadata request within the timeout (10 s in the commands).
 * </ol>
 */
public final class ClusterCheck {

    /** How long the commands wait for a broker to answer. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private ClusterCheck() {}

    /**
     * @param configSource how the settings were given, for messages: {@code --command-config FILE}, or null when
     *     none were
     */
    public static void check(
            String bootstrap, Map<String, String> clientConfig, String configSource, Duration timeout) {
        checkSettings(bootstrap, clientConfig, configSource);
        checkBrokerAnswers(bootstrap, clientConfig, configSource, timeout);
    }

    /**
     * What a long-running process (worker daemon, aggregator) says and checks before it starts its clients: the
     * unsigned warning when there is one (printed as well as logged, so an operator starting it by hand sees it
     * wherever the logs go), then {@link #check} with the default timeout.
     *
     * @param command the command's name for messages, e.g. {@code kbench worker}
     * @param commandConfig the {@code --command-config} file the settings came from, or null
     * @return false, after printing one line naming the option and setting, when the settings cannot work
     */
    public static boolean beforeStart(
            String command,
            String bootstrap,
            Map<String, String> clientConfig,
            Path commandConfig,
            Optional<String> unsignedWarning,
            PrintWriter err) {
        try {
            check(
                    bootstrap,
                    clientConfig,
                    commandConfig == null ? null : "--command-config " + commandConfig,
                    DEFAULT_TIMEOUT);
        } catch (ClusterSettingsError e) {
            err.println(command + ": " + e.getMessage());
            err.flush();
            return false;
        }
        // Printed as well as logged, once the settings are known to work (a bad setting is then the one line said),
        // so an operator starting it by hand sees it even when the logs go elsewhere.
        unsignedWarning.ifPresent(err::println);
        err.flush();
        return true;
    }

    /** The checks that need no network beyond name resolution. */
    public static void checkSettings(String bootstrap, Map<String, String> clientConfig, String configSource) {
        checkBootstrap(bootstrap);
        checkSecurity(clientConfig, configSource == null ? "the client settings" : configSource);
    }

    static void checkBootstrap(String bootstrap) {
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new ClusterSettingsError("--bootstrap-server is empty; give HOST:PORT[,HOST:PORT…]");
        }
        List<String> unresolved = new ArrayList<>();
        String[] entries = bootstrap.split(",");
        for (String raw : entries) {
            String entry = raw.strip();
            int colon = entry.lastIndexOf(':');
            String host = colon > 0 ? entry.substring(0, colon) : "";
            String port = colon > 0 ? entry.substring(colon + 1) : "";
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (host.isEmpty() || !port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
                throw new ClusterSettingsError(
                        "--bootstrap-server entry '" + entry + "' is not HOST:PORT (in '" + bootstrap + "')");
            }
            try {
                InetAddress.getAllByName(host);
            } catch (UnknownHostException e) {
                unresolved.add(host);
            }
        }
        if (unresolved.size() == entries.length) {
            throw new ClusterSettingsError("cannot resolve host" + (unresolved.size() > 1 ? "s " : " ")
                    + String.join(
                            ", ", unresolved.stream().map(h -> "'" + h + "'").toList())
                    + " of --bootstrap-server " + bootstrap);
        }
    }

    static void checkSecurity(Map<String, String> config, String source) {
        String protocolName =
                config.getOrDefault("security.protocol", "PLAINTEXT").strip();
        SecurityProtocol protocol;
        try {
            protocol = SecurityProtocol.forName(protocolName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ClusterSettingsError(source + ": security.protocol=" + protocolName + " is not one of "
                    + Arrays.toString(SecurityProtocol.values()));
        }
        if (protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL) {
            checkSasl(config, source, protocol);
        }
        if (protocol == SecurityProtocol.SSL || protocol == SecurityProtocol.SASL_SSL) {
            for (String key : List.of("ssl.truststore.location", "ssl.keystore.location")) {
                String file = config.get(key);
                if (file != null && !Files.isReadable(Path.of(file))) {
                    throw new ClusterSettingsError(source + ": " + key + "=" + file + " is not a readable file");
                }
            }
        }
    }

    private static void checkSasl(Map<String, String> config, String source, SecurityProtocol protocol) {
        String mechanism = config.getOrDefault("sasl.mechanism", "GSSAPI").strip();
        String jaas = config.get("sasl.jaas.config");
        if (jaas == null || jaas.isBlank()) {
            if (System.getProperty("java.security.auth.login.config") != null) {
                return; // a JAAS file for the whole JVM, as Kafka's tools allow
            }
            throw new ClusterSettingsError(source + ": security.protocol=" + protocol + " with sasl.mechanism="
                    + mechanism + " needs sasl.jaas.config (the login module and its credentials)");
        }
        JaasContext context;
        try {
            context = JaasContext.loadClientContext(Map.of("sasl.jaas.config", new Password(jaas)));
        } catch (IllegalArgumentException | SecurityException e) {
            throw new ClusterSettingsError(source + ": sasl.jaas.config cannot be used: " + firstLine(e));
        }
        if (mechanism.equals("PLAIN") || mechanism.startsWith("SCRAM-")) {
            Map<String, ?> options = context.configurationEntries().get(0).getOptions();
            for (String name : List.of("username", "password")) {
                if (!options.containsKey(name)) {
                    throw new ClusterSettingsError(source + ": sasl.jaas.config has no " + name
                            + "=\"…\" (sasl.mechanism=" + mechanism + " needs username and password)");
                }
            }
        }
    }

    static void checkBrokerAnswers(
            String bootstrap, Map<String, String> clientConfig, String configSource, Duration timeout) {
        // The bound covers making the client too (class loading in a cold JVM on a busy host takes seconds), so
        // "within 10 s" is what the user waits, not 10 s after an unstated delay.
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> config = KafkaClients.base(bootstrap, clientConfig);
        int millis = (int) Math.min(timeout.toMillis(), Integer.MAX_VALUE);
        config.put("request.timeout.ms", millis);
        config.put("default.api.timeout.ms", millis);
        Admin admin;
        try {
            admin = Admin.create(config);
        } catch (KafkaException e) {
            throw new ClusterSettingsError(
                    "cannot make a Kafka client for --bootstrap-server " + bootstrap
                            + (configSource == null ? "" : " with " + configSource) + ": " + firstLine(rootCause(e)),
                    e);
        }
        boolean answered = false;
        try {
            long left = Math.max(1, deadline - System.nanoTime());
            admin.describeCluster().nodes().get(left, TimeUnit.NANOSECONDS);
            answered = true;
        } catch (TimeoutException e) {
            throw noAnswer(bootstrap, timeout, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw noAnswer(bootstrap, timeout, cause);
            }
            String with = configSource == null ? "" : " (" + configSource + ")";
            if (cause instanceof SslAuthenticationException) {
                throw new ClusterSettingsError(
                        "TLS handshake with " + bootstrap + " failed" + with + ": " + firstLine(rootCause(cause)), e);
            }
            if (cause instanceof AuthenticationException) {
                throw new ClusterSettingsError(
                        "authentication at " + bootstrap + " failed" + with + ": " + firstLine(cause), e);
            }
            throw new ClusterSettingsError(
                    "the Kafka cluster at " + bootstrap + " (--bootstrap-server) refused a metadata request: "
                            + firstLine(cause),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterSettingsError("interrupted while waiting for " + bootstrap, e);
        } finally {
            // Nothing is pending after an answer; after a failure, waiting would only add to the user's wait.
            admin.close(answered ? Duration.ofSeconds(2) : Duration.ZERO);
        }
    }

    private static ClusterSettingsError noAnswer(String bootstrap, Duration timeout, Throwable cause) {
        return new ClusterSettingsError(
                "no Kafka broker answered at " + bootstrap + " (--bootstrap-server) within " + timeout.toSeconds()
                        + " s",
                cause);
    }

    /** The deepest cause: Kafka wraps the reason a client cannot be made in one or two layers. */
    static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
