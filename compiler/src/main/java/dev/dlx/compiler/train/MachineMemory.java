package dev.dlx.compiler.train;

import java.lang.management.ManagementFactory;
import java.util.OptionalLong;

/** The physical memory of this machine, which bounds what TensorFlow can allocate on the CPU. */
public final class MachineMemory {
    private MachineMemory() {}

    /** Total physical memory in bytes; empty when the JVM does not say (not a HotSpot-like JVM, or a restricted one). */
    public static OptionalLong physical() {
        try {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                long total = os.getTotalMemorySize();
                if (total > 0) return OptionalLong.of(total);
            }
        } catch (RuntimeException | LinkageError unavailable) {
            // no management bean: no memory figure, so no warning
        }
        return OptionalLong.empty();
    }
}
