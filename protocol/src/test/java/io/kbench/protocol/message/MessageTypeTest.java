package io.kbench.protocol.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MessageTypeTest {

    private static Set<MessageType> where(java.util.function.Predicate<MessageType> test) {
        return Arrays.stream(MessageType.values())
                .filter(test)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(MessageType.class)));
    }

    @Test
    void controlRecordsAreTheOnesTheControllerPublishes() {
        assertEquals(
                EnumSet.of(
                        MessageType.RUN_SPEC,
                        MessageType.RUN_ASSIGNMENT,
                        MessageType.START_RUN,
                        MessageType.RATE_CHANGE,
                        MessageType.PAUSE_CONSUMERS,
                        MessageType.RESUME_CONSUMERS,
                        MessageType.STOP_RUN),
                where(MessageType::isControl));
    }

    @Test
    void runCommandsAreWhatADaemonRelaysToItsAgents() {
        assertEquals(
                EnumSet.of(
                        MessageType.START_RUN,
                        MessageType.RATE_CHANGE,
                        MessageType.PAUSE_CONSUMERS,
                        MessageType.RESUME_CONSUMERS,
                        MessageType.STOP_RUN),
                where(MessageType::isRunCommand));
    }

    @Test
    void theAggregatorReadsTheRecordsThatBoundARun() {
        assertEquals(
                EnumSet.of(MessageType.RUN_SPEC, MessageType.START_RUN, MessageType.STOP_RUN),
                where(t -> t.isReadBy(MessageType.Reader.AGGREGATOR)));
        assertEquals(EnumSet.of(MessageType.RUN_ASSIGNMENT), where(t -> t.isReadBy(MessageType.Reader.DAEMON)));
    }

    @Test
    void recordsThatAreNotControlHaveNoReader() {
        assertEquals(Set.of(), MessageType.STATS_REPORT.readers());
        assertEquals(Set.of(), MessageType.AGENT_LAUNCH.readers());
    }
}
