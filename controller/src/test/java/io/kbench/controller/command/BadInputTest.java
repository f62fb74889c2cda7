package io.kbench.controller.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Each bad input gives one clear message naming file, field and value, exit code 2, and no stack trace. */
class BadInputTest {

    private static final String GOOD = """
            name: good
            topics: 1
            partitionsPerTopic: 4
            messageSize: 1024
            subscriptionsPerTopic: 1
            consumerPerSubscription: 1
            producersPerTopic: 1
            producerRate: 1000
            testDurationMinutes: 1
            """;

    @TempDir
    Path dir;

    record Result(int exit, String err) {}

    private Result run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = KbenchMain.commandLine();
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Result(exit, err.toString());
    }

    private Path workload(String text) throws IOException {
        Path file = dir.resolve("workload.yaml");
        Files.writeString(file, text);
        return file;
    }

    private void assertBadInput(Result result, String... fragments) {
        assertEquals(2, result.exit(), result.err());
        for (String fragment : fragments) {
            assertTrue(result.err().contains(fragment), "'" + fragment + "' not in: " + result.err());
        }
        assertFalse(result.err().contains("\tat "), "no stack trace: " + result.err());
        assertEquals(1, result.err().strip().lines().count(), "one message: " + result.err());
    }

    @Test
    void anAgentJvmOptionThatIsNotOneOptionIsRefusedBeforeAnythingStarts() throws IOException {
        Path file = workload(GOOD);
        assertBadInput(
                run("local", "--agent-jvm-option", "Xmx1g", file.toString()),
                "--agent-jvm-option must be one JVM option starting with '-'",
                "'Xmx1g'");
        assertBadInput(
                run("run", "--agent-jvm-option", "-Xmx1g -javaagent:a.jar", file.toString()),
                "'-Xmx1g -javaagent:a.jar'");
    }

    @Test
    void yamlSyntaxError() throws IOException {
        Path file = workload("name: \"unclosed\ntopics: 1\n");
        assertBadInput(run("run", file.toString()), file.toString(), "not valid YAML");
    }

    @Test
    void unknownFieldWithSuggestion() throws IOException {
        Path file = workload(GOOD.replace("producersPerTopic", "producerPerTopic"));
        assertBadInput(
                run("run", file.toString()),
                file + ":7",
                "unknown field 'producerPerTopic'",
                "did you mean 'producersPerTopic'");
    }

    @Test
    void nonNumericRate() throws IOException {
        Path file = workload(GOOD.replace("producerRate: 1000", "producerRate: fast"));
        assertBadInput(run("run", file.toString()), file.toString(), "producerRate", "'fast'", "a number");
    }

    @Test
    void negativeMessageSize() throws IOException {
        Path file = workload(GOOD.replace("messageSize: 1024", "messageSize: -5"));
        assertBadInput(run("run", file.toString()), file.toString(), "messageSize must be >= 0, got -5");
    }

    @Test
    void zeroPartitions() throws IOException {
        Path file = workload(GOOD.replace("partitionsPerTopic: 4", "partitionsPerTopic: 0"));
        assertBadInput(
                run("run", file.toString()), file + ":3: field 'partitionsPerTopic' is 0", "at least one partition");
    }

    @Test
    void hundredMegabyteMessageIsRejectedBeforeAnythingStarts() throws IOException {
        // No broker runs here: the check must come before any connection, let alone an agent.
        Path file = workload(GOOD.replace("messageSize: 1024", "messageSize: 104857600"));
        assertBadInput(
                run("run", "-b", "127.0.0.1:1", file.toString()),
                file + ":4",
                "messageSize 104857600",
                "max.request.size 1048576",
                "Kafka's default",
                "the largest that fits is 1048");
    }

    @Test
    void payloadOfExactlyMaxRequestSizeCannotFit() throws IOException {
        Path file = workload(GOOD.replace("messageSize: 1024", "messageSize: 1048576"));
        assertBadInput(
                run("run", "-b", "127.0.0.1:1", file.toString()),
                "messageSize 1048576",
                "max.request.size 1048576",
                "a payload of exactly the limit can never be sent");
    }

    @Test
    void messageAboveTheDriversTopicLimitIsRejected() throws IOException {
        Path driver = dir.resolve("big.yaml");
        Files.writeString(driver, """
                name: big
                producerConfig: |
                  max.request.size=10485760
                topicConfig: |
                  max.message.bytes=2000000
                """);
        Path file = workload(GOOD.replace("messageSize: 1024", "messageSize: 3000000"));
        assertBadInput(
                run("run", "-b", "127.0.0.1:1", "-d", driver.toString(), file.toString()),
                file + ":4",
                "messageSize 3000000",
                "max.message.bytes 2000000",
                driver + ":5");
    }

    @Test
    void workloadWithNothingToRunIsRejected() throws IOException {
        Path file = workload(GOOD.replace("producersPerTopic: 1", "producersPerTopic: 0")
                .replace("subscriptionsPerTopic: 1", "subscriptionsPerTopic: 0")
                .replace("consumerPerSubscription: 1", "consumerPerSubscription: 0"));
        assertBadInput(run("run", file.toString()), file.toString(), "nothing to run", "producersPerTopic is 0");
    }

    @Test
    void omittedTopicsIsOmbsZeroNotASilentOne() throws IOException {
        Path file = workload(GOOD.replace("topics: 1\n", ""));
        assertBadInput(
                run("run", file.toString()),
                file + ": field 'topics' is not given, so it is 0 (OMB's default)",
                "at least one topic");
    }

    @Test
    void zeroTestDurationNamesTheLine() throws IOException {
        Path file = workload(GOOD.replace("testDurationMinutes: 1", "testDurationMinutes: 0"));
        assertBadInput(
                run("run", file.toString()),
                file + ":9: field 'testDurationMinutes' is 0",
                "nothing would be measured");
    }

    @Test
    void consumersWithoutSubscriptionsAreRejected() throws IOException {
        Path file = workload(GOOD.replace("subscriptionsPerTopic: 1", "subscriptionsPerTopic: 0"));
        assertBadInput(
                run("run", file.toString()),
                file + ":5: field 'subscriptionsPerTopic' is 0",
                "consumerPerSubscription is 1");
    }

    @Test
    void missingPayloadFile() throws IOException {
        Path file = workload(GOOD + "payloadFile: payload/nope.data\n");
        assertBadInput(run("run", file.toString()), file.toString(), "payloadFile", "payload/nope.data", "not exist");
    }

    @Test
    void payloadFileOfTheWrongSize() throws IOException {
        Files.write(dir.resolve("p.data"), new byte[100]);
        Path file = workload(GOOD + "payloadFile: p.data\n");
        assertBadInput(run("run", file.toString()), "messageSize", "1024", "holds 100 bytes");
    }

    @Test
    void unknownKeyDistributor() throws IOException {
        Path file = workload(GOOD + "keyDistributor: ROUND_ROBIN\n");
        assertBadInput(run("run", file.toString()), "keyDistributor", "ROUND_ROBIN", "KEY_ROUND_ROBIN");
    }

    @Test
    void missingWorkloadFile() {
        assertBadInput(run("run", dir.resolve("absent.yaml").toString()), "absent.yaml", "does not exist");
    }

    @Test
    void badDriverProperties() throws IOException {
        Path driver = dir.resolve("driver.yaml");
        Files.writeString(driver, "name: x\nreplicationFactor: 0\n");
        assertBadInput(
                run("run", "-d", driver.toString(), workload(GOOD).toString()),
                "driver.yaml",
                "replicationFactor must be >= 1, got 0");
    }

    @Test
    void unknownOptionSuggestsTheRightOne() {
        Result result = run("run", "--worker", "2", "w.yaml");
        assertEquals(2, result.exit());
        assertTrue(result.err().contains("--workers"), result.err());
    }
}
