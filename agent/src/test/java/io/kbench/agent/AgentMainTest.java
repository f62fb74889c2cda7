package io.kbench.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.agent.launch.BadTaskException;
import io.kbench.protocol.AgentIo;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AgentMainTest {

    @Test
    void theDaemonsMetadataWaitIsTakenElseTheDefault() {
        assertEquals(Duration.ofMillis(AgentIo.DEFAULT_METADATA_TIMEOUT_MS), AgentMain.metadataTimeout(null));
        assertEquals(Duration.ofSeconds(40), AgentMain.metadataTimeout("40000"));
    }

    @Test
    void aBadMetadataWaitIsABadTaskNamingThePropertyAndValue() {
        for (String bad : new String[] {"0", "-5", "600001", "ten", ""}) {
            BadTaskException e = assertThrows(BadTaskException.class, () -> AgentMain.metadataTimeout(bad));
            assertTrue(e.getMessage().contains(AgentIo.METADATA_TIMEOUT_PROPERTY), e.getMessage());
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }
}
