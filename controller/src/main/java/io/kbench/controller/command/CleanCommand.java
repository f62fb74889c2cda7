package io.kbench.controller.command;

import io.kbench.controller.run.ControlPlane;
import io.kbench.controller.run.Leftovers;
import io.kbench.protocol.KafkaClients;
import io.kbench.protocol.message.Message;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kbench clean}: deletes the benchmark topics ({@code kbench-<runId>-<i>}) that a controller killed
 * mid-run left on the cluster under test, for runs that ended or were abandoned; never a live run's.
 */
@Command(
        name = "clean",
        mixinStandardHelpOptions = true,
        description = {
            "Delete benchmark topics left by runs that ended or were abandoned.",
            "Topics are named kbench-<run>-<i>; a controller killed mid-run leaves them behind. A live run's topics"
                    + " are never touched. Prints every topic and why.",
            "Example: kbench clean -b kafka:9092 --dry-run"
        })
public final class CleanCommand implements Callable<Integer> {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Mixin
    ClusterOptions cluster;

    @Option(
            names = "--target-bootstrap",
            paramLabel = "HOST:PORT",
            description = "Cluster under test holding the benchmark topics. Default: the control cluster.")
    String targetBootstrap;

    @Option(names = "--dry-run", description = "Only print what would be deleted.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        try (ControlPlane control = cluster.controlPlane()) {
            control.connect(Duration.ofSeconds(15));
            return clean(control, targetBootstrap != null ? targetBootstrap : control.bootstrap(), System.out);
        }
    }

    private int clean(ControlPlane control, String target, PrintStream out) throws InterruptedException {
        Map<String, Long> lastActivity = new LinkedHashMap<>();
        Map<String, Message> controlLog =
                ResultsReader.lastByKey(control, control.topics().control(), TIMEOUT, lastActivity);
        Map<String, Message> results =
                ResultsReader.lastByKey(control, control.topics().results(), TIMEOUT);
        Map<String, Object> config = KafkaClients.base(target, control.clientConfig());
        config.put("request.timeout.ms", (int) TIMEOUT.toMillis());
        config.put("default.api.timeout.ms", (int) TIMEOUT.toMillis());
        try (Admin admin = Admin.create(config)) {
            List<String> topics;
            try {
                topics = List.copyOf(admin.listTopics().names().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            } catch (ExecutionException | TimeoutException e) {
                throw new ControlPlane.ClusterUnreachable("the cluster under test at " + target
                        + " did not list its topics within " + TIMEOUT.toSeconds() + " s (" + e.getMessage()
                        + "); check --target-bootstrap");
            }
            List<Leftovers.Decision> decisions = Leftovers.decide(
                    controlLog,
                    lastActivity,
                    results,
                    topics,
                    control.codec().clock().millis());
            if (decisions.isEmpty()) {
                out.println("no benchmark topics on " + target);
                return 0;
            }
            List<String> doomed = decisions.stream()
                    .filter(Leftovers.Decision::delete)
                    .map(Leftovers.Decision::topic)
                    .toList();
            for (Leftovers.Decision d : decisions) {
                out.println((d.delete() ? (dryRun ? "would delete " : "deleting ") : "keeping ") + d.topic() + "  ("
                        + d.reason() + ")");
            }
            if (dryRun || doomed.isEmpty()) {
                out.println((dryRun ? "dry run: " : "") + doomed.size() + " of " + decisions.size()
                        + " benchmark topic(s) " + (dryRun ? "would be" : "were") + " deleted on " + target);
                return 0;
            }
            try {
                admin.deleteTopics(doomed).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                out.println("could not delete every topic: " + (e.getCause() != null ? e.getCause() : e));
                return KbenchMain.EXIT_FAILED;
            }
            out.println("deleted " + doomed.size() + " of " + decisions.size() + " benchmark topic(s) on " + target);
            return 0;
        }
    }
}
