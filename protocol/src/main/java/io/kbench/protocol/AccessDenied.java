package io.kbench.protocol;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;

/**
 * Turns a broker's refusal (an {@link AuthorizationException} or a {@link SaslAuthenticationException} anywhere in a
 * failure's causes) into one line that names what was refused, to whom, and how to grant it: the line a command
 * prints instead of a stack trace or a timeout (exit 2, like {@link ClusterCheck}'s).
 *
 * <pre>
 * not authorized to WRITE topic kbench.control as User:controller (TopicAuthorizationException); grant it:
 *   kafka-acls.sh --bootstrap-server HOST:PORT --command-config ADMIN.properties --add
 *   --allow-principal User:controller --operation Write --topic kbench.control (docs/security.md)
 * </pre>
 *
 * (in one line). Kafka's exceptions name the topics or group refused but not the operation; the caller, who knows
 * what it was doing, says it.
 */
public final class AccessDenied {

    private static final Pattern USERNAME = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");
    private static final Pattern LIST = Pattern.compile("\\[([^\\]]*)\\]");

    private AccessDenied() {}

    /**
     * The one line for the first refusal among {@code failure}'s causes, or empty when it is none.
     *
     * @param operation what the client was doing, as Kafka's ACL operation ({@code WRITE}, {@code READ},
     *     {@code DESCRIBE}, …); null when unknown
     * @param clientConfig the client's settings, to name the principal (its SASL user name); null when unknown
     */
    public static Optional<String> explain(Throwable failure, String operation, Map<String, String> clientConfig) {
        return explain(failure, operation, null, clientConfig);
    }

    /**
     * {@link #explain(Throwable, String, Map)} for a client that was writing to {@code topic}: an idempotent
     * producer's first request is refused as a cluster authorization failure when the principal may write no topic
     * at all, and the missing grant is then Write on that topic (Kafka lets Write on any topic stand for the
     * cluster's IdempotentWrite).
     */
    public static Optional<String> explain(
            Throwable failure, String operation, String topic, Map<String, String> clientConfig) {
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof SaslAuthenticationException) {
                return Optional.of("authentication as " + principal(clientConfig) + " failed ("
                        + e.getClass().getSimpleName() + ": " + firstLine(e)
                        + "); check the user name and password in the client settings (sasl.jaas.config)");
            }
            if (e instanceof ClusterAuthorizationException && topic != null && "WRITE".equalsIgnoreCase(operation)) {
                return Optional.of("not authorized to WRITE topic " + topic + " as " + principal(clientConfig)
                        + " (ClusterAuthorizationException: an idempotent producer needs Write on the topic it"
                        + " writes, or IdempotentWrite on the cluster); grant it: "
                        + grant(principal(clientConfig), "WRITE", "--topic " + topic));
            }
            if (e instanceof AuthorizationException denied) {
                return Optional.of(line(denied, operation, clientConfig));
            }
        }
        return Optional.empty();
    }

    /** {@link #explain} as an exception for the commands' one-line, exit-2 handling, or empty. */
    public static Optional<ClusterSettingsError> error(
            Throwable failure, String operation, String topic, Map<String, String> clientConfig) {
        return explain(failure, operation, topic, clientConfig).map(line -> new ClusterSettingsError(line, failure));
    }

    private static String line(AuthorizationException denied, String operation, Map<String, String> clientConfig) {
        String principal = principal(clientConfig);
        String op = operation == null ? null : operation.toUpperCase(Locale.ROOT);
        String resourceType;
        String resourceFlag;
        String name;
        if (denied instanceof TopicAuthorizationException topics) {
            resourceType = "topic";
            resourceFlag = "--topic";
            name = topics.unauthorizedTopics().isEmpty()
                    ? listIn(denied.getMessage())
                    : String.join(",", new java.util.TreeSet<>(topics.unauthorizedTopics()));
        } else if (denied instanceof GroupAuthorizationException group) {
            resourceType = "group";
            resourceFlag = "--group";
            name = group.groupId() != null ? group.groupId() : listIn(denied.getMessage());
            op = op == null ? "READ" : op; // every group request a client makes needs Read
        } else if (denied instanceof TransactionalIdAuthorizationException) {
            resourceType = "transactional id";
            resourceFlag = "--transactional-id";
            name = listIn(denied.getMessage());
            op = op == null ? "WRITE" : op;
        } else if (denied instanceof ClusterAuthorizationException) {
            resourceType = "cluster";
            resourceFlag = "--cluster";
            name = null;
        } else {
            return "not authorized" + (op == null ? "" : " to " + op) + " as " + principal + " ("
                    + denied.getClass().getSimpleName() + ": " + firstLine(denied) + ")";
        }
        String what = (op == null ? "not authorized to access " : "not authorized to " + op + " ") + resourceType
                + (name == null || name.isEmpty() ? "" : " " + name) + " as " + principal + " ("
                + denied.getClass().getSimpleName() + ")";
        if (op == null || (name == null && resourceFlag.equals("--topic"))) {
            return what + "; see docs/security.md for the ACLs each kbench component needs";
        }
        String resource = resourceFlag + (name == null || name.isEmpty() ? "" : " " + name.split(",")[0]);
        return what + "; grant it: " + grant(principal, op, resource);
    }

    private static String grant(String principal, String operation, String resource) {
        return "kafka-acls.sh --bootstrap-server HOST:PORT --command-config ADMIN.properties --add --allow-principal "
                + principal + " --operation " + aclsToolName(operation) + " " + resource
                + " (docs/security.md lists every component's ACLs)";
    }

    /** {@code User:<name>} from a SASL PLAIN or SCRAM login, else a description. */
    static String principal(Map<String, String> clientConfig) {
        if (clientConfig == null) {
            return "the principal of --command-config";
        }
        String jaas = clientConfig.get("sasl.jaas.config");
        if (jaas != null) {
            Matcher m = USERNAME.matcher(jaas);
            if (m.find()) {
                return "User:" + m.group(1);
            }
        }
        String protocol = clientConfig.get("security.protocol");
        return protocol == null || protocol.isBlank()
                ? "User:ANONYMOUS (no --command-config)"
                : "this client's principal (" + protocol + ")";
    }

    /** kafka-acls.sh spells operations in camel case: {@code DESCRIBE_CONFIGS} is {@code DescribeConfigs}. */
    static String aclsToolName(String operation) {
        StringBuilder out = new StringBuilder();
        for (String part : operation.toLowerCase(Locale.ROOT).split("_")) {
            if (!part.isEmpty()) {
                out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return out.toString();
    }

    private static String listIn(String message) {
        if (message == null) {
            return "";
        }
        Matcher m = LIST.matcher(message);
        return m.find() ? m.group(1).replace(" ", "") : "";
    }

    private static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
