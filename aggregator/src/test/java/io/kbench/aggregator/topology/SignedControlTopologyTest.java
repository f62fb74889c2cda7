package io.kbench.aggregator.topology;

import static io.kbench.aggregator.Fixtures.produced;
import static io.kbench.aggregator.Fixtures.range;
import static io.kbench.aggregator.Fixtures.spec;
import static io.kbench.aggregator.topology.TopologyHarness.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kbench.protocol.SkipReason;
import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.RunStatus;
import io.kbench.protocol.message.RunSummary;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StopRun;
import io.kbench.protocol.security.ControlSigner;
import io.kbench.protocol.security.ControlValidity;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The aggregator with a secret: control records are verified where they enter, before the repartition. */
class SignedControlTopologyTest {

    private static final long START = T0 + 1_000;
    private static final ControlSigner SIGNER =
            new ControlSigner("aggregator-test-secret-0123456789".getBytes(StandardCharsets.UTF_8));

    private final TopologyHarness harness = new TopologyHarness(Optional.of(SIGNER));

    @AfterEach
    void close() {
        harness.close();
    }

    private byte[] signed(String runId, Message message) {
        return harness.codec.encode(
                SIGNER.sign(harness.codec.envelope(runId, message, ControlValidity.of(message, T0))));
    }

    private void startSignedRun(String runId) {
        harness.controlIn.pipeInput(runId, signed(runId, spec(List.of("a"), 1, 1, null, null)));
        harness.controlIn.pipeInput(runId, signed(runId, new StartRun(START, 0, 1_000, START + 10_000)));
    }

    @Test
    void everySkipReasonIsCountedFromStartUp() {
        for (SkipReason reason : SkipReason.values()) {
            assertEquals(0.0, harness.metrics.skipped(reason.label()), reason.label());
        }
        assertTrue(harness.metrics
                        .registry()
                        .find("kbench.aggregator.records.skipped")
                        .tag("reason", "replayed")
                        .counter()
                != null);
    }

    @Test
    void anUnsignedStopRunIsIgnoredAndCountedAndTheSignedRunCompletes() {
        startSignedRun("r1");
        harness.control("r1", new StopRun(StopRun.Reason.FAILED, "forged by a writer of the control topic"));
        // Keyed by another run, but signed for r1: the envelope's run id, not the key, decides.
        harness.report("r1", produced("a", "w1", Phase.MEASURE, 0, START, START + 1_000, 1_000, range(1, 100), true));

        List<RunSummary> summaries = harness.runSummaries(harness.results());
        assertEquals(1, summaries.size());
        assertEquals(RunStatus.COMPLETE, summaries.get(0).status());
        assertEquals(1.0, harness.metrics.skipped("unsigned"));
    }

    @Test
    void aTamperedAndAReplayedStopRunAreIgnoredAndCountedByReason() {
        startSignedRun("r1");
        byte[] stopOfAnotherRun = signed("r0", new StopRun(StopRun.Reason.FAILED, "r0 failed"));
        harness.controlIn.pipeInput("r0", stopOfAnotherRun);
        // A verbatim copy, keyed at the live run: a replay (and the signed run id would still say r0).
        harness.controlIn.pipeInput("r1", stopOfAnotherRun);
        String tampered = new String(stopOfAnotherRun, StandardCharsets.UTF_8).replace("\"r0\"", "\"r1\"");
        harness.controlIn.pipeInput("r1", tampered.getBytes(StandardCharsets.UTF_8));

        harness.report("r1", produced("a", "w1", Phase.MEASURE, 0, START, START + 1_000, 1_000, range(1, 100), true));

        assertEquals(1.0, harness.metrics.skipped("replayed"));
        assertEquals(1.0, harness.metrics.skipped("bad_signature"));
        List<RunSummary> summaries = harness.runSummaries(harness.results());
        assertEquals(
                List.of(RunStatus.COMPLETE),
                summaries.stream()
                        .filter(s -> s.runId().equals("r1"))
                        .map(RunSummary::status)
                        .toList());
    }
}
