package io.kbench.worker.testing;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits for a condition by polling it with a deadline (tests never sleep for a fixed time to wait). */
public final class Poll {

    private Poll() {}

    public static <T> T until(Supplier<T> probe, Predicate<T> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T value = probe.get();
        while (!done.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout + "; last value: " + value);
            }
            try {
                Thread.sleep(50); // the poll interval, not a wait for something to happen
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while polling", e);
            }
            value = probe.get();
        }
        return value;
    }

    public static void until(java.util.function.BooleanSupplier condition, Duration timeout) {
        until(condition::getAsBoolean, Boolean::booleanValue, timeout);
    }

    /** A probe that may throw checked exceptions (an admin call). */
    @FunctionalInterface
    public interface Check {
        boolean test() throws Exception;
    }

    public static void untilNoError(Check check, Duration timeout) {
        until(
                () -> {
                    try {
                        return check.test();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new AssertionError("interrupted", e);
                    } catch (Exception e) {
                        return false;
                    }
                },
                timeout);
    }
}
