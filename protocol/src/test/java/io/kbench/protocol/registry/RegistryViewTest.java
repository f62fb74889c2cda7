package io.kbench.protocol.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.protocol.Decoded;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.MemberHealth;
import io.kbench.protocol.message.MemberHeartbeat;
import io.kbench.protocol.message.MemberRole;
import io.kbench.protocol.registry.RegistryView.Member;
import io.kbench.protocol.registry.RegistryView.Presence;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Presence and health by heartbeat age, on a fixed clock: 2 s intervals, so live ≤ 6 s, gone after 20 s. */
class RegistryViewTest {

    private static final long T0 = 1_700_000_000_000L;

    private static Member member(String id, MemberRole role, long sentAt, MemberHealth health) {
        return new Member(
                new MemberHeartbeat(id, role, "h", 2, 1L << 30, 8, 3, "test", T0, 2000, health, null), sentAt);
    }

    private static Member worker(String id, long sentAt) {
        return member(id, MemberRole.WORKER, sentAt, MemberHealth.healthy(T0));
    }

    @Test
    void aMemberIsLiveForThreeIntervalsStaleUpToTenThenGone() {
        Member w = worker("w1", T0);
        assertEquals(Presence.LIVE, w.presence(T0 + 6_000));
        assertEquals(Presence.STALE, w.presence(T0 + 6_001));
        assertEquals(Presence.STALE, w.presence(T0 + 20_000));
        assertEquals(Presence.GONE, w.presence(T0 + 20_001));
    }

    @Test
    void aKilledWorkerLeavesTheListingAfterTenMissedHeartbeats() {
        RegistryView view = RegistryView.of(List.of(worker("dead", T0), worker("alive", T0 + 144_000)));
        long now = T0 + 144_500;
        assertEquals(List.of("alive"), view.listed(now).stream().map(Member::id).toList());
        assertEquals(List.of("dead"), view.gone(now).stream().map(Member::id).toList());
        // 144 s after its last heartbeat, nothing about the dead worker is live or usable.
        assertEquals(
                List.of("alive"),
                view.live(MemberRole.WORKER, now).stream().map(Member::id).toList());
    }

    @Test
    void anUnhealthyWorkerIsLiveButNotUsable() {
        Member deaf = member(
                "deaf",
                MemberRole.WORKER,
                T0,
                new MemberHealth(MemberHealth.State.UNHEALTHY, "control loop stopped: AuthorizationException", T0, 0));
        RegistryView view = RegistryView.of(List.of(deaf, worker("ok", T0)));
        assertEquals(
                List.of("deaf", "ok"),
                view.live(MemberRole.WORKER, T0 + 1000).stream().map(Member::id).toList());
        assertEquals(
                List.of("ok"),
                view.usable(MemberRole.WORKER, T0 + 1000).stream()
                        .map(Member::id)
                        .toList());
        assertEquals(
                "unhealthy (control loop stopped: AuthorizationException)",
                deaf.heartbeat().health().describe());
    }

    @Test
    void aStaleHealthyWorkerIsNotUsable() {
        assertTrue(!worker("w", T0).usable(T0 + 7_000));
    }

    @Test
    void listingIsByRoleThenId() {
        RegistryView view = RegistryView.of(List.of(
                member("a", MemberRole.AGGREGATOR, T0, MemberHealth.healthy(T0)), worker("z", T0), worker("b", T0)));
        assertEquals(
                List.of("b", "z", "a"), view.listed(T0).stream().map(Member::id).toList());
    }

    @Test
    void aHeartbeatWithoutHealthFromAnOlderMemberReadsAsHealthy() {
        MessageCodec codec = new MessageCodec(Clock.fixed(Instant.ofEpochMilli(T0), ZoneOffset.UTC));
        MemberHeartbeat now = new MemberHeartbeat(
                "w-old",
                MemberRole.WORKER,
                "h",
                2,
                1,
                4,
                0,
                "0.0.9",
                1,
                2000,
                new MemberHealth(MemberHealth.State.UNHEALTHY, "x", 1, 2),
                null);
        String old = new String(codec.encode(null, now, null), StandardCharsets.UTF_8)
                .replaceAll(",?\"health\":\\{[^}]*\\}", "");
        assertTrue(!old.contains("health"), old);
        Decoded decoded = codec.decode(old.getBytes(StandardCharsets.UTF_8));
        MemberHeartbeat beat = (MemberHeartbeat) ((Decoded.Ok) decoded).message();
        assertTrue(beat.health().isHealthy());
        assertTrue(new Member(beat, T0).usable(T0));
    }

    @Test
    void healthSurvivesTheWire() {
        MessageCodec codec = new MessageCodec(Clock.fixed(Instant.ofEpochMilli(T0), ZoneOffset.UTC));
        MemberHeartbeat beat = new MemberHeartbeat(
                "agg",
                MemberRole.AGGREGATOR,
                "h",
                2,
                1,
                0,
                0,
                "v",
                T0,
                2000,
                new MemberHealth(MemberHealth.State.RESTORING, "2 stores", T0 + 5, 0),
                null);
        MemberHeartbeat back = (MemberHeartbeat) ((Decoded.Ok) codec.decode(codec.encode(null, beat, null))).message();
        assertEquals(beat, back);
    }
}
