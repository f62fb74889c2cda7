package io.kbench.controller.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

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
}
