package io.kbench.agent.run;

import io.kbench.agent.stats.AgentStats;
import io.kbench.protocol.message.AgentRole;
import io.kbench.protocol.message.AgentTask;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated client on its own thread: connect, report readiness, run the load until asked to stop, close its
 * client. Subclasses: the producer and the consumer agents.
 *
 * <p>Lifecycle: {@link #start()} → {@link #metadataReady()} → {@link #ready()} → load → {@link #requestStop()} →
 * {@link #awaitClosed}. A fatal error completes {@link #failure()} with a reason naming the agent and the cause.
 */
public abstract class LoadAgent<T extends AgentTask> {

    private static final Logger LOGGER = LoggerFactory.getLogger(LoadAgent.class);

    protected final T task;
    protected final AgentStats stats;
    private final CompletableFuture<Void> metadataReady = new CompletableFuture<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final CompletableFuture<String> failure = new CompletableFuture<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Object stopLock = new Object();
    private final Duration closeTimeout;
    private volatile boolean stopRequested;
    private volatile String waitingFor = "start";
    /** {@link System#nanoTime()} when this agent's thread began to connect; 0 until then. */
    private volatile long connectingSince;

    private boolean closing;
    private Thread thread;

    protected LoadAgent(T task, Duration closeTimeout) {
        this.task = task;
        this.stats = new AgentStats(task.role());
        this.closeTimeout = closeTimeout;
    }

    public final String agentId() {
        return task.agentId();
    }

    public final AgentRole role() {
        return task.role();
    }

    public final T task() {
        return task;
    }

    public final AgentStats stats() {
        return stats;
    }

    /** Completes when the agent has its topic metadata: the cluster under test answers. */
    public final CompletableFuture<Void> metadataReady() {
        return metadataReady;
    }

    /** Completes when the agent can start its load at once (consumers: partitions assigned). */
    public final CompletableFuture<Void> ready() {
        return ready;
    }

    /** Completes with a reason when the agent fails; never completes on a requested stop. */
    public final CompletableFuture<String> failure() {
        return failure;
    }

    /**
     * Milliseconds since this agent's thread began to connect (first asked for metadata), or -1 when it has not
     * yet run: on a host where many agent JVMs start at once, a thread may get its first turn late, and a wait
     * for the cluster counts from then.
     */
    public final long connectingForMs() {
        long since = connectingSince;
        return since == 0 ? -1 : (System.nanoTime() - since) / 1_000_000L;
    }

    /** What the agent is waiting for right now, for a timeout's message. */
    public final String waitingFor() {
        return waitingFor;
    }

    protected final void waitingFor(String what) {
        this.waitingFor = what;
    }

    protected final boolean stopRequested() {
        return stopRequested;
    }

    protected final void markMetadataReady() {
        metadataReady.complete(null);
    }

    protected final void markReady() {
        metadataReady.complete(null);
        ready.complete(null);
        waitingFor = "nothing (running)";
    }

    public final synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = new Thread(this::runAgent, "kbench-" + role().name().toLowerCase() + "-" + agentId());
        thread.start();
    }

    /** Closes the client of an agent whose thread was never started (another agent's setup failed). */
    public final synchronized void closeIfNeverStarted() {
        if (thread != null) {
            return;
        }
        thread = Thread.currentThread(); // from now on start() does nothing
        try {
            closeClient(Duration.ZERO);
        } catch (RuntimeException e) {
            LOGGER.warn("closing client failed agent={} error={}", agentId(), e.toString());
        }
        closed.countDown();
    }

    private void runAgent() {
        try {
            long now = System.nanoTime();
            connectingSince = now == 0 ? 1 : now;
            connect();
            markReady();
            runLoad();
        } catch (InterruptException | WakeupException e) {
            if (!stopRequested) {
                fail(e);
            }
        } catch (InterruptedException e) {
            if (!stopRequested) {
                fail(e);
            }
        } catch (RuntimeException | Error e) {
            fail(e);
        } finally {
            synchronized (stopLock) {
                closing = true;
            }
            // A stop's interrupt must not cut short the close, which waits for in-flight acknowledgements.
            Thread.interrupted();
            try {
                closeClient(closeTimeout);
            } catch (RuntimeException e) {
                LOGGER.warn("closing client failed agent={} error={}", agentId(), e.toString());
            }
            IllegalStateException stopped = new IllegalStateException(agentId() + " stopped before it was ready");
            metadataReady.completeExceptionally(stopped);
            ready.completeExceptionally(stopped);
            closed.countDown();
        }
    }

    private void fail(Throwable e) {
        String reason = agentId() + " (" + role().name().toLowerCase() + ") failed while waiting for " + waitingFor
                + ": " + e.getClass().getSimpleName() + ": " + e.getMessage();
        LOGGER.error("agent failed agent={} reason={}", agentId(), reason, e);
        IllegalStateException cause = new IllegalStateException(reason, e);
        metadataReady.completeExceptionally(cause);
        ready.completeExceptionally(cause);
        failure.complete(reason);
    }

    /** Asks the agent to stop; it closes its client and ends. Idempotent, any thread. */
    public final void requestStop() {
        synchronized (stopLock) {
            if (stopRequested) {
                return;
            }
            stopRequested = true;
            if (!closing && thread != null) {
                onStopRequested(thread);
            }
        }
    }

    /**
     * Wakes the agent's thread from whatever blocks it; called once, before the close. Producers interrupt (a send
     * blocked on a full buffer), consumers call {@code wakeup()}.
     */
    protected abstract void onStopRequested(Thread agentThread);

    /** Creates the client and waits for metadata and readiness; blocks. */
    protected abstract void connect() throws InterruptedException;

    /** Runs the load until {@link #stopRequested()}. */
    protected abstract void runLoad() throws InterruptedException;

    /** Closes the client, waiting at most {@code timeout} for in-flight work. */
    protected abstract void closeClient(Duration timeout);

    public final boolean awaitClosed(long timeoutMs) throws InterruptedException {
        return closed.await(timeoutMs, TimeUnit.MILLISECONDS);
    }
}
