package io.kbench.protocol;

/**
 * Settings with which no client can reach the control cluster: an unresolvable host, an incomplete SASL/JAAS or TLS
 * configuration, no broker answering. The message is one line that names the option (and the setting) to fix;
 * commands print it without a stack trace and exit 2.
 */
public final class ClusterSettingsError extends RuntimeException {

    public ClusterSettingsError(String message) {
        super(message);
    }

    public ClusterSettingsError(String message, Throwable cause) {
        super(message, cause);
    }
}
