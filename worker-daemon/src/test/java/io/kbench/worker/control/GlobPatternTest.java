package io.kbench.worker.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GlobPatternTest {

    @Test
    void serverPatternMatchesWildcardHostsWithoutCase() {
        GlobPattern pattern = GlobPattern.server("*.kafka.prod:9092");
        assertTrue(pattern.matches("b1.kafka.prod:9092"));
        assertTrue(pattern.matches("B1.KAFKA.PROD:9092"));
        assertFalse(pattern.matches("b1.kafka.prod:9093"));
        assertFalse(pattern.matches("b1.kafka.prod.evil.com:9092"));
    }

    @Test
    void regexCharactersInPatternsAreLiteral() {
        GlobPattern pattern = GlobPattern.server("10.0.0.1:9092");
        assertTrue(pattern.matches("10.0.0.1:9092"));
        assertFalse(pattern.matches("10a0b0c1:9092"), "a '.' must not match any character");
    }

    @Test
    void optionWildcardCannotCarryAnotherOption() {
        GlobPattern pattern = GlobPattern.option("-Xmx*");
        assertTrue(pattern.matches("-Xmx512m"));
        assertFalse(pattern.matches("-Xmx1g -javaagent:/tmp/evil.jar"));
        assertFalse(pattern.matches("-Xmx1g:-javaagent:/tmp/evil.jar"));
        assertFalse(pattern.matches("-javaagent:/tmp/evil.jar"));
    }

    @Test
    void blankPatternIsRejectedWithItsValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GlobPattern.option(" "));
        assertEquals("pattern must not be blank, got ''", e.getMessage());
    }
}
