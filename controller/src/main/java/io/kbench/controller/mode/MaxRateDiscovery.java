package io.kbench.controller.mode;

import io.kbench.protocol.message.Message;
import io.kbench.protocol.message.RateChange;
import io.kbench.protocol.message.WindowSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds the highest total producer rate the cluster sustains, for workloads with {@code producerRate <= 0}.
 *
 * <p>OMB's discovery starts at a guess and nudges the rate by its publish-delay; its users report it settling
 * above what producers achieve or collapsing to tiny rates. This one measures first, then holds:
 *
 * <ol>
 *   <li><b>Probe.</b> Producers start unthrottled, and stay so through the warm-up but its last window (which
 *       settles the held rate): the warm-up is where the JIT compilers finish, and a rate read while they
 *       still compile is not the producers' (bench/README.md §1d). After the first window
 *       (ramp-up), the last {@value #PROBE_WINDOWS} windows give the median publish rate and, with consumers, the
 *       median consume rate. The sustainable
 *       estimate is the smaller: a rate consumers cannot follow only builds a backlog. While the newest probe
 *       window is more than {@value #PROBE_RISING_PERCENT} % above the median of the last {@value #PROBE_WINDOWS}
 *       (the agents' JVMs still compiling their hot paths: 412 k, 580 k, 734 k msg/s in three 5 s windows), the
 *       probe goes on, over the last {@value #PROBE_WINDOWS} windows, up to {@value #MAX_PROBE_WINDOWS} windows
 *       and a quarter of the run's: an estimate taken while the producers still speed up holds the rate below
 *       what they reach, and the rate then climbs back only window by window.
 *   <li><b>Hold.</b> The rate is set to {@value #START_FRACTION} of the estimate. Each window after a change
 *       has settled is judged: the producers fell short of the asked rate (achieved &lt; 97 %), or the backlog grew
 *       by more than 2 % of the rate per second, for two windows running → lower the rate 5 % (to just under what
 *       was achieved when producers fell short). One short window is a stall the producers catch up on in the
 *       next (their schedule keeps every message's intended time): a collection or the broker's log roll, not a
 *       rate they cannot sustain. A stall can span two windows too; then the producers, lowered to what the
 *       stalled windows achieved, catch up on the messages they owe faster than the new rate: a window after such
 *       a cut that publishes more than {@value #CAUGHT_UP_PERCENT} % above the asked rate shows they can, and the
 *       cut is undone (producers that cannot sustain the rate owe messages too, but catch up at the little their
 *       capacity leaves above the lowered rate, ~2 %). Three good windows in a row → raise it 2 %, and by 2 %
 *       more with each rise in a row (up to {@value #MAX_RISE_MULTIPLE} times, 8 %), with no ceiling but what the
 *       windows keep up with: a probe during the agents' and the broker's JIT compilation read 206 k msg/s where
 *       the same host later kept up with more, and a ceiling of 110 % of the estimate with 2 % per four windows
 *       held it there. Steps shrink each time the direction flips,
 *       and rises start again at 2 %, so the rate settles instead of swinging.
 * </ol>
 *
 * <p>The discovered rate is the mean asked rate over the last 30 s of the run; the trace of every decision goes
 * into the result.
 */
public final class MaxRateDiscovery implements RunPlaybook {

    static final int PROBE_WINDOWS = 3;
    /** The most probe windows, when the producers keep speeding up. */
    static final int MAX_PROBE_WINDOWS = 8;
    /** A probe window this far above the median of the last {@value #PROBE_WINDOWS} means still speeding up. */
    static final int PROBE_RISING_PERCENT = 5;

    /**
     * A window after a cut for producers falling short that publishes this much above the asked rate shows that
     * the producers catch up on what a stall left them owing: the cut is undone.
     */
    static final int CAUGHT_UP_PERCENT = 10;

    /** Windows after such a cut in which catching up undoes it: the settling window and the next two. */
    static final int CATCH_UP_WINDOWS = 3;

    /** Rises in a row grow up to this many times the first (2 %, then 4 %, 6 %, 8 %). */
    static final int MAX_RISE_MULTIPLE = 4;

    static final double START_FRACTION = 0.95;
    /** Backlog growth per second, as a share of the rate, that counts as consumers falling behind. */
    static final double BACKLOG_TOLERANCE = 0.02;

    /**
     * Windows before a rate can be reported: one of ramp-up, {@value #PROBE_WINDOWS} of probe, one settling at the
     * held rate and one judged at it.
     */
    static final int MINIMUM_WINDOWS = 1 + PROBE_WINDOWS + 1 + 1;

    private final int producers;
    private final boolean consumers;
    private final long measureMs;
    private final int windowSeconds;
    /** Probe windows allowed: {@value #PROBE_WINDOWS}, more while rising, within a quarter of the run's windows. */
    private final int maxProbeWindows;
    /**
     * Windows (ramp-up included) the probe takes at least: the warm-up's but its last, which settles the held rate
     * before the measurement.
     */
    private final int warmupProbeWindows;

    private int judgedWindows;
    private final List<Double> probePublish = new ArrayList<>();
    private final List<Double> probeConsume = new ArrayList<>();
    private final List<Map<String, Object>> trace = new ArrayList<>();
    private final News news = new News();

    private int windowsSeen;
    private double estimate;
    /** Rises since the last fall. */
    private int risesInARow;

    private double rate;
    private double step = 0.05;
    private int lastDirection;
    private boolean settling;
    /** Windows waited for after the probe, while its buffered messages are still being acknowledged. */
    private int flushWindows;

    private boolean probeFlushPending = true;
    private static final int MAX_FLUSH_WINDOWS = 3;
    private int goodWindows;
    private int backlogWindows;
    /** Judged windows in a row, at the rate now asked, in which the producers fell short; their publish rates' sum. */
    private int shortWindows;

    private double shortPublished;
    private Long previousBacklog;
    /** The rate, step and direction before the last cut for producers falling short, while it may be undone. */
    private double rateBeforeCut;

    private double stepBeforeCut;
    private int directionBeforeCut;
    /** Windows seen since that cut. */
    private int windowsSinceCut;

    MaxRateDiscovery(int producers, boolean consumers, long measureMs) {
        this(producers, consumers, measureMs, 10, measureMs);
    }

    /**
     * @param runMs warm-up and measurement: the windows the playbook sees, of which the probe may take a quarter
     */
    MaxRateDiscovery(int producers, boolean consumers, long measureMs, int windowSeconds, long runMs) {
        this.producers = producers;
        this.consumers = consumers;
        this.measureMs = measureMs;
        this.windowSeconds = windowSeconds;
        long windowMs = Math.max(windowSeconds, 1) * 1000L;
        long runWindows = runMs / windowMs;
        this.maxProbeWindows = (int) Math.max(PROBE_WINDOWS, Math.min(MAX_PROBE_WINDOWS, runWindows / 4));
        this.warmupProbeWindows = (int) Math.max(0, (runMs - measureMs) / windowMs - 1);
    }

    /**
     * The shortest warm-up plus measurement that can find a rate: the playbook sees every window from the start
     * barrier on (warm-up included) and needs {@link #MINIMUM_WINDOWS} of them.
     */
    public static long minimumSeconds(int windowSeconds) {
        return (long) MINIMUM_WINDOWS * windowSeconds;
    }

    /** A warning for a run too short to find a rate (printed before it starts), or empty. */
    public static java.util.Optional<String> tooShort(io.kbench.protocol.message.Workload w) {
        long seconds = w.warmupDuration().toSeconds() + w.testDuration().toSeconds();
        long needed = minimumSeconds(w.statsWindowSeconds());
        if (!w.discoversMaxRate() || seconds >= needed) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("workload '" + w.name() + "' asks for max-rate discovery (producerRate 0) but "
                + "runs " + seconds + " s of warm-up and measurement; " + requirement(w.statsWindowSeconds())
                + ", so this run will report no rate");
    }

    private static String requirement(int windowSeconds) {
        return String.format(
                Locale.ROOT,
                "max-rate discovery needs at least %d s of warm-up and measurement with statsWindowSeconds %d "
                        + "(a ramp-up window, %d probe windows, a settling window and a judged one)",
                minimumSeconds(windowSeconds),
                windowSeconds,
                PROBE_WINDOWS);
    }

    @Override
    public long agentMeasureMs() {
        return measureMs;
    }

    @Override
    public List<Message> onWindow(WindowSummary w, long now) {
        windowsSeen++;
        double published = w.rates().publishRate();
        double consumed = w.rates().consumeRate();
        long backlogGrowth = previousBacklog == null ? 0 : w.backlog() - previousBacklog;
        previousBacklog = w.backlog();
        double seconds = Math.max((w.windowEnd() - w.windowStart()) / 1000.0, 1e-3);
        List<Message> out = new ArrayList<>();
        if (estimate == 0) {
            if (windowsSeen > 1) { // the first window holds the ramp-up
                probePublish.add(published);
                probeConsume.add(consumed);
            }
            if (windowsSeen < warmupProbeWindows) {
                // The warm-up is for the JIT compilers to finish: probed during it, the producers (and the broker,
                // when it shares the host) are still compiling, and a rate read early caps what is held.
                record(w, published, consumed, "probe: warm-up");
                return out;
            }
            if (probePublish.size() >= PROBE_WINDOWS
                    && probePublish.size() < maxProbeWindows
                    && (rising(probePublish) || (consumers && rising(probeConsume)))) {
                record(w, published, consumed, "probe: still speeding up");
                news.say(
                        "probe: producers still speeding up (%,.0f msg/s%s); probing on",
                        published, consumers ? String.format(Locale.ROOT, ", consumers %,.0f", consumed) : "");
                return out;
            }
            if (probePublish.size() >= PROBE_WINDOWS) {
                double pub = median(lastProbes(probePublish));
                double cons = median(lastProbes(probeConsume));
                estimate = consumers ? Math.min(pub, cons) : pub;
                rate = estimate * START_FRACTION;
                settling = true;
                out.add(new RateChange(rate));
                news.say(
                        "probe: producers reach %,.0f msg/s unthrottled%s; holding at %,.0f msg/s",
                        pub, consumers ? String.format(Locale.ROOT, ", consumers %,.0f", cons) : "", rate);
            }
            record(w, published, consumed, "probe");
            return out;
        }
        if (rateBeforeCut > 0 && ++windowsSinceCut > CATCH_UP_WINDOWS) {
            rateBeforeCut = 0; // caught up at the lowered rate, or never: the cut stands
        }
        if (rateBeforeCut > 0 && published > rate * (1 + CAUGHT_UP_PERCENT / 100.0)) {
            // The producers owe messages only for time they were asked for more than they sent: sending this far
            // above the asked rate, they show the windows that cut it were a stall, not their limit.
            String decision = String.format(
                    Locale.ROOT, "up: producers caught up at %,.0f msg/s, the short windows were a stall", published);
            rate = rateBeforeCut;
            step = stepBeforeCut;
            lastDirection = directionBeforeCut;
            resetJudgement();
            out.add(new RateChange(rate));
            record(w, published, consumed, decision);
            news.say("rate back up to %,.0f msg/s (producers caught up at %,.0f msg/s: a stall)", rate, published);
            return out;
        }
        if (settling) { // this window mixes the old rate and the new one
            settling = false;
            record(w, published, consumed, "settle");
            return out;
        }
        // After the unthrottled probe the producers' buffers still hold seconds of warm-up messages: the first paced
        // messages are acknowledged only behind them, and they count in the measurement only once acknowledged
        // (a message counts in the phase of its intended time). A window with almost nothing acknowledged yet is
        // that queue draining, not producers falling short: wait, a few windows at most.
        if (flushWindows < MAX_FLUSH_WINDOWS && published < rate * 0.5 && probeFlushPending) {
            flushWindows++;
            record(w, published, consumed, "settle: the probe's queue drains");
            return out;
        }
        probeFlushPending = false;
        judgedWindows++;
        boolean shortNow = published < rate * 0.97;
        shortWindows = shortNow ? shortWindows + 1 : 0;
        shortPublished = shortNow ? shortPublished + published : 0;
        boolean producersShort = shortWindows >= 2;
        boolean backlogGrows = consumers && backlogGrowth / seconds > rate * BACKLOG_TOLERANCE;
        backlogWindows = backlogGrows ? backlogWindows + 1 : 0;
        String decision = shortNow && !producersShort ? "hold: producers short for one window" : "hold";
        if (producersShort || backlogWindows >= 2) {
            double target = producersShort
                    ? Math.min(rate * (1 - step), shortPublished / shortWindows * 0.98) // just under what they achieved
                    : rate * (1 - step);
            double before = rate;
            double stepBefore = step;
            int directionBefore = lastDirection;
            change(-1, target);
            if (producersShort) {
                rateBeforeCut = before;
                windowsSinceCut = 0;
                stepBeforeCut = stepBefore;
                directionBeforeCut = directionBefore;
            }
            decision = producersShort ? "down: producers short" : "down: backlog grows";
            out.add(new RateChange(rate));
        } else if (shortNow) {
            goodWindows = 0; // not a good window: no rise on it
        } else if (++goodWindows >= 3) {
            int multiple = Math.min(risesInARow + 1, MAX_RISE_MULTIPLE);
            double target = rate * (1 + step * 0.4 * multiple);
            if (target > rate * 1.001) {
                change(+1, target);
                risesInARow++;
                decision = "up";
                out.add(new RateChange(rate));
            }
        }
        record(w, published, consumed, decision);
        if (!out.isEmpty()) {
            news.say("rate %s to %,.0f msg/s (%s)", decision.startsWith("up") ? "up" : "down", rate, decision);
        }
        return out;
    }

    private void change(int direction, double target) {
        if (lastDirection != 0 && direction != lastDirection) {
            step = Math.max(step / 2, 0.01); // a flip means we are near the edge: smaller steps
        }
        if (direction < 0) {
            risesInARow = 0;
        }
        lastDirection = direction;
        rate = Math.max(target, 1.0);
        resetJudgement();
    }

    /** After a change of the asked rate: judging starts again, and no earlier cut can be undone. */
    private void resetJudgement() {
        goodWindows = 0;
        backlogWindows = 0;
        shortWindows = 0;
        shortPublished = 0;
        rateBeforeCut = 0;
        settling = true;
    }

    private void record(WindowSummary w, double published, double consumed, String decision) {
        Map<String, Object> point = new LinkedHashMap<>();
        point.put("windowEnd", w.windowEnd());
        point.put("askedRate", estimate == 0 ? null : rate);
        point.put("publishRate", published);
        point.put("consumeRate", consumed);
        point.put("backlog", w.backlog());
        point.put("decision", decision);
        trace.add(point);
    }

    /**
     * The rate found: the mean asked rate over the last 30 s of windows; {@code null} when no window was judged at
     * a held rate (the run was too short), never a misleading 0.
     */
    public Double discoveredRate() {
        if (trace.isEmpty() || estimate == 0 || judgedWindows == 0) {
            return null;
        }
        long end = (long) trace.get(trace.size() - 1).get("windowEnd");
        return trace.stream()
                .filter(p -> p.get("askedRate") != null && (long) p.get("windowEnd") > end - 30_000)
                .mapToDouble(p -> (double) p.get("askedRate"))
                .average()
                .orElse(rate);
    }

    /** Largest relative swing of the asked rate over the last 30 s. */
    double swingLast30s() {
        long end = trace.isEmpty() ? 0 : (long) trace.get(trace.size() - 1).get("windowEnd");
        double[] asked = trace.stream()
                .filter(p -> p.get("askedRate") != null && (long) p.get("windowEnd") > end - 30_000)
                .mapToDouble(p -> (double) p.get("askedRate"))
                .toArray();
        if (asked.length == 0) {
            return 0;
        }
        double min = java.util.Arrays.stream(asked).min().orElse(0);
        double max = java.util.Arrays.stream(asked).max().orElse(0);
        return max == 0 ? 0 : (max - min) / max;
    }

    double rate() {
        return rate;
    }

    double estimate() {
        return estimate;
    }

    @Override
    public List<String> news() {
        return news.drain();
    }

    @Override
    public Map<String, Object> extras() {
        Map<String, Object> extras = new LinkedHashMap<>();
        Double found = discoveredRate();
        extras.put("discoveredRate", found);
        if (found == null) {
            extras.put("notice", "no rate was found: the run was too short; " + requirement(windowSeconds));
        }
        Map<String, Object> discovery = new LinkedHashMap<>();
        discovery.put("minimumSeconds", minimumSeconds(windowSeconds));
        discovery.put("windowsJudged", judgedWindows);
        discovery.put("producers", producers);
        discovery.put("unthrottledEstimate", estimate);
        discovery.put("swingLast30s", swingLast30s());
        discovery.put("trace", trace);
        extras.put("maxRateDiscovery", discovery);
        return extras;
    }

    /** The last {@value #PROBE_WINDOWS} probe windows' rates. */
    private static List<Double> lastProbes(List<Double> rates) {
        return rates.subList(Math.max(rates.size() - PROBE_WINDOWS, 0), rates.size());
    }

    /** Whether the newest probe window is well above the median of the last {@value #PROBE_WINDOWS}. */
    private static boolean rising(List<Double> rates) {
        List<Double> last = lastProbes(rates);
        return last.get(last.size() - 1) > median(last) * (1 + PROBE_RISING_PERCENT / 100.0);
    }

    private static double median(List<Double> values) {
        double[] sorted =
                values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
