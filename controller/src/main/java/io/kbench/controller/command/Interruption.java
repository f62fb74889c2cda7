package io.kbench.controller.command;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns Ctrl-C (SIGINT, SIGTERM) into a flag the run loop watches, and holds the JVM's shutdown until the
 * command has stopped its agents, written its results and closed what it started (bounded, so a hung close
 * cannot keep the JVM alive).
 */
final class Interruption implements AutoCloseable {

    private static final long MAX_WAIT_SECONDS = 40;

    private final AtomicBoolean interrupted = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;

    private Interruption() {
        hook = new Thread(
                () -> {
                    interrupted.set(true);
                    try {
                        done.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "kbench-interrupt");
    }

    static Interruption install() {
        Interruption interruption = new Interruption();
        Runtime.getRuntime().addShutdownHook(interruption.hook);
        return interruption;
    }

    AtomicBoolean flag() {
        return interrupted;
    }

    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down (Ctrl-C): the hook runs and now returns, letting it exit.
        }
    }
}
