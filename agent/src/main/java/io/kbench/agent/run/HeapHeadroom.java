package io.kbench.agent.run;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How freely this JVM's heap grows: roomy while any of its producers runs unthrottled or any of its consumers reads a
 * backlog, the JVM's defaults otherwise.
 *
 * <p>Why: an unthrottled producer fills {@code buffer.memory} and keeps it full, so everything Kafka holds per
 * in-flight record (its future, callbacks, the batch buffers) stays live for the whole queueing delay — about
 * 110 MB at 100-byte records with the default 32 MB buffer. Under the JVM's default heap sizing (grow until 40 %
 * is free after a collection, shrink above 70 %) the heap stays at about twice that live set, and the serial
 * collector then spent 37 % of the producer's CPU in pauses (48 full collections of ~100 ms in 20 s): the
 * producer's rate was its collector's, and max-rate discovery, which estimates from the unthrottled windows and
 * never asks above 110 % of the estimate, found that rate. With {@value #ROOMY_MIN_FREE} % free after a collection
 * the heap grows to about five times the live set (within {@code -Xmx}; the worker daemon gives agents up to 1 GB),
 * and side by side with the previous build the same producer sent 1.12–1.20 M instead of 0.85–0.92 M msg/s at 1.12
 * instead of 1.41 µs of CPU per message (bench/README.md §1).
 *
 * <p>A consumer reading a backlog (a drain, or a consumer that fell behind) is the same case from the other side: every
 * fetch brings up to {@code max.partition.fetch.bytes} per partition, buffers larger than the young generation of a
 * heap that starts at 16 MB, so they go straight to the old one, and the default sizing kept such a consumer's heap
 * at about 30 MB: in a 10 s drain each of four consumer JVMs ran ~30 full collections and was paused 2.9 s — the
 * drain rate was partly the collectors' (bench/README.md §8).
 *
 * <p>Both ratios are manageable flags, read by the collector whenever it resizes the heap, so they can change while
 * the JVM runs. A throttled producer or a consumer that keeps up keeps the defaults: at a fixed rate the in-flight
 * set is small, and five times the live set would cost the memory that many agents on one host share. When the JVM
 * was started with either ratio set, they are the user's and this class leaves them alone.
 */
public final class HeapHeadroom {

    private static final Logger LOGGER = LoggerFactory.getLogger(HeapHeadroom.class);

    /** {@code MinHeapFreeRatio} while roomy: the heap grows until this share of it is free after a collection. */
    public static final int ROOMY_MIN_FREE = 80;

    /** {@code MaxHeapFreeRatio} while roomy (must stay at or above the minimum). */
    public static final int ROOMY_MAX_FREE = 90;

    static final String MIN_FREE = "MinHeapFreeRatio";
    static final String MAX_FREE = "MaxHeapFreeRatio";

    private final HotSpotDiagnosticMXBean bean;
    /** The ratios to go back to, as the JVM started; null when they are not this class's to change. */
    private final String[] defaults;

    private int roomyHolders;

    HeapHeadroom(HotSpotDiagnosticMXBean bean) {
        this.bean = bean;
        this.defaults = managedDefaults(bean);
    }

    /** This JVM's; made at the first call, so a JVM without unthrottled producers never asks for the bean. */
    public static HeapHeadroom jvm() {
        return Holder.JVM;
    }

    private static final class Holder {
        static final HeapHeadroom JVM = new HeapHeadroom(diagnosticBean());
    }

    /** The JVM options that give a JVM from its start the heap sizing an unthrottled producer asks for. */
    public static List<String> roomyJvmOptions() {
        return List.of("-XX:MinHeapFreeRatio=" + ROOMY_MIN_FREE, "-XX:MaxHeapFreeRatio=" + ROOMY_MAX_FREE);
    }

    private static HotSpotDiagnosticMXBean diagnosticBean() {
        try {
            return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        } catch (RuntimeException | LinkageError e) {
            return null; // not a HotSpot JVM: the heap keeps its sizing
        }
    }

    private static String[] managedDefaults(HotSpotDiagnosticMXBean bean) {
        if (bean == null) {
            return null;
        }
        try {
            VMOption min = bean.getVMOption(MIN_FREE);
            VMOption max = bean.getVMOption(MAX_FREE);
            if (min.getOrigin() != VMOption.Origin.DEFAULT || max.getOrigin() != VMOption.Origin.DEFAULT) {
                LOGGER.info(
                        "heap free ratios set at the JVM's start ({}={}, {}={}): unthrottled producers keep them",
                        MIN_FREE,
                        min.getValue(),
                        MAX_FREE,
                        max.getValue());
                return null;
            }
            if (!min.isWriteable() || !max.isWriteable()) {
                return null;
            }
            return new String[] {min.getValue(), max.getValue()};
        } catch (IllegalArgumentException e) {
            return null; // a JVM without these flags
        }
    }

    /** Whether this JVM's heap ratios are this class's to change (the JVM was started without them). */
    public boolean managed() {
        return defaults != null;
    }

    /**
     * Holds or releases this JVM's headroom for one agent as its need changes; asks for the JVM's instance only when
     * something changes.
     *
     * @param held whether the agent holds it now
     * @param wanted whether it needs it now
     * @param why what the agent is doing, for the log ("an unthrottled producer", "a consumer reading a backlog")
     * @return whether the agent holds it after the call ({@code wanted})
     */
    public static boolean change(boolean held, boolean wanted, String why) {
        if (wanted && !held) {
            jvm().hold(why);
        } else if (!wanted && held) {
            jvm().release(why);
        }
        return wanted;
    }

    /** One more agent of this JVM needs room (see {@link #change}): the heap grows roomily until every such one is done. */
    public synchronized void hold(String why) {
        if (roomyHolders++ == 0 && defaults != null) {
            // The minimum may never exceed the maximum, so the maximum rises first.
            set(MAX_FREE, String.valueOf(ROOMY_MAX_FREE));
            set(MIN_FREE, String.valueOf(ROOMY_MIN_FREE));
            LOGGER.info(
                    "{}: the heap grows until {} % of it is free after a collection (was {} %)",
                    why, ROOMY_MIN_FREE, defaults[0]);
        }
    }

    /** An agent that called {@link #hold} needs no room any more, or is done. */
    public synchronized void release(String why) {
        if (roomyHolders <= 0) {
            throw new IllegalStateException("release without hold");
        }
        if (--roomyHolders == 0 && defaults != null) {
            set(MIN_FREE, defaults[0]);
            set(MAX_FREE, defaults[1]);
            LOGGER.info("{} no longer: the heap's sizing is the JVM's default again", why);
        }
    }

    private void set(String flag, String value) {
        try {
            bean.setVMOption(flag, value);
        } catch (IllegalArgumentException | SecurityException e) {
            LOGGER.warn("could not set {}={}: the heap keeps its sizing ({})", flag, value, e.toString());
        }
    }
}
