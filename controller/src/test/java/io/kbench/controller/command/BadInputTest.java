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
        assertBadInput(run("run", file.toString()), file.toString(), "messageSize must be >= 1, got -5");
    }

    @Test
    void zeroPartitions() throws IOException {
        Path file = workload(GOOD.replace("partitionsPerTopic: 4", "partitionsPerTopic: 0"));
        assertBadInput(run("run", file.toString()), file.toString(), "partitionsPerTopic must be >= 1, got 0");
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
