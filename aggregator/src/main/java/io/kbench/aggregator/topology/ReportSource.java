package io.kbench.aggregator.topology;

/**
 * Reads back the metrics topic for a task that restarts: the reports its last owner folded in memory after a run's
 * last checkpoint live only on the topic (the run store keeps no copy of them, and the input offsets committed with
 * the last transaction are past them). {@link RunProcessor} replays them from the checkpoint's input offset up to
 * where the task resumes.
 */
@FunctionalInterface
public interface ReportSource {

    /** One record read back. */
    @FunctionalInterface
    interface Sink {
        void accept(long offset, String key, byte[] value);
    }

    /**
     * Hands {@code sink} every record of {@code partition} of the metrics topic from offset {@code from} (or the
     * partition's first kept record, if that is later) up to, not including, the offset this application resumes
     * at, in order.
     *
     * @return the offset the application resumes at, or -1 when it has none committed (nothing to replay)
     */
    long replay(int partition, long from, Sink sink);

    /** For a topology that never restarts with state (a test driver): any call reads nothing. */
    ReportSource NONE = (partition, from, sink) -> -1;
}
