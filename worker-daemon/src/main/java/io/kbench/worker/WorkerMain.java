package io.kbench.worker;

import picocli.CommandLine;

/** Runs {@code kbench worker} on its own: {@code java -cp … io.kbench.worker.WorkerMain --bootstrap-server …}. */
public final class WorkerMain {

    private WorkerMain() {}

    public static void main(String[] args) {
        // The kbench launcher runs `kbench worker` here, on the daemon's own class path: its help says so.
        System.exit(commandLine().execute(args));
    }

    /** The command as the launcher runs it on its own class path: its help says {@code kbench worker}. */
    public static CommandLine commandLine() {
        return new CommandLine(new WorkerCommand()).setCommandName("kbench worker");
    }
}
