package io.kbench.agent.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * The heap sizing an unthrottled producer asks of its JVM: set on the test's own JVM through HotSpot's diagnostic
 * bean (the flags the collector reads), back to what it was when the last holder lets go.
 */
class HeapHeadroomTest {

    private static final HotSpotDiagnosticMXBean BEAN =
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);

    private static String flag(String name) {
        return BEAN.getVMOption(name).getValue();
    }

    @Test
    void holdersMakeTheHeapRoomyAndTheLastReleaseRestoresTheJvmsRatios() {
        String min = flag(HeapHeadroom.MIN_FREE);
        String max = flag(HeapHeadroom.MAX_FREE);
        HeapHeadroom headroom = new HeapHeadroom(BEAN);
        assertTrue(headroom.managed(), "surefire's JVM starts with the default ratios");

        headroom.hold("test");
        headroom.hold("test"); // a second unthrottled producer in the same JVM
        assertEquals(String.valueOf(HeapHeadroom.ROOMY_MIN_FREE), flag(HeapHeadroom.MIN_FREE));
        assertEquals(String.valueOf(HeapHeadroom.ROOMY_MAX_FREE), flag(HeapHeadroom.MAX_FREE));

        headroom.release("test");
        assertEquals(String.valueOf(HeapHeadroom.ROOMY_MIN_FREE), flag(HeapHeadroom.MIN_FREE), "one still holds");

        headroom.release("test");
        assertEquals(min, flag(HeapHeadroom.MIN_FREE));
        assertEquals(max, flag(HeapHeadroom.MAX_FREE));
        assertThrows(IllegalStateException.class, () -> headroom.release("test"));
    }

    @Test
    void theRoomyJvmOptionsAreTheRatiosItSets() {
        assertEquals(
                List.of(
                        "-XX:MinHeapFreeRatio=" + HeapHeadroom.ROOMY_MIN_FREE,
                        "-XX:MaxHeapFreeRatio=" + HeapHeadroom.ROOMY_MAX_FREE),
                HeapHeadroom.roomyJvmOptions());
        assertTrue(HeapHeadroom.ROOMY_MIN_FREE <= HeapHeadroom.ROOMY_MAX_FREE);
    }

    @Test
    void ratiosGivenAtTheJvmsStartAreTheUsersAndStayAsTheyAre() {
        // A JVM started with -XX:MinHeapFreeRatio=30: the bean reports the flag's origin as the command line.
        RecordingBean bean = new RecordingBean(VMOption.Origin.VM_CREATION);
        HeapHeadroom headroom = new HeapHeadroom(bean);
        assertFalse(headroom.managed());
        headroom.hold("test");
        headroom.release("test");
        assertEquals(Map.of(), bean.set, "nothing was changed");
    }

    @Test
    void aJvmWithoutTheFlagsOrTheBeanIsLeftAsItIs() {
        assertFalse(new HeapHeadroom(null).managed());
        HeapHeadroom headroom = new HeapHeadroom(null);
        headroom.hold("test");
        headroom.release("test");
    }

    /** A JVM whose ratios came from elsewhere than the defaults; records what would be set. */
    private static final class RecordingBean implements HotSpotDiagnosticMXBean {
        private final VMOption.Origin origin;
        final Map<String, String> set = new HashMap<>();

        RecordingBean(VMOption.Origin origin) {
            this.origin = origin;
        }

        @Override
        public VMOption getVMOption(String name) {
            return new VMOption(name, "30", true, origin);
        }

        @Override
        public void setVMOption(String name, String value) {
            set.put(name, value);
        }

        @Override
        public void dumpHeap(String outputFile, boolean live) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<VMOption> getDiagnosticOptions() {
            return List.of();
        }

        @Override
        public ObjectName getObjectName() {
            return null;
        }
    }
}
