package io.kbench.worker.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kbench.protocol.message.AgentTask;
import io.kbench.protocol.message.AssignmentRejected.Reason;
import io.kbench.protocol.message.PayloadSpec;
import io.kbench.protocol.message.ProducerTask;
import io.kbench.protocol.message.RunAssignment;
import io.kbench.worker.testing.Tasks;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AssignmentValidatorTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_000_000), ZoneOffset.UTC);
    private static final long DEADLINE = 1_060_000;

    private final AssignmentValidator validator = new AssignmentValidator(
            List.of(GlobPattern.server("ctl:9092"), GlobPattern.server("*.lab:9092")),
            List.of(GlobPattern.option("-Xmx*")),
            4,
            CLOCK);

    @Test
    void acceptsAssignmentInsideEveryLimit() {
        RunAssignment assignment = Tasks.producers("w1", "p", 3, "a.lab:9092,ctl:9092", "t", 10, DEADLINE);
        assertTrue(validator.validate("run-1", assignment, 1).isEmpty());
    }

    @Test
    void rejectsAssignmentOverCapacity() {
        RunAssignment assignment = Tasks.producers("w1", "p", 3, "ctl:9092", "t", 10, DEADLINE);
        AssignmentValidator.Rejection rejection =
                validator.validate("run-1", assignment, 2).orElseThrow();
        assertEquals(Reason.OVER_CAPACITY, rejection.reason());
        assertEquals("3 agents asked, 2 running, capacity 4 (--max-agents)", rejection.detail());
    }

    @Test
    void rejectsTargetOutsideAllowList() {
        RunAssignment assignment = Tasks.producers("w1", "p", 1, "ctl:9092,prod.example:9092", "t", 10, DEADLINE);
        AssignmentValidator.Rejection rejection =
                validator.validate("run-1", assignment, 0).orElseThrow();
        assertEquals(Reason.TARGET_NOT_ALLOWED, rejection.reason());
        assertTrue(rejection.detail().contains("'prod.example:9092'"), rejection.detail());
    }

    @Test
    void rejectsJvmOptionOutsideAllowList() {
        RunAssignment base = Tasks.producers("w1", "p", 1, "ctl:9092", "t", 10, DEADLINE);
        RunAssignment assignment = new RunAssignment(
                base.assignmentId(), "w1", base.tasks(), 1, List.of("-Xmx64m", "-javaagent:/tmp/x.jar"), DEADLINE);
        AssignmentValidator.Rejection rejection =
                validator.validate("run-1", assignment, 0).orElseThrow();
        assertEquals(Reason.JVM_OPTIONS_NOT_ALLOWED, rejection.reason());
        assertTrue(rejection.detail().contains("'-javaagent:/tmp/x.jar'"), rejection.detail());
    }

    @Test
    void rejectsRunIdThatCouldLeaveTheLogDir() {
        RunAssignment assignment = Tasks.producers("w1", "p", 1, "ctl:9092", "t", 10, DEADLINE);
        assertEquals(
                Reason.INVALID,
                validator.validate("../../etc", assignment, 0).orElseThrow().reason());
    }

    @Test
    void rejectsPassedDeadlineDuplicateIdsAndNoTasks() {
        RunAssignment late = Tasks.producers("w1", "p", 1, "ctl:9092", "t", 10, 999_000);
        assertTrue(validator.validate("r", late, 0).orElseThrow().detail().contains("has passed"));

        RunAssignment one = Tasks.producers("w1", "p", 1, "ctl:9092", "t", 10, DEADLINE);
        RunAssignment twice = new RunAssignment(
                "a", "w1", List.of(one.tasks().get(0), one.tasks().get(0)), 1, List.of(), DEADLINE);
        assertEquals(
                "agentId 'p0' appears twice",
                validator.validate("r", twice, 0).orElseThrow().detail());

        RunAssignment empty = new RunAssignment("a", "w1", List.of(), 1, List.of(), DEADLINE);
        assertEquals(
                Reason.INVALID, validator.validate("r", empty, 0).orElseThrow().reason());
    }

    // ---- payload files: only from the payload directory, and nothing about any other file in the answer ----

    /** Recognizable, and of a size no other number in a detail has. */
    private static final String SECRET = "kbench-test-secret-9f3c1e-do-not-publish-0123456789";

    @TempDir
    Path tmp;

    private Path payloadDir;
    private Path secretFile;

    @BeforeEach
    void payloadDirWithASecretBesideIt() throws IOException {
        payloadDir = Files.createDirectories(tmp.resolve("payload"));
        Files.write(payloadDir.resolve("ok.data"), new byte[100]);
        Files.createDirectories(payloadDir.resolve("sub"));
        secretFile = Files.writeString(tmp.resolve("hmac.secret"), SECRET, StandardCharsets.UTF_8);
        Files.createSymbolicLink(payloadDir.resolve("link.data"), secretFile);
    }

    private AssignmentValidator withPayloadDir(PayloadDirectory dir) {
        return new AssignmentValidator(
                List.of(GlobPattern.server("ctl:9092")),
                List.of(GlobPattern.option("-Xmx*")),
                ClientConfigPolicy.defaults(),
                dir,
                4,
                CLOCK);
    }

    private static RunAssignment withPayload(String payloadFile) {
        AgentTask task = new ProducerTask(
                "p0", "ctl:9092", Map.of(), "t", 10, 1, 100, new PayloadSpec(payloadFile, false, 0, 0), null, 1000);
        return new RunAssignment("a-" + payloadFile.hashCode(), "w1", List.of(task), 1, List.of(), DEADLINE);
    }

    private AssignmentValidator.Rejection payloadRejection(String payloadFile) throws IOException {
        AssignmentValidator.Rejection rejection = withPayloadDir(PayloadDirectory.of(payloadDir))
                .validate("run-1", withPayload(payloadFile), 0)
                .orElseThrow(() -> new AssertionError("accepted payload file " + payloadFile));
        assertEquals(Reason.INVALID, rejection.reason(), rejection.detail());
        assertTrue(rejection.detail().contains("--payload-dir"), rejection.detail());
        assertFalse(rejection.detail().contains(SECRET), rejection.detail());
        // Beside the path as given (which may hold any digits), no number: no size of anything.
        String said = rejection.detail().replace(payloadFile, "");
        assertFalse(said.contains(Long.toString(Files.size(secretFile))), "the secret's size leaks: " + said);
        Path passwd = Path.of("/etc/passwd");
        if (Files.isReadable(passwd)) {
            String content = Files.readString(passwd, StandardCharsets.ISO_8859_1);
            String firstLine = content.lines().findFirst().orElse("");
            assertFalse(!firstLine.isBlank() && rejection.detail().contains(firstLine), rejection.detail());
            assertFalse(said.contains(Integer.toString(content.length())), said);
        }
        return rejection;
    }

    @Test
    void payloadFileOutsideThePayloadDirIsRejectedWithoutSayingAnythingAboutIt() throws IOException {
        assertTrue(payloadRejection("/etc/passwd").detail().contains("absolute paths are refused"));
        assertTrue(payloadRejection("../../etc/passwd").detail().contains("is outside the worker's payload"));
        assertTrue(payloadRejection("../hmac.secret").detail().contains("is outside the worker's payload"));
        assertTrue(payloadRejection("sub/../../hmac.secret").detail().contains("is outside"));
        assertTrue(payloadRejection(secretFile.toString()).detail().contains("absolute paths are refused"));
        assertTrue(payloadRejection(".").detail().contains("is outside"));
    }

    @Test
    void absolutePathInsideThePayloadDirIsRejectedToo() throws IOException {
        String detail =
                payloadRejection(payloadDir.resolve("ok.data").toString()).detail();
        assertTrue(detail.contains("must be relative to the worker's payload directory"), detail);
    }

    @Test
    void linkInThePayloadDirToAFileOutsideAndAMissingFileGetTheSameWords() throws IOException {
        String link = payloadRejection("link.data").detail();
        String missing = payloadRejection("missing.data").detail();
        String directory = payloadRejection("sub").detail();
        assertEquals(link.replace("link.data", "X"), missing.replace("missing.data", "X"));
        assertEquals(link.replace("link.data", "X"), directory.replace("sub", "X"));
        assertTrue(link.contains("is not a readable regular file inside the worker's payload directory"), link);

        // A link to a missing file outside answers exactly like a link to an existing one: no existence oracle.
        Files.createSymbolicLink(payloadDir.resolve("dangling.data"), tmp.resolve("nothing-here"));
        assertEquals(
                link.replace("link.data", "X"),
                payloadRejection("dangling.data").detail().replace("dangling.data", "X"));
    }

    @Test
    void existingAndMissingFilesOutsideTheDirGetTheSameWords() throws IOException {
        assertEquals(
                payloadRejection("../hmac.secret").detail().replace("hmac.secret", "X"),
                payloadRejection("../no-such.file").detail().replace("no-such.file", "X"));
        assertEquals(
                payloadRejection(secretFile.toString()).detail().replace(secretFile.toString(), "X"),
                payloadRejection(tmp.resolve("no-such.file").toString())
                        .detail()
                        .replace(tmp.resolve("no-such.file").toString(), "X"));
    }

    @Test
    void payloadFileInsideTheDirIsHandedToTheAgentAsItsRealPath() throws IOException {
        for (String given : List.of("ok.data", "./ok.data", "sub/../ok.data")) {
            AssignmentValidator.Outcome outcome =
                    withPayloadDir(PayloadDirectory.of(payloadDir)).check("run-1", withPayload(given), 0);
            RunAssignment accepted = assertInstanceOf(AssignmentValidator.Accepted.class, outcome, given)
                    .assignment();
            assertEquals(
                    payloadDir.resolve("ok.data").toRealPath().toString(),
                    ((ProducerTask) accepted.tasks().get(0)).payload().payloadFile());
        }
        // A payload directory reached through a link is still that directory.
        Path linkedDir = Files.createSymbolicLink(tmp.resolve("payload-link"), payloadDir);
        assertInstanceOf(
                AssignmentValidator.Accepted.class,
                withPayloadDir(PayloadDirectory.of(linkedDir)).check("run-1", withPayload("ok.data"), 0));
    }

    @Test
    void withoutAPayloadDirEveryPayloadFileIsRefusedAndRandomPayloadsStillRun() {
        AssignmentValidator noDir = withPayloadDir(PayloadDirectory.none());
        String detail =
                noDir.validate("run-1", withPayload("ok.data"), 0).orElseThrow().detail();
        assertTrue(detail.contains("this worker has no payload directory (--payload-dir)"), detail);
        String missingDir = withPayloadDir(PayloadDirectory.of(tmp.resolve("absent")))
                .validate("run-1", withPayload("ok.data"), 0)
                .orElseThrow()
                .detail();
        assertTrue(missingDir.contains("does not exist or cannot be read"), missingDir);
        assertFalse(missingDir.contains(tmp.toString()), "no path of the worker's own: " + missingDir);
        assertTrue(noDir.validate("run-1", Tasks.producers("w1", "p", 1, "ctl:9092", "t", 10, DEADLINE), 0)
                .isEmpty());
    }

    @Test
    void echoedPathsAreOneBoundedLine() {
        String detail = withPayloadDir(PayloadDirectory.of(payloadDir))
                .validate("run-1", withPayload("../x\nforged line" + "y".repeat(1000)), 0)
                .orElseThrow()
                .detail();
        assertFalse(detail.contains("\n"), detail);
        assertTrue(detail.length() < 400, detail);
    }

    // ---- client settings: tuning from the allow list, everything that loads or reads from the worker only ----

    private static RunAssignment withClientConfig(Map<String, String> config) {
        AgentTask task = new ProducerTask("p0", "ctl:9092", config, "t", 10, 1, 100, null, null, 1000);
        return new RunAssignment("a-" + config.hashCode(), "w1", List.of(task), 1, List.of(), DEADLINE);
    }

    private static AssignmentValidator withPolicy(ClientConfigPolicy policy) {
        return new AssignmentValidator(
                List.of(GlobPattern.server("ctl:9092")),
                List.of(GlobPattern.option("-Xmx*")),
                policy,
                PayloadDirectory.none(),
                4,
                CLOCK);
    }

    @Test
    void settingsThatLoadClassesOrReadFilesAreRejectedNamingTheKeyNotTheValue() {
        Map<String, String> attacks = new LinkedHashMap<>();
        attacks.put("interceptor.classes", "com.evil.ExfiltratingInterceptor");
        attacks.put("metric.reporters", "com.evil.Reporter");
        attacks.put("ssl.keystore.location", "/etc/kbench/secret-keystore.p12");
        attacks.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"hunter2\";");
        attacks.put("sasl.login.callback.handler.class", "com.evil.Handler");
        attacks.put("config.providers", "evilprovider");
        attacks.put("key.serializer", "com.evil.Serializer");
        attacks.put("ssl.truststore.password", "hunter2");
        attacks.put("sasl.kerberos.kinit.cmd", "/bin/sh");
        attacks.put("sasl.oauthbearer.token.endpoint.url", "file:///etc/passwd");
        attacks.put("partition.assignment.strategy", "com.evil.Assignor");
        attacks.put("partitioner.class", "com.evil.Partitioner");
        // Opening a wide pattern does not open what is forbidden.
        AssignmentValidator validator = withPolicy(new ClientConfigPolicy(
                ClientConfigPolicy.allowList(List.of("ssl.*", "sasl.*", "*.classes")), Map.of()));
        for (Map.Entry<String, String> attack : attacks.entrySet()) {
            AssignmentValidator.Rejection rejection = validator
                    .validate("run-1", withClientConfig(Map.of("acks", "all", attack.getKey(), attack.getValue())), 0)
                    .orElseThrow(() -> new AssertionError("accepted " + attack.getKey()));
            assertEquals(Reason.INVALID, rejection.reason());
            assertTrue(rejection.detail().contains("'" + attack.getKey() + "'"), rejection.detail());
            assertFalse(rejection.detail().contains(attack.getValue()), rejection.detail());
            assertTrue(rejection.detail().contains("--client-config"), rejection.detail());
        }
    }

    @Test
    void unknownSettingNeedsAllowClientConfig() {
        RunAssignment assignment = withClientConfig(Map.of("some.new.tuning.ms", "5"));
        String detail = withPolicy(ClientConfigPolicy.defaults())
                .validate("run-1", assignment, 0)
                .orElseThrow()
                .detail();
        assertEquals(
                "agent p0: client setting 'some.new.tuning.ms' is outside the worker's allow list of tuning settings"
                        + " (--allow-client-config)",
                detail);
        assertTrue(withPolicy(new ClientConfigPolicy(ClientConfigPolicy.allowList(List.of("some.new.*")), Map.of()))
                .validate("run-1", assignment, 0)
                .isEmpty());
    }

    @Test
    void workerSettingsWinAndMayCarryWhatAnAssignmentMayNot() {
        Map<String, String> worker = Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "worker's own",
                "ssl.truststore.location", "worker-truststore.p12");
        AssignmentValidator validator = withPolicy(new ClientConfigPolicy(null, worker));
        // A driver file that carries the same keys (OMB's TLS drivers do) runs with the worker's values.
        RunAssignment assignment = withClientConfig(Map.of(
                "acks", "all", "ssl.truststore.location", "/tmp/attacker.p12", "security.protocol", "PLAINTEXT"));
        RunAssignment accepted = assertInstanceOf(
                        AssignmentValidator.Accepted.class, validator.check("run-1", assignment, 0))
                .assignment();
        Map<String, String> merged = accepted.tasks().get(0).clientConfig();
        assertEquals("worker-truststore.p12", merged.get("ssl.truststore.location"));
        assertEquals("SASL_SSL", merged.get("security.protocol"));
        assertEquals("worker's own", merged.get("sasl.jaas.config"));
        assertEquals("all", merged.get("acks"));
    }

    @Test
    void assignmentMayNotChangeSecurityTheWorkerSetsPartly() {
        AssignmentValidator validator =
                withPolicy(new ClientConfigPolicy(null, Map.of("sasl.jaas.config", "worker's own")));
        String detail = validator
                .validate("run-1", withClientConfig(Map.of("security.protocol", "SASL_PLAINTEXT")), 0)
                .orElseThrow()
                .detail();
        assertTrue(detail.contains("'security.protocol' may not change how agents authenticate"), detail);
        // Without settings of the worker's own, protocol and mechanism are an assignment's choice.
        assertTrue(withPolicy(ClientConfigPolicy.defaults())
                .validate("run-1", withClientConfig(Map.of("security.protocol", "SSL", "sasl.mechanism", "PLAIN")), 0)
                .isEmpty());
    }

    @Test
    void builtInAssignorsAndPartitionerAreAllowed() {
        assertTrue(withPolicy(ClientConfigPolicy.defaults())
                .validate(
                        "run-1",
                        withClientConfig(Map.of(
                                "partition.assignment.strategy",
                                "org.apache.kafka.clients.consumer.CooperativeStickyAssignor,"
                                        + " org.apache.kafka.clients.consumer.RangeAssignor",
                                "partitioner.class",
                                "org.apache.kafka.clients.producer.RoundRobinPartitioner")),
                        0)
                .isEmpty());
    }

    @Test
    void bootstrapServersInTheSettingsMustBeAnAllowedTargetToo() {
        AssignmentValidator.Rejection rejection = withPolicy(ClientConfigPolicy.defaults())
                .validate("run-1", withClientConfig(Map.of("bootstrap.servers", "prod.example:9092")), 0)
                .orElseThrow();
        assertEquals(Reason.TARGET_NOT_ALLOWED, rejection.reason());
    }

    /** The repository's root, found from this module's working directory. */
    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("configs"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new AssertionError("no configs/ above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    private static List<Path> yamlFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @Test
    void everySettingOfTheShippedDriverAndWorkloadFilesIsAllowed() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        Path root = repositoryRoot();
        List<Path> files = new ArrayList<>(yamlFiles(root.resolve("configs")));
        files.addAll(yamlFiles(root.resolve("workloads")));
        assertTrue(files.size() >= 4, "found " + files);
        ClientConfigPolicy policy = ClientConfigPolicy.defaults();
        int checked = 0;
        for (Path file : files) {
            JsonNode node = yaml.readTree(file.toFile());
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                // OMB's client properties fields (commonConfig, producerConfig, consumerConfig), not topicConfig,
                // which configures topics, not clients.
                if (!field.getKey().endsWith("Config")
                        || field.getKey().equals("topicConfig")
                        || !field.getValue().isTextual()) {
                    continue;
                }
                Properties props = new Properties();
                props.load(new StringReader(field.getValue().asText()));
                for (String key : props.stringPropertyNames()) {
                    if (key.equals("bootstrap.servers")) {
                        continue; // the controller moves it into each task's bootstrapServers
                    }
                    assertEquals(
                            java.util.Optional.empty(),
                            policy.refusal(key, props.getProperty(key)),
                            file.getFileName() + " " + field.getKey() + " " + key);
                    checked++;
                }
            }
            // Payload files the workloads name are in the shipped payload directory, by file name.
            if (node.hasNonNull("payloadFile")) {
                String name =
                        Path.of(node.get("payloadFile").asText()).getFileName().toString();
                assertInstanceOf(
                        PayloadDirectory.Inside.class,
                        PayloadDirectory.of(root.resolve("payload")).resolve(name),
                        file.getFileName() + " payloadFile");
            }
        }
        assertTrue(checked >= 20, "checked " + checked + " settings");
    }
}
