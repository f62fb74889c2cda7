package io.kbench.controller.command;

import io.kbench.controller.run.ControlPlane;
import io.kbench.protocol.message.MemberHeartbeat;
import io.kbench.protocol.registry.RegistryView;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kbench workers}: the fleet as the registry shows it. */
@Command(
        name = "workers",
        mixinStandardHelpOptions = true,
        description = "List the fleet's members (workers and aggregators): capacity, load, heartbeat age.")
public final class WorkersCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() throws Exception {
        try (ControlPlane control = cluster.controlPlane()) {
            control.connect(Duration.ofSeconds(15));
            RegistryView view = control.registry(Duration.ofSeconds(15));
            long now = System.currentTimeMillis();
            List<RegistryView.Member> members = view.all().stream()
                    .sorted(Comparator.comparing(
                                    (RegistryView.Member m) -> m.heartbeat().role())
                            .thenComparing(m -> m.heartbeat().memberId()))
                    .toList();
            if (members.isEmpty()) {
                System.out.println("no members registered on " + cluster.bootstrapServer() + " (prefix '"
                        + cluster.topicPrefix + "')");
                return 0;
            }
            System.out.printf(
                    Locale.ROOT,
                    "%-24s %-10s %-20s %5s %8s %8s %9s %-6s %s%n",
                    "ID",
                    "ROLE",
                    "HOST",
                    "CORES",
                    "CAPACITY",
                    "RUNNING",
                    "HEARTBEAT",
                    "STATE",
                    "VERSION");
            for (RegistryView.Member member : members) {
                MemberHeartbeat h = member.heartbeat();
                boolean live = !view.live(h.role(), now).stream()
                        .filter(m -> m.heartbeat().memberId().equals(h.memberId()))
                        .toList()
                        .isEmpty();
                System.out.printf(
                        Locale.ROOT,
                        "%-24s %-10s %-20s %5d %8d %8d %8.1fs %-6s %s%n",
                        h.memberId(),
                        h.role().name().toLowerCase(Locale.ROOT),
                        h.host(),
                        h.cores(),
                        h.capacity(),
                        h.runningAgents(),
                        member.ageMs(now) / 1000.0,
                        live ? "live" : "stale",
                        h.version());
            }
            return 0;
        }
    }
}
