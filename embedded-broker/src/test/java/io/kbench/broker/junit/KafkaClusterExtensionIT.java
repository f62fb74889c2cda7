package io.kbench.broker.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaClusterExtension.class)
class KafkaClusterExtensionIT {

    private static KafkaCluster fromBeforeAll;

    @BeforeAll
    static void remember(KafkaCluster cluster) {
        fromBeforeAll = cluster;
    }

    @Test
    void handsEveryTestTheClassesOneCluster(KafkaCluster cluster) throws Exception {
        assertSame(fromBeforeAll, cluster, "one cluster per test class");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            assertEquals(1, admin.describeCluster().nodes().get().size());
        }
    }
}
