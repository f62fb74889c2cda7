package io.kbench.aggregator.run;

import io.kbench.protocol.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Reads and writes {@link RunCheckpoint}s as JSON with the wire mapper (a newer field is ignored on read). */
public final class RunCheckpoints {

    private RunCheckpoints() {}

    public static byte[] write(RunCheckpoint checkpoint) {
        try {
            return Json.WIRE.writeValueAsBytes(checkpoint);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint of run " + checkpoint.runId(), e);
        }
    }

    /**
     * @throws UncheckedIOException when the bytes are not a checkpoint this build can read
     */
    public static RunCheckpoint read(byte[] bytes) {
        try {
            return Json.WIRE.readValue(bytes, RunCheckpoint.class);
        } catch (IOException e) {
            throw new UncheckedIOException("not a run checkpoint: " + e.getMessage(), e);
        }
    }
}
