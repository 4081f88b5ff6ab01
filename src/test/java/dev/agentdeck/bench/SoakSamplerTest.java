package dev.agentdeck.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SoakSamplerTest {
    private static String histogram(long intArrayBytes, long stringBytes) {
        return " num     #instances         #bytes  class name (module)\n"
                + "-------------------------------------------------------\n"
                + "   1:          2500   " + intArrayBytes + "  [I (java.base@17.0.15)\n"
                + "   2:         10000   " + stringBytes + "  java.lang.String (java.base@17.0.15)\n"
                + "Total         12500   " + (intArrayBytes + stringBytes) + "\n";
    }

    @Test
    void keepsTheHistogramAfterTheFullyCompactingGcNotTheLastOne() {
        // what one attach with four GC.class_histogram and a GC.heap_info prints: the third GC compacted fully,
        // the others kept dead objects as int[] fillers
        String out = "12345:\n" + histogram(450_264, 240_000) + histogram(556_984, 240_016) + histogram(338_928, 240_032)
                + histogram(366_712, 240_048)
                + " def new generation   total 3072K, used 1200K\n Metaspace       used 17353K, committed 17984K, reserved 1114112K\n";
        SoakSampler.Histogram h = SoakSampler.smallestHistogram(out);
        assertEquals(338_928 + 240_032, h.totalBytes());
        assertEquals(338_928L, h.bytesByClass().get("[I"));
        assertEquals(240_032L, h.bytesByClass().get("java.lang.String"));
    }
}
