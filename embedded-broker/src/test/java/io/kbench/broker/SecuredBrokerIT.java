package io.kbench.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A secured embedded broker authenticates with SCRAM and authorizes every request by ACL. */
class SecuredBrokerIT {

    private static Admin admin(EmbeddedKafkaBroker broker, Map<String, String> clientConfig) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put("bootstrap.servers", broker.bootstrapServers());
        config.put("default.api.timeout.ms", 10_000);
        config.put("request.timeout.ms", 5_000);
        return Admin.create(config);
    }

    @Test
    @Timeout(60)
    void scramUsersGetOnlyWhatTheirAclsGrant() throws Exception {
        ScramSecurity security = ScramSecurity.sha256("admin", "admin-secret");
        try (EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.builder().scram(security).build().start()) {
            broker.addScramUser("alice", "alice-secret");
            try (Admin root = admin(broker, broker.adminClientConfig());
                    Admin alice = admin(broker, security.clientConfig("alice", "alice-secret"));
                    Admin intruder = admin(broker, security.clientConfig("alice", "wrong-password"))) {
                // The super user may do anything.
                root.createTopics(
                                List.of(new NewTopic("t.granted", 1, (short) 1), new NewTopic("t.other", 1, (short) 1)))
                        .all()
                        .get(10, TimeUnit.SECONDS);

                // A wrong password is refused at authentication.
                ExecutionException refused = assertThrows(
                        ExecutionException.class,
                        () -> intruder.listTopics().names().get(10, TimeUnit.SECONDS));
                assertInstanceOf(SaslAuthenticationException.class, refused.getCause());

                // Without an ACL, a user sees no topic and may create none.
                assertEquals(Set.of(), alice.listTopics().names().get(10, TimeUnit.SECONDS));
                ExecutionException create = assertThrows(
                        ExecutionException.class, () -> alice.createTopics(List.of(new NewTopic("t.new", 1, (short) 1)))
                                .all()
                                .get(10, TimeUnit.SECONDS));
                assertInstanceOf(TopicAuthorizationException.class, create.getCause());

                // An ACL on a prefix grants exactly that prefix.
                root.createAcls(List.of(new AclBinding(
                                new ResourcePattern(ResourceType.TOPIC, "t.gr", PatternType.PREFIXED),
                                new AccessControlEntry(
                                        "User:alice", "*", AclOperation.DESCRIBE, AclPermissionType.ALLOW))))
                        .all()
                        .get(10, TimeUnit.SECONDS);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                Set<String> seen = Set.of();
                // Each listTopics is a round trip to the broker: the wait is for the ACL to reach its cache.
                while (System.nanoTime() < deadline && seen.isEmpty()) {
                    seen = alice.listTopics().names().get(10, TimeUnit.SECONDS);
                }
                assertEquals(Set.of("t.granted"), seen);
                assertTrue(broker.bootstrapServers().startsWith("127.0.0.1:"));
            }
        }
    }
}
