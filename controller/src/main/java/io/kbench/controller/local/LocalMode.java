package io.kbench.controller.local;

import io.kbench.controller.config.InputError;
import io.kbench.controller.plan.AgentPlanner;
import io.kbench.controller.run.ControlPlane;
import io.kbench.local.LocalClassData;
import io.kbench.local.LocalFleet;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.Workload;
import io.kbench.protocol.topic.KbenchTopics;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The controller's door to local mode. The fleet lives in the optional {@code kbench-local} module, which the
 * launcher puts on the class path only for {@code kbench local}, {@code kbench broker} and {@code kbench sweep
 * --local}; every other command runs without it. Those commands call {@link #require} before they touch a type
 * of that module, so a lean class path fails with a sentence instead of a {@code NoClassDefFoundError}.
 */
public final class LocalMode {

    /** A class of the kbench-local module, looked up by name so that looking does not need it. */
    static final String FLEET_CLASS = "io.kbench.local.LocalFleet";

    private LocalMode() {}

    /** Whether local mode's classes are on this class path. */
    public static boolean available() {
        try {
            Class.forName(FLEET_CLASS, false, LocalMode.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Fails with a clear message when local mode's classes are not on this class path.
     *
     * @param command what the user ran, for the message
     */
    public static void require(String command) {
        if (!available()) {
            throw new InputError(command + " needs the embedded broker, which is not on this class path: run it"
                    + " through the kbench launcher (bin/kbench in the distribution, ./kbench in a clone), which"
                    + " adds local mode's jars for local, broker and sweep --local");
        }
    }

    /**
     * The agent JVMs a local run starts with the worker's defaults (one agent each, no JVM options), which the
     * local worker boots as warm JVMs while the fleet and the controller get ready ({@code
     * LocalFleet.Settings.firstRunJvms}); 0 when the run packs its agents or asks for JVM options, since its JVMs
     * would not be default ones.
     *
     * @param agentsPerJvm {@code --agents-per-jvm}: {@code null} the workload's, 0 {@code auto} (packed within
     *     {@code jvmBudget} JVMs)
     * @param capacity the agents the local worker may run
     */
    public static int firstRunJvms(
            Workload workload, Integer agentsPerJvm, List<String> agentJvmOptions, int jvmBudget, int capacity) {
        int agents = workload.totalProducers() + workload.totalConsumers();
        int perJvm = agentsPerJvm == null
                ? workload.agentsPerJvm()
                : agentsPerJvm == 0
                        ? AgentPlanner.pack(agents, Math.max(jvmBudget, 1), 1).perJvm()
                        : agentsPerJvm;
        if (perJvm != 1 || !agentJvmOptions.isEmpty()) {
            return 0;
        }
        return Math.min(agents, capacity);
    }

    /**
     * After a local fleet closed: keeps this JVM's class data for the next launch when the launcher asked for it
     * ({@link LocalClassData}), unless the user interrupted (who wants out, not a few seconds more); says so on
     * {@code out}.
     */
    public static void keepClassData(AtomicBoolean interrupted, PrintStream out) {
        if (!interrupted.get()) {
            LocalClassData.asked().ifPresent(file -> {
                out.println("keeping this JVM's class data for faster starts (once per build)...");
                LocalClassData.keep(file).ifPresent(out::println);
            });
        }
    }

    /** A control plane on the fleet's broker, unsigned: everything is in this process. */
    public static ControlPlane controlPlane(LocalFleet fleet) {
        return new ControlPlane(
                fleet.bootstrapServers(),
                Map.of(),
                new KbenchTopics(fleet.topicPrefix()),
                new MessageCodec(),
                Optional.empty());
    }
}
