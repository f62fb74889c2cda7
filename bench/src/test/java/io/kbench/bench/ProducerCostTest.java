package io.kbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProducerCostTest {

    @Test
    void thePayloadFileIsOnePayloadForProducerPerformance(@TempDir Path dir) throws Exception {
        byte[] bytes = Files.readAllBytes(ProducerCost.payloadFile(dir, 100));

        assertEquals(100, bytes.length);
        String text = new String(bytes, StandardCharsets.UTF_8);
        // ProducerPerformance decodes the file as UTF-8 and splits it at "\n": one payload of the same bytes.
        assertEquals(1, text.split("\n").length);
        assertEquals(100, text.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void everyJvmGetsTheDaemonsDefaultsForAgents() {
        List<String> options = ProducerCost.daemonJvmOptions(List.of("-XX:+AlwaysPreTouch"));

        assertTrue(options.contains("-XX:+UseSerialGC"), options.toString());
        assertTrue(options.stream().anyMatch(o -> o.startsWith("-Xmx")), options.toString());
        assertEquals("-XX:+AlwaysPreTouch", options.get(options.size() - 1));
        assertFalse(options.contains("-cp"), options.toString());
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, ProducerCost.median(List.of(3.0, 1.0, 2.0)));
        assertEquals(2.5, ProducerCost.median(List.of(4.0, 1.0, 2.0, 3.0)));
    }
}
