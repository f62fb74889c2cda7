package io.kbench.controller.command;

import io.kbench.controller.run.ControlPlane;
import io.kbench.protocol.message.MemberHeartbeat;
import io.kbench.protocol.registry.RegistryView;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kbench workers}: the fleet as the registry shows it. */
@Command(
        name = "workers",
        mixinStandardHelpOptions = true,
        description = {
            "List the fleet's members (workers and aggregators): capacity, load, heartbeat age, health.",
            "STATE: live (heartbeat within 3 intervals), stale (within 10); a member silent for 10 intervals"
                    + " (killed without its tombstone) is gone and no longer listed.",
            "CLOCK: a worker's clock offset against the cluster (add it to the host's clock to read the broker's)"
                    + " with its uncertainty, from probes of its clock topic; end-to-end latency between two"
                    + " workers is corrected by the difference. '-' when not (yet) estimated.",
            "HEALTH: unhealthy workers (control loop stopped or stuck, agents cannot start) are never planned"
                    + " onto; an aggregator says when it is rebalancing or restoring."
        })
public final class WorkersCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() throws Exception {
        try (ControlPlane control = cluster.controlPlane()) {
            control.connect(Duration.ofSeconds(15));
            RegistryView view = control.registry(Duration.ofSeconds(15));
            long now = System.currentTimeMillis();
            List<RegistryView.Member> members = view.listed(now);
            List<RegistryView.Member> gone = view.gone(now);
            if (members.isEmpty()) {
                System.out.println("no members registered on " + cluster.bootstrapServer() + " (prefix '"
                        + cluster.topicPrefix + "')");
            } else {
                System.out.printf(
                        Locale.ROOT,
                        "%-24s %-10s %-20s %5s %8s %8s %6s %9s %-6s %-16s %-18s %s%n",
                        "ID",
                        "ROLE",
                        "HOST",
                        "CORES",
                        "CAPACITY",
                        "RUNNING",
                        "FAILED",
                        "HEARTBEAT",
                        "STATE",
                        "VERSION",
                        "CLOCK",
                        "HEALTH");
            }
            for (RegistryView.Member member : members) {
                MemberHeartbeat h = member.heartbeat();
                System.out.printf(
                        Locale.ROOT,
                        "%-24s %-10s %-20s %5d %8d %8d %6d %8.1fs %-6s %-16s %-18s %s%n",
                        h.memberId(),
                        h.role().name().toLowerCase(Locale.ROOT),
                        h.host(),
                        h.cores(),
                        h.capacity(),
                        h.runningAgents(),
                        h.health().agentsFailed(),
                        member.ageMs(now) / 1000.0,
                        member.presence(now).name().toLowerCase(Locale.ROOT),
                        h.version(),
                        h.clock() == null ? "-" : h.clock().describe(),
                        h.health().describe());
            }
            if (!gone.isEmpty()) {
                System.out.printf(
                        Locale.ROOT,
                        "not listed: %d member(s) gone, no heartbeat for %d intervals: %s%n",
                        gone.size(),
                        RegistryView.GONE_INTERVALS,
                        gone.stream().map(RegistryView.Member::id).toList());
            }
            return 0;
        }
    }
}
