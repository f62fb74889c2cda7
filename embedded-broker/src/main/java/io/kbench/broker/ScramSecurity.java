package io.kbench.broker;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A secured embedded broker: clients connect over SASL_PLAINTEXT with SCRAM, every request is authorized by KRaft's
 * {@code StandardAuthorizer} against ACLs, and the administrator is a super user. The administrator's SCRAM
 * credential is written at format time ({@code StorageTool --add-scram}), so the broker can authenticate it from its
 * first start; other users are added with {@link EmbeddedKafkaBroker#addScramUser}. The controller listener uses
 * SASL PLAIN with the administrator alone, so no listener accepts anonymous requests.
 *
 * @param mechanism {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512}
 * @param adminUser the super user the broker itself and the test's administration use
 * @param adminPassword its password
 */
public record ScramSecurity(String mechanism, String adminUser, String adminPassword) {

    public static final String AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";
    private static final Set<String> MECHANISMS = Set.of("SCRAM-SHA-256", "SCRAM-SHA-512");
    /** Kafka's SCRAM user names are free text, but they end up in JAAS and StorageTool arguments here. */
    private static final String SAFE = "[A-Za-z0-9._-]+";

    public ScramSecurity {
        Objects.requireNonNull(mechanism, "mechanism");
        if (!MECHANISMS.contains(mechanism)) {
            throw new IllegalArgumentException("mechanism must be one of " + MECHANISMS + ", got " + mechanism);
        }
        requireSafe("adminUser", adminUser);
        requireSafe("adminPassword", adminPassword);
    }

    /** SCRAM-SHA-256 with the given administrator. */
    public static ScramSecurity sha256(String adminUser, String adminPassword) {
        return new ScramSecurity("SCRAM-SHA-256", adminUser, adminPassword);
    }

    static void requireSafe(String field, String value) {
        if (value == null || !value.matches(SAFE)) {
            throw new IllegalArgumentException(field + " must match " + SAFE + ", got '" + value + "'");
        }
    }

    /** Kafka client settings that log in as {@code user} over this broker's SASL_PLAINTEXT listener. */
    public Map<String, String> clientConfig(String user, String password) {
        requireSafe("user", user);
        requireSafe("password", password);
        return Map.of(
                "security.protocol",
                "SASL_PLAINTEXT",
                "sasl.mechanism",
                mechanism,
                "sasl.jaas.config",
                scramLogin(user, password));
    }

    /** The administrator's client settings. */
    public Map<String, String> adminClientConfig() {
        return clientConfig(adminUser, adminPassword);
    }

    static String scramLogin(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    /** The broker properties that secure it; {@code clientListener} is the SASL_PLAINTEXT listener's name. */
    Map<String, String> brokerProperties(String clientListener) {
        String client = clientListener.toLowerCase(java.util.Locale.ROOT);
        String scram = mechanism.toLowerCase(java.util.Locale.ROOT);
        return Map.ofEntries(
                Map.entry(
                        "listener.security.protocol.map", clientListener + ":SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT"),
                Map.entry("inter.broker.listener.name", clientListener),
                Map.entry("sasl.mechanism.inter.broker.protocol", mechanism),
                Map.entry("listener.name." + client + ".sasl.enabled.mechanisms", mechanism),
                Map.entry(
                        "listener.name." + client + "." + scram + ".sasl.jaas.config",
                        scramLogin(adminUser, adminPassword)),
                Map.entry("sasl.mechanism.controller.protocol", "PLAIN"),
                Map.entry("listener.name.controller.sasl.enabled.mechanisms", "PLAIN"),
                Map.entry(
                        "listener.name.controller.plain.sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + adminUser
                                + "\" password=\"" + adminPassword + "\" user_" + adminUser + "=\"" + adminPassword
                                + "\";"),
                Map.entry("authorizer.class.name", AUTHORIZER),
                Map.entry("super.users", "User:" + adminUser),
                Map.entry("allow.everyone.if.no.acl.found", "false"));
    }

    /** StorageTool's {@code --add-scram} argument for the administrator. */
    String formatArgument() {
        return mechanism + "=[name=" + adminUser + ",password=" + adminPassword + "]";
    }

    @Override
    public String toString() {
        return "ScramSecurity[mechanism=" + mechanism + ", adminUser=" + adminUser + "]";
    }
}
