package io.kbench.protocol;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterCheckTest {

    private static final String SOURCE = "--command-config ctl.properties";

    private static String settingsError(String bootstrap, Map<String, String> config) {
        return assertThrows(ClusterSettingsError.class, () -> ClusterCheck.checkSettings(bootstrap, config, SOURCE))
                .getMessage();
    }

    @Test
    void anUnresolvableHostIsNamedWithItsFlag() {
        String message = settingsError("no-such-host.invalid:9092", Map.of());
        assertEquals(
                "cannot resolve host 'no-such-host.invalid' of --bootstrap-server no-such-host.invalid:9092", message);
    }

    @Test
    void oneResolvableHostIsEnoughAsForKafka() {
        assertDoesNotThrow(
                () -> ClusterCheck.checkSettings("no-such-host.invalid:9092,localhost:9092", Map.of(), null));
    }

    @Test
    void anEntryWithoutAPortIsRefused() {
        assertTrue(settingsError("localhost", Map.of()).contains("'localhost' is not HOST:PORT"));
    }

    @Test
    void saslWithoutJaasNamesTheMissingSetting() {
        String message = settingsError(
                "localhost:9092", Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-256"));
        assertEquals(
                SOURCE + ": security.protocol=SASL_PLAINTEXT with sasl.mechanism=SCRAM-SHA-256 needs sasl.jaas.config"
                        + " (the login module and its credentials)",
                message);
        assertTrue(message.indexOf('\n') < 0);
    }

    @Test
    void aJaasConfigWithoutPasswordNamesIt() {
        String message = settingsError(
                "localhost:9092",
                Map.of(
                        "security.protocol", "SASL_PLAINTEXT",
                        "sasl.mechanism", "PLAIN",
                        "sasl.jaas.config",
                                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\";"));
        assertTrue(message.contains("sasl.jaas.config has no password="), message);
    }

    @Test
    void anUnparsableJaasConfigAndAnUnknownProtocolAreOneLine() {
        String jaas = settingsError(
                "localhost:9092", Map.of("security.protocol", "SASL_SSL", "sasl.jaas.config", "not a jaas entry"));
        assertTrue(jaas.startsWith(SOURCE + ": sasl.jaas.config cannot be used"), jaas);
        String protocol = settingsError("localhost:9092", Map.of("security.protocol", "TLS"));
        assertTrue(protocol.startsWith(SOURCE + ": security.protocol=TLS is not one of"), protocol);
    }

    @Test
    void aMissingTrustStoreIsNamed() {
        String message = settingsError(
                "localhost:9092",
                Map.of("security.protocol", "SSL", "ssl.truststore.location", "/nonexistent/trust.jks"));
        assertEquals(SOURCE + ": ssl.truststore.location=/nonexistent/trust.jks is not a readable file", message);
    }
}
