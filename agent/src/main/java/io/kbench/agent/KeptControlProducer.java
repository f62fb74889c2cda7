package io.kbench.agent;

import io.kbench.protocol.message.AgentLaunch;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;

/**
 * A warm JVM's metrics producer, kept from its {@link Rehearsal} for the run that takes the JVM over: connected to
 * the control cluster and holding the metrics topic's metadata, it spares the run's start-up a client to create and
 * the metrics topic's first metadata round trip, on a host where every agent JVM starts at once. A launch takes it
 * only when it names the same control cluster and client settings (the daemon builds both from its own); otherwise
 * it is closed and the run creates its own.
 */
record KeptControlProducer(String bootstrap, Map<String, String> clientConfig, Producer<String, byte[]> producer) {

    KeptControlProducer {
        clientConfig = Map.copyOf(clientConfig);
    }

    /** Whether {@code launch}'s metrics producer would be this one: same control cluster, same client settings. */
    boolean serves(AgentLaunch launch) {
        return bootstrap.equals(launch.controlBootstrap()) && clientConfig.equals(launch.controlClientConfig());
    }

    void close() {
        producer.close(Duration.ZERO);
    }
}
