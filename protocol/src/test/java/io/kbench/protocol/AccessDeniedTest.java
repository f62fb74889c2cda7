package io.kbench.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.junit.jupiter.api.Test;

class AccessDeniedTest {

    private static final Map<String, String> CONTROLLER = Map.of(
            "security.protocol",
            "SASL_PLAINTEXT",
            "sasl.mechanism",
            "SCRAM-SHA-256",
            "sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"controller\" password=\"p\";");

    @Test
    void aRefusedTopicWriteNamesOperationTopicPrincipalAndTheGrant() {
        ExecutionException failure = new ExecutionException(new TopicAuthorizationException(
                "Not authorized to access topics: [kbench.control]", Set.of("kbench.control")));
        String line = AccessDenied.explain(new IllegalStateException("wrapped", failure), "WRITE", CONTROLLER)
                .orElseThrow();
        assertEquals(
                "not authorized to WRITE topic kbench.control as User:controller (TopicAuthorizationException);"
                        + " grant it: kafka-acls.sh --bootstrap-server HOST:PORT --command-config ADMIN.properties --add"
                        + " --allow-principal User:controller --operation Write --topic kbench.control"
                        + " (docs/security.md lists every component's ACLs)",
                line);
        assertTrue(line.indexOf('\n') < 0);
    }

    @Test
    void groupsTransactionalIdsAndTheClusterAreNamedToo() {
        assertTrue(AccessDenied.explain(new GroupAuthorizationException("denied", "kbench-worker-w1"), null, CONTROLLER)
                .orElseThrow()
                .startsWith("not authorized to READ group kbench-worker-w1 as User:controller"
                        + " (GroupAuthorizationException); grant it: kafka-acls.sh"));
        assertTrue(AccessDenied.explain(
                        new TransactionalIdAuthorizationException("Transactional Id authorization failed."),
                        null,
                        Map.of())
                .orElseThrow()
                .startsWith("not authorized to WRITE transactional id as User:ANONYMOUS (no --command-config)"));
        String cluster = AccessDenied.explain(new ClusterAuthorizationException("no"), "describe_configs", CONTROLLER)
                .orElseThrow();
        assertTrue(cluster.startsWith("not authorized to DESCRIBE_CONFIGS cluster as User:controller"), cluster);
        assertTrue(cluster.contains("--operation DescribeConfigs --cluster "), cluster);
    }

    @Test
    void anIdempotentProducerRefusedAsClusterAuthorizationNamesTheTopicWrite() {
        String line = AccessDenied.explain(
                        new ExecutionException(new ClusterAuthorizationException("Cluster authorization failed.")),
                        "WRITE",
                        "kbench.control",
                        CONTROLLER)
                .orElseThrow();
        assertTrue(
                line.startsWith("not authorized to WRITE topic kbench.control as User:controller"
                        + " (ClusterAuthorizationException: an idempotent producer needs Write on the topic it writes,"
                        + " or IdempotentWrite on the cluster); grant it: kafka-acls.sh"),
                line);
        assertTrue(line.contains("--operation Write --topic kbench.control"), line);
    }

    @Test
    void aWrongPasswordSaysToCheckTheCredentials() {
        String line = AccessDenied.explain(
                        new SaslAuthenticationException("Authentication failed during authentication due to invalid"
                                + " credentials with SASL mechanism SCRAM-SHA-256"),
                        null,
                        CONTROLLER)
                .orElseThrow();
        assertTrue(line.startsWith("authentication as User:controller failed (SaslAuthenticationException:"), line);
        assertTrue(line.endsWith("check the user name and password in the client settings (sasl.jaas.config)"), line);
    }

    @Test
    void otherFailuresAreNotExplained() {
        assertEquals(Optional.empty(), AccessDenied.explain(new TimeoutException("slow"), "WRITE", CONTROLLER));
    }
}
