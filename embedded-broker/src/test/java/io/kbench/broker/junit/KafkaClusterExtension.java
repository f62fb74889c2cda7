package io.kbench.broker.junit;

import io.kbench.broker.EmbeddedKafkaBroker;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Hands a test class one real Kafka cluster, shared by all its tests and stopped after the last one. Where a
 * Docker engine is available it is Testcontainers' Kafka; otherwise (as on kbench's CI) the embedded KRaft
 * broker. Set {@code -Dkbench.test.broker=embedded} to use the embedded broker even with Docker.
 *
 * <pre>{@code
 * @ExtendWith(KafkaClusterExtension.class)
 * class ProduceConsumeIT {
 *     @Test
 *     void roundTrip(KafkaCluster kafka) { ... kafka.bootstrapServers() ... }
 * }
 * }</pre>
 */
public final class KafkaClusterExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(KafkaClusterExtension.class);
    private static final String KEY = "cluster";
    private static final String KAFKA_IMAGE = "apache/kafka:4.1.1";

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return cluster(context);
    }

    private static KafkaCluster cluster(ExtensionContext context) {
        ExtensionContext classContext =
                context.getTestClass().isPresent() && context.getParent().isPresent()
                        ? classContextOf(context)
                        : context;
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(KEY, key -> start(), Resource.class).cluster;
    }

    private static ExtensionContext classContextOf(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }

    private static Resource start() {
        if (!"embedded".equals(System.getProperty("kbench.test.broker")) && dockerAvailable()) {
            KafkaContainer container = new KafkaContainer(KAFKA_IMAGE);
            container.start();
            return new Resource(new Cluster(container.getBootstrapServers(), "testcontainers"), container::stop);
        }
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start();
        return new Resource(new Cluster(broker.bootstrapServers(), "embedded"), broker::close);
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private record Cluster(String bootstrapServers, String kind) implements KafkaCluster {}

    /** Stops the cluster when the test class's store is closed. */
    private static final class Resource implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        private final KafkaCluster cluster;
        private final Runnable stop;

        Resource(KafkaCluster cluster, Runnable stop) {
            this.cluster = cluster;
            this.stop = stop;
        }

        @Override
        public void close() {
            stop.run();
        }
    }
}
