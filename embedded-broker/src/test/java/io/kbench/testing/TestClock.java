package io.kbench.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that moves only when a test moves it, in UTC. Shared by every module's tests through this module's
 * test-jar, which they all use already.
 */
public final class TestClock extends Clock {

    private volatile long millis;

    public TestClock(long epochMillis) {
        this.millis = epochMillis;
    }

    public TestClock(Instant now) {
        this(now.toEpochMilli());
    }

    public void set(long epochMillis) {
        millis = epochMillis;
    }

    public void advance(long deltaMillis) {
        millis += deltaMillis;
    }

    public void advance(Duration delta) {
        advance(delta.toMillis());
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** The same clock: a test clock has one zone. */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
