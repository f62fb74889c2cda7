package io.kbench.worker;

import picocli.CommandLine;

/** Runs {@code kbench worker} on its own: {@code java -cp … io.kbench.worker.WorkerMain --bootstrap-server …}. */
public final class WorkerMain {

    private WorkerMain() {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new WorkerCommand()).execute(args));
    }
}
