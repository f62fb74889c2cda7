package io.kbench.controller.local;

import io.kbench.controller.config.InputError;
import io.kbench.controller.run.ControlPlane;
import io.kbench.local.LocalFleet;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.topic.KbenchTopics;
import java.util.Map;
import java.util.Optional;

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
