package io.kbench.protocol.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.protocol.Decoded;
import io.kbench.protocol.Json;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.SkipReason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentTaskTest {

    private static final ProducerTask PRODUCER =
            new ProducerTask("p0", "b:9092", Map.of("acks", "all"), "t-0", 500.0, 2, 100, null, null, 1000);
    private static final ConsumerTask CONSUMER =
            new ConsumerTask("c0-0-0", "b:9092", Map.of(), List.of("t-0"), "g-0", 4, 1000);

    private final MessageCodec codec = new MessageCodec();

    @Test
    void aProducerOnTheWireIsItsFieldsAndItsRole() throws Exception {
        assertEquals(
                "{\"role\":\"PRODUCER\",\"agentId\":\"p0\",\"bootstrapServers\":\"b:9092\","
                        + "\"clientConfig\":{\"acks\":\"all\"},\"keyDistributor\":\"NO_KEY\",\"messageSize\":100,"
                        + "\"payload\":{\"poolSize\":0,\"randomBytesRatio\":0.0,\"randomized\":false},"
                        + "\"producerCount\":2,\"ratePerSecond\":500.0,\"statsIntervalMs\":1000,\"topic\":\"t-0\"}",
                Json.WIRE.writerFor(AgentTask.class).writeValueAsString(PRODUCER));
    }

    @Test
    void aConsumerOnTheWireIsItsFieldsAndItsRole() throws Exception {
        assertEquals(
                "{\"role\":\"CONSUMER\",\"agentId\":\"c0-0-0\",\"bootstrapServers\":\"b:9092\",\"clientConfig\":{},"
                        + "\"groupMembers\":4,\"statsIntervalMs\":1000,\"subscription\":\"g-0\",\"topics\":[\"t-0\"]}",
                Json.WIRE.writerFor(AgentTask.class).writeValueAsString(CONSUMER));
    }

    @Test
    void aConsumerWithoutItsGroupSizeIsReadAsNotKnowingIt() {
        // groupMembers only lets a consumer wait for its group to fill in; without it (0) the first assignment is
        // ready, as before the field existed.
        String task = "{\"role\":\"CONSUMER\",\"agentId\":\"c0\",\"bootstrapServers\":\"b:9092\","
                + "\"statsIntervalMs\":1000,\"subscription\":\"g\",\"topics\":[\"t\"]}";

        Decoded.Ok ok = assertInstanceOf(Decoded.Ok.class, codec.decode(assignmentWith(task)));

        assertEquals(0, ((ConsumerTask) ((RunAssignment) ok.message()).tasks().get(0)).groupMembers());
        assertEquals(
                "consumer task c0: groupMembers must be >= 0, got -1",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> new ConsumerTask("c0", "b:1", null, List.of("t"), "g", -1, 1000))
                        .getMessage());
    }

    @Test
    void bothRolesRoundTripInOneAssignment() {
        RunAssignment assignment = new RunAssignment("a", "w1", List.of(PRODUCER, CONSUMER), 2, List.of(), 1L << 50);

        Decoded.Ok ok = assertInstanceOf(Decoded.Ok.class, codec.decode(codec.encode("r", assignment, null)));

        assertEquals(assignment, ok.message());
        assertEquals(
                List.of(AgentRole.PRODUCER, AgentRole.CONSUMER),
                ((RunAssignment) ok.message())
                        .tasks().stream().map(AgentTask::role).toList());
    }

    @Test
    void theOldSingleShapeOfAProducerIsSkippedAsCorrupt() {
        // Before producer and consumer tasks were split, a producer named its topic in "topics" and carried
        // "subscription":null; workers and controllers of one release talk to each other, so it is not read.
        String old = "{\"agentId\":\"p0\",\"role\":\"PRODUCER\",\"bootstrapServers\":\"b:9092\",\"topics\":[\"t\"],"
                + "\"ratePerSecond\":10.0,\"producerCount\":1,\"messageSize\":100,\"statsIntervalMs\":1000}";

        Decoded.Skip skip = assertInstanceOf(Decoded.Skip.class, codec.decode(assignmentWith(old)));

        assertEquals(SkipReason.CORRUPT, skip.reason());
        assertTrue(skip.detail().contains("producer task p0: topic must be set, got null"), skip.detail());
    }

    @Test
    void aTaskWithoutAKnownRoleIsSkippedAsCorrupt() {
        String noRole = "{\"agentId\":\"x\",\"bootstrapServers\":\"b:9092\",\"topics\":[\"t\"]}";
        String otherRole = "{\"role\":\"ADMIN\",\"agentId\":\"x\",\"bootstrapServers\":\"b:9092\"}";

        for (String task : List.of(noRole, otherRole)) {
            Decoded.Skip skip = assertInstanceOf(Decoded.Skip.class, codec.decode(assignmentWith(task)));
            assertEquals(SkipReason.CORRUPT, skip.reason());
            assertTrue(skip.detail().contains("type id"), skip.detail());
        }
    }

    @Test
    void eachFieldIsCheckedWithItsNameAndValue() {
        assertEquals(
                "producer task p0: messageSize must be > 0, got -5",
                assertThrows(IllegalArgumentException.class, () -> producer(100, -5))
                        .getMessage());
        assertEquals(
                "producer task p0: ratePerSecond must be a number (<= 0 for unthrottled), got NaN",
                assertThrows(IllegalArgumentException.class, () -> producer(Double.NaN, 100))
                        .getMessage());
        assertEquals(
                "consumer task c0: subscription must be set, got ' '",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> new ConsumerTask("c0", "b:1", null, List.of("t"), " ", 0, 1000))
                        .getMessage());
        assertEquals(
                "consumer task c0: topics must not be empty, got []",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> new ConsumerTask("c0", "b:1", null, List.of(), "g", 0, 1000))
                        .getMessage());
        assertEquals(
                "producer task: agentId must be set, got null",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> new ProducerTask(null, "b:1", null, "t", 1, 1, 1, null, null, 1000))
                        .getMessage());
        assertEquals(0, producer(-1, 100).ratePerSecond() > 0 ? 1 : 0, "a rate <= 0 is unthrottled, not an error");
    }

    private static ProducerTask producer(double rate, int size) {
        return new ProducerTask("p0", "b:1", null, "t", rate, 1, size, null, null, 1000);
    }

    private static byte[] assignmentWith(String taskJson) {
        return ("{\"v\":1,\"type\":\"RunAssignment\",\"id\":\"i\",\"runId\":\"r\",\"sentAt\":1,\"body\":"
                        + "{\"assignmentId\":\"a\",\"workerId\":\"w1\",\"agentsPerJvm\":1,\"deadlineAt\":9,"
                        + "\"tasks\":[" + taskJson + "]}}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
