package io.kbench.agent.produce;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The record header that carries the produce time for end-to-end latency: name {@value #NAME}, value the time
 * the producer called {@code send}, in epoch <b>microseconds</b>, as 8 bytes big-endian.
 *
 * <p>One instance per producer thread is reused for every record: Kafka copies a record's headers into the
 * batch inside {@code send()} (no interceptors are configured by kbench), so the value can be overwritten for the
 * next record as soon as {@code send} returns. That saves four allocations per message.
 */
public final class ProduceTimestamp implements Headers {

    /** The header name. */
    public static final String NAME = "kbench-ts";

    private final byte[] value = new byte[Long.BYTES];
    private final Header header = new StampHeader();
    private final Header[] array = {header};

    /** Sets the value for the next record. */
    public void set(long epochMicros) {
        for (int i = Long.BYTES - 1; i >= 0; i--) {
            value[i] = (byte) epochMicros;
            epochMicros >>>= 8;
        }
    }

    /** Reads a header value written by {@link #set}; {@link Long#MIN_VALUE} when it is not 8 bytes. */
    public static long decode(byte[] bytes) {
        if (bytes == null || bytes.length != Long.BYTES) {
            return Long.MIN_VALUE;
        }
        long result = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            result = (result << 8) | (bytes[i] & 0xFF);
        }
        return result;
    }

    @Override
    public Headers add(Header header) {
        throw new IllegalStateException(NAME + " headers are read-only");
    }

    @Override
    public Headers add(String key, byte[] value) {
        throw new IllegalStateException(NAME + " headers are read-only");
    }

    @Override
    public Headers remove(String key) {
        throw new IllegalStateException(NAME + " headers are read-only");
    }

    @Override
    public Header lastHeader(String key) {
        return NAME.equals(key) ? header : null;
    }

    @Override
    public Iterable<Header> headers(String key) {
        return NAME.equals(key) ? this : java.util.List.of();
    }

    @Override
    public Header[] toArray() {
        return array;
    }

    @Override
    public Iterator<Header> iterator() {
        return new Iterator<>() {
            private boolean done;

            @Override
            public boolean hasNext() {
                return !done;
            }

            @Override
            public Header next() {
                if (done) {
                    throw new NoSuchElementException();
                }
                done = true;
                return header;
            }
        };
    }

    private final class StampHeader implements Header {
        @Override
        public String key() {
            return NAME;
        }

        @Override
        public byte[] value() {
            return value;
        }
    }
}
