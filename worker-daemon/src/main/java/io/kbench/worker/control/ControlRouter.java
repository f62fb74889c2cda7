package io.kbench.worker.control;

import io.kbench.protocol.Decoded;
import io.kbench.protocol.Envelope;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.SkipReason;
import io.kbench.protocol.message.AssignmentRejected;
import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.MessageType;
import io.kbench.protocol.message.RunAssignment;
import io.kbench.protocol.message.StopRun;
import io.kbench.protocol.security.SignatureVerifier;
import io.kbench.worker.events.EventSink;
import io.kbench.worker.metrics.WorkerMeters;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what one control record means to this daemon. It acts on a {@link RunAssignment} addressed to it
 * (validated, then started or rejected with a reason on the events topic, once per assignment id) and on a
 * run command ({@code StartRun}, {@code RateChange}, {@code Pause/ResumeConsumers}, {@code StopRun}) for a run it
 * has agents of (relayed to them verbatim). Everything else is ignored; what cannot be read is logged once per
 * reason, counted, and skipped. Not thread-safe: one control loop calls it.
 */
public final class ControlRouter {

    private static final Logger LOGGER = LoggerFactory.getLogger(ControlRouter.class);

    /** Assignment ids remembered for idempotence; far more than a daemon sees within a record's lifetime. */
    static final int REMEMBERED_ASSIGNMENTS = 10_000;

    private final String workerId;
    private final MessageCodec codec;
    private final Optional<SignatureVerifier> verifier;
    private final AssignmentValidator validator;
    private final AgentRuns runs;
    private final EventSink events;
    private final WorkerMeters meters;
    private final Set<SkipReason> loggedSkips = EnumSet.noneOf(SkipReason.class);
    private final Map<String, Boolean> started = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_ASSIGNMENTS;
        }
    };

    public ControlRouter(
            String workerId,
            MessageCodec codec,
            Optional<SignatureVerifier> verifier,
            AssignmentValidator validator,
            AgentRuns runs,
            EventSink events,
            WorkerMeters meters) {
        this.workerId = workerId;
        this.codec = codec;
        this.verifier = verifier;
        this.validator = validator;
        this.runs = runs;
        this.events = events;
        this.meters = meters;
    }

    /** Handles one record value of the control topic. Never throws for a bad record. */
    public void onRecord(byte[] value) {
        Decoded decoded = codec.decode(value);
        if (decoded instanceof Decoded.Skip skip) {
            skipped(skip.reason(), skip.detail());
            return;
        }
        Decoded.Ok ok = (Decoded.Ok) decoded;
        Envelope envelope = ok.envelope();
        Message message = ok.message();
        try {
            if (message instanceof RunAssignment assignment) {
                onAssignment(envelope, assignment);
            } else if (MessageType.of(message).isRunCommand()
                    && envelope.runId() != null
                    && runs.hasRun(envelope.runId())) {
                onRunCommand(envelope, message, value);
            }
        } catch (RuntimeException e) {
            // One record must never stop the loop: report it and serve the next.
            LOGGER.error(
                    "control record not handled: type={} id={} runId={}",
                    envelope.type(),
                    envelope.id(),
                    envelope.runId(),
                    e);
        }
    }

    private void onAssignment(Envelope envelope, RunAssignment assignment) {
        if (!workerId.equals(assignment.workerId())) {
            return;
        }
        String runId = envelope.runId();
        // Verified first, so a verbatim copy of an assignment already started is counted as replayed.
        Optional<SignatureVerifier.Rejection> unverified = verify(envelope);
        if (unverified.isPresent()) {
            if (unverified.get().reason() != SkipReason.REPLAYED) {
                reject(
                        runId,
                        assignment,
                        AssignmentRejected.Reason.BAD_SIGNATURE,
                        unverified.get().detail());
            }
            // A replay gets no answer: the genuine record was answered (or, before a restart, its run is over).
            return;
        }
        if (started.containsKey(assignment.assignmentId())) {
            LOGGER.info(
                    "assignment already started, repeat ignored: runId={} assignment={}",
                    runId,
                    assignment.assignmentId());
            return;
        }
        AssignmentValidator.Outcome outcome = validator.check(runId, assignment, runs.runningAgents());
        if (outcome instanceof AssignmentValidator.Rejection rejection) {
            reject(runId, assignment, rejection.reason(), rejection.detail());
            return;
        }
        // Only the validator's rewrite (worker settings merged, payload paths resolved) reaches the agents.
        RunAssignment accepted = ((AssignmentValidator.Accepted) outcome).assignment();
        started.put(accepted.assignmentId(), Boolean.TRUE);
        LOGGER.info(
                "assignment accepted: runId={} assignment={} agents={} agentsPerJvm={}",
                runId,
                accepted.assignmentId(),
                accepted.tasks().size(),
                accepted.agentsPerJvm());
        runs.spawn(runId, accepted);
    }

    private void onRunCommand(Envelope envelope, Message message, byte[] value) {
        if (verify(envelope).isPresent()) {
            return;
        }
        String line = new String(value, StandardCharsets.UTF_8);
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            // A writer that pretty-printed its JSON: one line per envelope is the pipe's framing.
            line = codec.encodeLine(envelope);
        }
        if (message instanceof StopRun) {
            runs.stop(envelope.runId(), line);
        } else {
            runs.relay(envelope.runId(), line);
        }
    }

    /** Whether control records are verified (a secret is set). */
    public boolean signed() {
        return verifier.isPresent();
    }

    /**
     * Remembers the id of a record that was on the control topic before this daemon started reading it (see {@link
     * io.kbench.protocol.security.ControlHistory}), without acting on it.
     */
    public void remember(byte[] value) {
        if (verifier.isPresent() && codec.decode(value) instanceof Decoded.Ok ok) {
            verifier.get().remember(ok.envelope());
        }
    }

    private Optional<SignatureVerifier.Rejection> verify(Envelope envelope) {
        if (verifier.isEmpty()) {
            return Optional.empty();
        }
        Optional<SignatureVerifier.Rejection> rejection = verifier.get().verify(envelope);
        rejection.ifPresent(r -> skipped(r.reason(), r.detail()));
        return rejection;
    }

    private void reject(String runId, RunAssignment assignment, AssignmentRejected.Reason reason, String detail) {
        LOGGER.warn(
                "assignment rejected: runId={} assignment={} reason={} detail={}",
                runId,
                assignment.assignmentId(),
                reason,
                detail);
        meters.assignmentRejected(reason);
        events.publish(runId, new AssignmentRejected(workerId, assignment.assignmentId(), reason, detail));
    }

    private void skipped(SkipReason reason, String detail) {
        meters.recordSkipped(reason);
        if (loggedSkips.add(reason)) {
            LOGGER.warn(
                    "control record skipped: reason={} detail={} (logged once per reason, counted in {})",
                    reason.label(),
                    detail,
                    WorkerMeters.RECORDS_SKIPPED);
        } else {
            LOGGER.debug("control record skipped: reason={} detail={}", reason.label(), detail);
        }
    }
}
