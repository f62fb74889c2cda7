package io.kbench.controller.run;

import io.kbench.controller.run.RunLifecycle.Action;
import io.kbench.controller.run.RunLifecycle.Event;
import io.kbench.protocol.message.MemberHeartbeat;
import io.kbench.protocol.message.Message;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The shell around a {@link RunLifecycle}: feeds it the interrupt flag, the run's records and the clock, and
 * carries out what it answers (publish, print) until it says the run is finished.
 */
final class RunLoop {

    private final RunChannel channel;
    private final Clock clock;
    private final RunProgress progress;
    private final AtomicBoolean interrupted;
    private final Duration pollInterval;

    RunLoop(RunChannel channel, Clock clock, RunProgress progress, AtomicBoolean interrupted, Duration pollInterval) {
        this.channel = channel;
        this.clock = clock;
        this.progress = progress;
        this.interrupted = interrupted;
        this.pollInterval = pollInterval;
    }

    /** Runs {@code lifecycle} from its start to its end; returns how it ended. */
    Action.Finish run(RunLifecycle lifecycle) {
        Action.Finish finish = execute(lifecycle.on(new Event.Begin(), clock.millis()));
        WorkerWatch workers = new WorkerWatch(lifecycle.assignments(), clock.millis());
        while (finish == null) {
            List<Message> received = channel.poll(pollInterval);
            // An interrupt during the poll comes before what the poll returned: that may be its effect (a
            // terminal's Ctrl-C reaches the agents too, whose exits then arrive as AgentFailed).
            if (interrupted.get()) {
                finish = execute(lifecycle.on(new Event.Interrupt(), clock.millis()));
                if (finish != null) {
                    break;
                }
            }
            for (Message message : received) {
                if (message instanceof MemberHeartbeat beat) {
                    workers.seen(beat, clock.millis());
                    progress.member(beat, clock.millis());
                    if (beat.role() == io.kbench.protocol.message.MemberRole.AGGREGATOR) {
                        lifecycle.on(new Event.AggregatorHealth(beat.memberId(), busy(beat)), clock.millis());
                    }
                    continue;
                }
                finish = execute(lifecycle.on(new Event.Received(message), clock.millis()));
                if (finish != null) {
                    break; // what came after the end is not part of the run
                }
            }
            // A worker killed with its agents leaves no event: its silence in the registry is the event.
            for (Message lost : finish == null ? workers.lost(clock.millis()) : List.<Message>of()) {
                finish = execute(lifecycle.on(new Event.Received(lost), clock.millis()));
                if (finish != null) {
                    break;
                }
            }
            if (finish == null) {
                finish = execute(lifecycle.on(new Event.Tick(), clock.millis()));
            }
            progress.tick();
        }
        return finish;
    }

    /** Rebalancing, restoring or starting: an aggregator that will work again, which the summary waits for. */
    private static boolean busy(MemberHeartbeat beat) {
        return switch (beat.health().state()) {
            case REBALANCING, RESTORING, STARTING -> true;
            case HEALTHY, UNHEALTHY -> false;
        };
    }

    /** Carries out actions in order; returns the Finish among them, if any. */
    private Action.Finish execute(List<Action> actions) {
        Action.Finish finish = null;
        for (Action action : actions) {
            if (action instanceof Action.Publish publish) {
                channel.publish(publish.message());
            } else if (action instanceof Action.Note note) {
                progress.note(note.text());
            } else if (action instanceof Action.ShowPlanned) {
                progress.planned();
            } else if (action instanceof Action.ShowReady ready) {
                progress.ready(ready.count());
            } else if (action instanceof Action.ShowStarted started) {
                progress.started(started.startAt(), started.warmupMs(), started.measureMs());
            } else if (action instanceof Action.ShowWindow window) {
                progress.window(window.window());
            } else if (action instanceof Action.Finish end) {
                finish = end;
            }
        }
        return finish;
    }
}
