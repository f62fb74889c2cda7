package io.kbench.controller.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.aggregator.AggregatorCommand;
import io.kbench.worker.WorkerMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class KbenchMainTest {

    @Test
    void aCommandWhoseClassesAreMissingSaysToUseTheLauncher() {
        CommandLine stub = KbenchMain.mount(
                new KbenchMain.OwnClassPath("worker", "io.kbench.no.Such", "Run the worker daemon of this host."));
        StringWriter err = new StringWriter();
        stub.setErr(new PrintWriter(err));
        // Any options: the stand-in takes them all, the real command would check them.
        int exit = stub.execute("-b", "kafka:9092", "--max-agents", "4");
        assertEquals(KbenchMain.EXIT_BAD_INPUT, exit);
        assertTrue(err.toString().contains("`kbench worker` is not on this class path"), err.toString());
        assertTrue(err.toString().contains("bin/kbench"), err.toString());
        assertTrue(stub.getUsageMessage().contains("Run the worker daemon of this host."), stub.getUsageMessage());
    }

    @Test
    void commandsOnTheClassPathAreMountedForReal() {
        // The test class path has the daemon, the aggregator and local mode (as the launcher's full one does).
        CommandLine cli = KbenchMain.commandLine();
        for (String name : new String[] {"local", "worker", "aggregator", "broker", "run", "help"}) {
            assertTrue(cli.getSubcommands().containsKey(name), name);
        }
        assertEquals(
                "io.kbench.worker.WorkerCommand",
                cli.getSubcommands().get("worker").getCommand().getClass().getName());
    }

    /** Every command's help, as {@code kbench CMD --help} prints it, with whatever picocli wrote to stderr. */
    private static Map<String, String> helps(StringBuilder stderr) {
        Map<String, String> helps = new LinkedHashMap<>();
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            CommandLine cli = KbenchMain.commandLine();
            helps.put("kbench", cli.getUsageMessage());
            cli.getSubcommands().forEach((name, sub) -> helps.put(name, sub.getUsageMessage()));
        } finally {
            System.setErr(original);
        }
        stderr.append(err.toString(StandardCharsets.UTF_8));
        return helps;
    }

    @Test
    void helpPrintsNoPicocliWarning() {
        StringBuilder stderr = new StringBuilder();
        Map<String, String> helps = helps(stderr);
        assertTrue(stderr.toString().isEmpty(), "picocli complained: " + stderr);
        assertTrue(helps.get("sweep").contains("msg/s per 1 % CPU"), helps.get("sweep"));
    }

    @Test
    void helpExamplesNameFilesThatExist() {
        // Tests run in the module's directory; workloads and drivers live at the repository's root.
        Pattern file = Pattern.compile("(?:workloads|configs)/[\\w.-]+\\.yaml");
        List<String> missing = new ArrayList<>();
        int named = 0;
        for (Map.Entry<String, String> help : helps(new StringBuilder()).entrySet()) {
            Matcher m = file.matcher(help.getValue().replaceAll("\\s*\\n\\s*", " "));
            while (m.find()) {
                named++;
                if (!Files.isRegularFile(Path.of("..", m.group()))) {
                    missing.add(help.getKey() + " --help names " + m.group());
                }
            }
        }
        assertTrue(named >= 4, "the examples of local, run and sweep name files: " + named);
        assertTrue(missing.isEmpty(), String.join("\n", missing));
    }

    @Test
    void theCommandListShowsWholeSentences() {
        // kbench --help lists each command with the first line of its description: it must not stop mid-sentence.
        CommandLine cli = KbenchMain.commandLine();
        List<String> cut = new ArrayList<>();
        cli.getSubcommands().forEach((name, sub) -> {
            String[] description = sub.getCommandSpec().usageMessage().description();
            String first = description.length == 0 ? "" : description[0].strip();
            if (!first.endsWith(".")) {
                cut.add(name + ": '" + first + "'");
            }
        });
        assertTrue(cut.isEmpty(), "descriptions cut off in kbench --help: " + cut);
    }

    @Test
    void daemonsOnTheirOwnClassPathSayKbenchInTheirUsage() {
        assertTrue(
                AggregatorCommand.commandLine().getUsageMessage().startsWith("Usage: kbench aggregator "),
                AggregatorCommand.commandLine().getUsageMessage());
        assertTrue(
                WorkerMain.commandLine().getUsageMessage().startsWith("Usage: kbench worker "),
                WorkerMain.commandLine().getUsageMessage());
    }

    @Test
    void aFlagMeansOneThingInEveryCommand() {
        // Same names, parameter label and kind wherever an option appears: -b is always --bootstrap-server, -o
        // always --output, --metrics-port always PORT with 0 a free port and -1 none.
        Map<String, String> seen = new LinkedHashMap<>();
        List<String> clashes = new ArrayList<>();
        CommandLine cli = KbenchMain.commandLine();
        List<CommandLine> commands = new ArrayList<>(cli.getSubcommands().values());
        commands.add(AggregatorCommand.commandLine());
        commands.add(WorkerMain.commandLine());
        for (CommandLine command : commands) {
            for (OptionSpec option : command.getCommandSpec().options()) {
                Class<?> type = option.type() == int.class ? Integer.class : option.type();
                String shape =
                        String.join("|", option.names()) + " " + option.paramLabel() + " " + type.getSimpleName();
                for (String name : option.names()) {
                    String before = seen.putIfAbsent(name, shape);
                    if (before != null && !before.equals(shape)) {
                        clashes.add(command.getCommandName() + " " + name + ": " + shape + " vs " + before);
                    }
                }
                if (option.longestName().endsWith("metrics-port")
                        && !option.description()[0].contains("0 takes a free port, -1 serves none")) {
                    clashes.add(command.getCommandName() + " " + option.longestName() + ": " + option.description()[0]);
                }
            }
        }
        assertTrue(clashes.isEmpty(), String.join("\n", clashes));
    }
}
