package io.kbench.worker.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.protocol.AgentIo;
import io.kbench.protocol.MessageCodec;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real agent trained as the daemon trains it: the archive it writes holds the agent's and Kafka's classes. */
class AgentTrainingTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void theTrainingAgentWritesAnArchiveWithTheClassesAnAgentLoadsBeforeItIsReady() throws Exception {
        AgentCommandLine agent = AgentCommandLine.forThisJvm();
        String classPath = jarsOnly(agent.classPath());
        AgentCommandLine commandLine =
                new AgentCommandLine(agent.javaExecutable(), classPath, AgentIo.AGENT_MAIN_CLASS);
        AgentClassData data = AgentClassData.in(dir.resolve("cds"), commandLine.javaExecutable(), classPath);

        AgentTraining training = new AgentTraining(commandLine, new MessageCodec(), "w1");
        AgentClassData.Training one = training.training(dir.resolve("probe.jsa"));
        assertTrue(one.command().contains("-XX:ArchiveClassesAtExit=" + dir.resolve("probe.jsa")), one.toString());
        assertTrue(one.command().contains(AgentIo.AGENT_MAIN_CLASS), one.toString());

        long start = System.nanoTime();
        assertTrue(data.prepare(training::training).get(150, TimeUnit.SECONDS), "no archive trained");
        System.out.printf("trained in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        Files.copy(data.archive().get().resolveSibling(data.archive().get().getFileName() + ".log"), System.out);

        List<String> command =
                new ArrayList<>(List.of(commandLine.javaExecutable().toString()));
        command.addAll(data.next().options());
        command.addAll(List.of("-Xshare:on", "-XX:+PrintSharedArchiveAndExit", "-cp", classPath, "-version"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String listing = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), listing);
        for (String name : List.of(
                "io.kbench.agent.AgentMain",
                "io.kbench.agent.AgentHost",
                "org.apache.kafka.clients.producer.KafkaProducer",
                "org.apache.kafka.clients.consumer.KafkaConsumer",
                "org.apache.kafka.common.network.Selector",
                "com.fasterxml.jackson.databind.ObjectMapper")) {
            assertTrue(listing.contains(name), name + " not in the archive:\n" + tail(listing));
        }
    }

    private static String tail(String text) {
        return text.length() < 4000 ? text : text.substring(text.length() - 4000);
    }

    /** The class path with each directory entry (a build's classes) packed into a jar: the JVM archives jars only. */
    private String jarsOnly(String classPath) throws IOException {
        List<String> jars = new ArrayList<>();
        int n = 0;
        for (String entry : classPath.split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (!Files.isDirectory(path)) {
                jars.add(entry);
                continue;
            }
            Path jar = dir.resolve("classes-" + n++ + ".jar");
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                    Stream<Path> files = Files.walk(path)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    out.putNextEntry(
                            new JarEntry(path.relativize(file).toString().replace(File.separatorChar, '/')));
                    Files.copy(file, out);
                    out.closeEntry();
                }
            }
            jars.add(jar.toString());
        }
        return String.join(File.pathSeparator, jars);
    }
}
