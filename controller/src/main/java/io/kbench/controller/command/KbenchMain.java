package io.kbench.controller.command;

import io.kbench.controller.config.InputError;
import io.kbench.controller.plan.AgentPlanner;
import io.kbench.controller.run.ControlPlane;
import io.kbench.controller.run.RunCoordinator;
import io.kbench.protocol.AccessDenied;
import io.kbench.protocol.ClusterSettingsError;
import io.kbench.protocol.KbenchVersion;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kbench} command. */
@Command(
        name = "kbench",
        mixinStandardHelpOptions = true,
        versionProvider = KbenchMain.Version.class,
        description = {
            "Distributed Kafka load benchmark, OMB-compatible, whose control traffic travels over Kafka.",
            "",
            "Quick start (nothing to install or start first):",
            "  kbench local workloads/quick-start.yaml"
        },
        subcommands = {
            LocalCommand.class,
            RunCommand.class,
            SweepCommand.class,
            WorkersCommand.class,
            RunsCommand.class,
            ShowCommand.class,
            ReportCommand.class,
            StopCommand.class,
            CleanCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success; the run completed",
            "1:the run failed or was incomplete (results are still written, marked so)",
            "2:bad input (a workload, driver or option; the message names file, field and value) or an unusable fleet (no live worker or aggregator, unreachable bootstrap server)",
            "130:interrupted (Ctrl-C); what was measured is written, marked interrupted"
        })
public final class KbenchMain implements Runnable {

    public static final int EXIT_FAILED = 1;
    public static final int EXIT_BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("local") && System.getenv("KBENCH_VERBOSE") == null) {
            // In `kbench local` the broker, daemon and aggregator are plumbing: their INFO lines would bury the
            // run's own output. Set before the first logger is made; KBENCH_VERBOSE=1 shows them.
            for (String component : new String[] {"io.kbench.broker", "io.kbench.worker", "io.kbench.aggregator"}) {
                System.setProperty("org.slf4j.simpleLogger.log." + component, "warn");
            }
            // The run prints each agent failure itself, once (and not the agents a Ctrl-C stopped): the daemon's
            // warning of the same exit would only repeat it.
            System.setProperty("org.slf4j.simpleLogger.log.io.kbench.worker.supervise.AgentProcess", "error");
        }
        System.exit(commandLine().execute(args));
    }

    /**
     * Commands that run on a class path of their own, mounted when their classes are on this one. The lean CLI
     * does not carry them (the worker's Prometheus client, the aggregator's Kafka Streams, the
     * broker and Scala); the launcher starts each on its own class path, and the full one of {@code kbench local}
     * has them all.
     */
    static final List<OwnClassPath> OWN_CLASS_PATH = List.of(
            new OwnClassPath(
                    "worker", "io.kbench.worker.WorkerCommand", "Run the worker daemon of this host (always on)."),
            new OwnClassPath(
                    "aggregator",
                    "io.kbench.aggregator.AggregatorCommand",
                    "Run the aggregator: Kafka Streams windows, run summaries, live gauges."),
            new OwnClassPath(
                    "broker",
                    "io.kbench.local.BrokerCommand",
                    "Start a single-node Kafka broker (KRaft) in this process until Ctrl-C."));

    /** A command of {@link #OWN_CLASS_PATH}: its name, its class and what {@code kbench --help} says of it. */
    record OwnClassPath(String name, String className, String description) {}

    /** The configured command line (tests run it in-process). */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new KbenchMain());
        for (OwnClassPath command : OWN_CLASS_PATH) {
            cli.addSubcommand(command.name(), mount(command));
        }
        // Last, as picocli lists subcommands in the order they were added.
        cli.addSubcommand(new CommandLine.HelpCommand());
        cli.setExecutionExceptionHandler(KbenchMain::handle);
        cli.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("kbench: " + e.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
                err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            }
            return EXIT_BAD_INPUT;
        });
        return cli;
    }

    static CommandLine mount(OwnClassPath command) {
        Object real;
        try {
            real = Class.forName(command.className(), true, KbenchMain.class.getClassLoader())
                    .getConstructor()
                    .newInstance();
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            CommandLine stub = new CommandLine(new NotOnThisClassPath(command.name()));
            stub.getCommandSpec().usageMessage().description(command.description());
            return stub;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + command.className(), e);
        }
        return new CommandLine(real);
    }

    /**
     * Stands for a command whose classes this class path lacks: it is listed by {@code kbench --help} and, run,
     * says how to run it. Only a JVM started without the launcher gets here.
     */
    @Command(
            mixinStandardHelpOptions = true,
            footer = {"", NotOnThisClassPath.WHY})
    static final class NotOnThisClassPath implements Callable<Integer> {

        static final String WHY = "It runs on a class path of its own, which the kbench launcher (bin/kbench in the"
                + " distribution, ./kbench in a clone) chooses for it.";

        private final String name;

        @CommandLine.Unmatched
        List<String> args = new java.util.ArrayList<>();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        NotOnThisClassPath(String name) {
            this.name = name;
        }

        @Override
        public Integer call() {
            spec.commandLine().getErr().println("kbench: `kbench " + name + "` is not on this class path. " + WHY);
            return EXIT_BAD_INPUT;
        }
    }

    /** Known failures become one clear line and an exit code; only real bugs show a stack trace. */
    private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        if (e instanceof InputError || e instanceof UncheckedIOException || e instanceof ClusterSettingsError) {
            err.println("kbench: " + e.getMessage());
            return EXIT_BAD_INPUT;
        }
        if (e instanceof RunCoordinator.FleetProblem
                || e instanceof ControlPlane.ClusterUnreachable
                || e instanceof AgentPlanner.FleetTooSmall) {
            err.println("kbench: " + e.getMessage());
            return EXIT_BAD_INPUT;
        }
        if (e instanceof InterruptedException) {
            err.println("kbench: interrupted");
            return 130;
        }
        Optional<String> denied = AccessDenied.explain(e, null, null);
        if (denied.isPresent()) {
            err.println("kbench: " + denied.get());
            return EXIT_BAD_INPUT;
        }
        err.println("kbench: unexpected error: " + e + " (details in the log above)");
        org.slf4j.LoggerFactory.getLogger(KbenchMain.class).error("unexpected error", e);
        return EXIT_FAILED;
    }

    /** Prints the build's version. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "kbench " + KbenchVersion.get(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
                "Kafka clients " + org.apache.kafka.common.utils.AppInfoParser.getVersion()
            };
        }
    }
}
