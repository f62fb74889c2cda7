package io.kbench.agent;

import io.kbench.agent.consume.ConsumerAgent;
import io.kbench.agent.produce.ProducerAgent;
import io.kbench.agent.run.C2Stop;
import io.kbench.agent.run.RunPhases;
import io.kbench.agent.run.RunSchedule;
import io.kbench.agent.stats.MicroClock;
import io.kbench.agent.stats.StatsLoop;
import io.kbench.agent.stats.StopCause;
import io.kbench.protocol.Decoded;
import io.kbench.protocol.MessageCodec;
import io.kbench.protocol.message.AgentLaunch;
import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.PauseConsumers;
import io.kbench.protocol.message.Phase;
import io.kbench.protocol.message.RateChange;
import io.kbench.protocol.message.RateSplit;
import io.kbench.protocol.message.ResumeConsumers;
import io.kbench.protocol.message.StartRun;
import io.kbench.protocol.message.StopRun;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control envelopes the daemon relays on stdin after the launch line. A line that does not decode, an
 * unknown type or another run's envelope is logged and skipped: a bad line never stops an agent. The end of
 * stdin means the daemon is gone, and stops the agents.
 */
final class Commands {

    private static final Logger LOGGER = LoggerFactory.getLogger(Commands.class);

    private final AgentHost host;
    private final AgentLaunch launch;
    private final RunPhases phases;
    private final MicroClock micro;
    private final StatsLoop statsLoop;

    Commands(AgentHost host, AgentLaunch launch, RunPhases phases, MicroClock micro, StatsLoop statsLoop) {
        this.host = host;
        this.launch = launch;
        this.phases = phases;
        this.micro = micro;
        this.statsLoop = statsLoop;
    }

    /** Reads commands until the end of input, then asks the host to stop. */
    void readUntilEnd(BufferedReader in, MessageCodec codec) {
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) {
                    accept(codec.decode(line));
                }
            }
            host.requestStop(StopCause.daemonGone("stdin closed: the worker daemon is gone"));
        } catch (IOException e) {
            host.requestStop(StopCause.daemonGone("stdin failed (" + e + "): the worker daemon is gone"));
        }
    }

    void accept(Decoded decoded) {
        if (decoded instanceof Decoded.Skip skip) {
            LOGGER.warn("skipping stdin line reason={} detail={}", skip.reason(), skip.detail());
            return;
        }
        Decoded.Ok ok = (Decoded.Ok) decoded;
        if (ok.envelope().runId() != null && !Objects.equals(ok.envelope().runId(), launch.runId())) {
            LOGGER.warn(
                    "skipping {} of another run run={} expected={}",
                    ok.envelope().type(),
                    ok.envelope().runId(),
                    launch.runId());
            return;
        }
        apply(ok.message());
    }

    void apply(Message message) {
        if (message instanceof StartRun start) {
            startRun(start);
        } else if (message instanceof RateChange change) {
            rateChange(change);
        } else if (message instanceof PauseConsumers pause) {
            phases.backlogPhase(pause.phase() != null ? pause.phase() : Phase.BACKLOG_BUILD);
            consumers().forEach(ConsumerAgent::pause);
            statsLoop.wake();
        } else if (message instanceof ResumeConsumers resume) {
            phases.backlogPhase(resume.phase() != null ? resume.phase() : Phase.BACKLOG_DRAIN);
            consumers().forEach(ConsumerAgent::resume);
            statsLoop.wake();
        } else if (message instanceof StopRun stop) {
            host.requestStop(StopCause.runStopped(stop));
        } else {
            LOGGER.warn(
                    "ignoring {} on stdin: not a command for an agent",
                    message.getClass().getSimpleName());
        }
    }

    private void startRun(StartRun start) {
        RunSchedule schedule = RunSchedule.of(start, launch.deadlineAt());
        if (!phases.start(schedule)) {
            LOGGER.warn("ignoring a repeated StartRun startAt={}", start.startAt());
            return;
        }
        long startNanos = micro.nanoTimeAt(schedule.startAt());
        long endNanos = schedule.stopAt() == Long.MAX_VALUE ? Long.MAX_VALUE : micro.nanoTimeAt(schedule.stopAt());
        long measureNanos = micro.nanoTimeAt(schedule.measureAt());
        producers().forEach(producer -> {
            producer.stats().measureAt(measureNanos);
            producer.endAt(endNanos);
            producer.startAt(startNanos);
        });
        LOGGER.info(
                "run scheduled startAt={} measureAt={} stopAt={} deadlineAt={}",
                schedule.startAt(),
                schedule.measureAt(),
                schedule.stopAt(),
                schedule.deadlineAt());
        if (start.stopsC2AfterWarmup()) {
            long stopC2At = C2Stop.stopAt(schedule.startAt(), schedule.measureAt());
            C2Stop.stopLater(stopC2At, host::nowMs, () -> !host.stopping());
            LOGGER.info(
                    "C2 stops compiling at {}, {} ms before the measurement",
                    stopC2At,
                    schedule.measureAt() - stopC2At);
        }
        statsLoop.wake();
        host.poke();
    }

    private void rateChange(RateChange change) {
        if (Double.isNaN(change.totalRate()) || Double.isInfinite(change.totalRate())) {
            LOGGER.warn("ignoring RateChange with totalRate={}", change.totalRate());
            return;
        }
        for (ProducerAgent producer : producers()) {
            producer.setRate(
                    RateSplit.perProducer(change.totalRate(), producer.task().producerCount()));
        }
        LOGGER.info("rate changed totalRate={}", change.totalRate());
    }

    private List<ProducerAgent> producers() {
        return host.agents().stream()
                .filter(ProducerAgent.class::isInstance)
                .map(ProducerAgent.class::cast)
                .toList();
    }

    private List<ConsumerAgent> consumers() {
        return host.agents().stream()
                .filter(ConsumerAgent.class::isInstance)
                .map(ConsumerAgent.class::cast)
                .toList();
    }
}
