package io.kbench.controller;

import io.kbench.controller.command.KbenchMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * Runs a {@code kbench} command in the test's JVM and captures what it printed (standard output is also echoed, so a
 * failing test's log shows it).
 */
final class InProcessCli {

    /** A command's exit code, standard output and error output. */
    record Output(int exit, String out, String err) {}

    private InProcessCli() {}

    static Output kbench(String... args) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            CommandLine cli = KbenchMain.commandLine();
            cli.setErr(new PrintWriter(err, true));
            int exit = cli.execute(args);
            return new Output(exit, captured.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(original);
            System.out.print(captured.toString(StandardCharsets.UTF_8));
            System.out.print(err);
        }
    }
}
