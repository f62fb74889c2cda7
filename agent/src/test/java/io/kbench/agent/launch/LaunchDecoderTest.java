package io.kbench.agent.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.AgentLaunch;
import io.kbench.protocol.message.KeyDistributorType;
import io.kbench.protocol.message.StopRun;
import java.util.List;
import org.junit.jupiter.api.Test;

class LaunchDecoderTest {

    private final MessageCodec codec = new MessageCodec();
    private final LaunchDecoder decoder = new LaunchDecoder(codec);

    private String line(AgentLaunch launch) {
        return codec.encodeLine(codec.envelope(launch.runId(), launch, null));
    }

    @Test
    void decodesALaunchLine() {
        AgentLaunch launch = LaunchValidatorTest.launch(LaunchValidatorTest.producer("p0", 5, 10, null));

        assertEquals(launch, decoder.decode(line(launch)));
    }

    @Test
    void anUnknownKeyDistributorNamesTheFieldPath() {
        AgentLaunch launch = LaunchValidatorTest.launch(LaunchValidatorTest.producer("p0", 5, 10, null));
        String bad = line(launch).replace("\"NO_KEY\"", "\"ZIPF\"");

        BadTaskException e = assertThrows(BadTaskException.class, () -> decoder.decode(bad));

        assertTrue(e.getMessage().startsWith("tasks[0].keyDistributor: unknown value 'ZIPF'"), e.getMessage());
        assertTrue(e.getMessage().contains(KeyDistributorType.KEY_ROUND_ROBIN.name()), e.getMessage());
        LaunchDecoder.Identity who = LaunchDecoder.identity(bad);
        assertEquals("run-1", who.runId());
        assertEquals("w1", who.workerId());
        assertEquals(List.of("p0"), who.agentIds());
    }

    @Test
    void aTaskThatFailsItsOwnCheckNamesThePathFieldAndValue() {
        AgentLaunch launch = LaunchValidatorTest.launch(LaunchValidatorTest.producer("p0", 5, 10, null));
        String bad = line(launch).replace("\"messageSize\":10", "\"messageSize\":-5");

        BadTaskException e = assertThrows(BadTaskException.class, () -> decoder.decode(bad));

        assertEquals("tasks[0]: producer task p0: messageSize must be > 0, got -5", e.getMessage());
    }

    @Test
    void aTaskWithoutARoleNamesThePath() {
        AgentLaunch launch = LaunchValidatorTest.launch(LaunchValidatorTest.producer("p0", 5, 10, null));
        String bad = line(launch).replace("\"role\":\"PRODUCER\",", "");

        BadTaskException e = assertThrows(BadTaskException.class, () -> decoder.decode(bad));

        assertTrue(e.getMessage().startsWith("tasks[0]: "), e.getMessage());
        assertTrue(e.getMessage().contains("'role'"), e.getMessage());
    }

    @Test
    void rejectsAnotherMessageTypeOrNoLineAtAll() {
        String stop = codec.encodeLine(codec.envelope("run-1", new StopRun(StopRun.Reason.OPERATOR, null), null));

        assertTrue(assertThrows(BadTaskException.class, () -> decoder.decode(stop))
                .getMessage()
                .contains("must be an AgentLaunch, got StopRun"));
        assertTrue(assertThrows(BadTaskException.class, () -> decoder.decode(null))
                .getMessage()
                .contains("stdin ended"));
        assertTrue(assertThrows(BadTaskException.class, () -> decoder.decode("{not json"))
                .getMessage()
                .contains("CORRUPT"));
        assertEquals(LaunchDecoder.Identity.UNKNOWN, LaunchDecoder.identity("{not json"));
    }
}
