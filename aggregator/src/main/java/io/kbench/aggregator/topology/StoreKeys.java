package io.kbench.aggregator.topology;

/**
 * Key layout of the run store. One store holds, per run: a checkpoint ({@code c}), the metrics topic's offset a
 * restarted task replays the run's reports from ({@code o}, 8 bytes), the log of reports waiting for the run's
 * control records ({@code l}, raw envelope bytes as received), the windows already published ({@code w}), and after
 * the summary a finished marker ({@code d}) that makes late records of the run ignored. The separator is the
 * ASCII unit separator, which no run id, agent id or number contains, so a prefix scan finds one run's keys.
 */
final class StoreKeys {

    static final char SEP = '\u001f';
    static final String CHECKPOINT = "c";
    static final String LOG = "l";
    static final String WINDOW = "w";
    static final String FINISHED = "d";
    static final String REPLAY_FROM = "o";

    private StoreKeys() {}

    static String checkpoint(String runId) {
        return CHECKPOINT + SEP + runId;
    }

    static String replayFrom(String runId) {
        return REPLAY_FROM + SEP + runId;
    }

    static String finished(String runId) {
        return FINISHED + SEP + runId;
    }

    /** Zero-padded seq so an agent's reports sort in order. */
    static String log(String runId, String agentId, long seq) {
        return LOG + SEP + runId + SEP + agentId + SEP + padded(seq);
    }

    static String window(String runId, long windowStart) {
        return WINDOW + SEP + runId + SEP + padded(windowStart);
    }

    /**
     * {@code String.format("%020d", value)} for the values keys hold (non-negative), without the formatter: a log
     * key is built for every report.
     */
    static String padded(long value) {
        if (value < 0) {
            return String.format("%020d", value);
        }
        String digits = Long.toString(value);
        return "0".repeat(20 - digits.length()) + digits;
    }

    /** The prefix of every key of one kind ({@link #LOG}…) of one run. */
    static String prefix(String kind, String runId) {
        return kind + SEP + runId + SEP;
    }

    /** The prefix of every key of one kind. */
    static String prefix(String kind) {
        return kind + SEP;
    }

    /** The run id of any key. */
    static String runIdOf(String key) {
        int first = key.indexOf(SEP);
        int second = key.indexOf(SEP, first + 1);
        return second < 0 ? key.substring(first + 1) : key.substring(first + 1, second);
    }
}
