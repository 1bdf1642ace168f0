package dev.dlx.bench;

import dev.dlx.runtime.train.CpuFeatures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a measurement must name beside its figures: the CPU model and its vector flags (so that
 * figures from AVX2 and AVX-512 machines are never compared), and the load average (other work
 * on the machine).
 */
final class Machine {
    private Machine() {}

    /** "CPU: AMD EPYC, 2 cores; vector flags: avx avx2 ..." from /proc/cpuinfo. */
    static String describe() {
        String model = "unknown";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    model = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "CPU: " + model + ", " + Runtime.getRuntime().availableProcessors() + " cores; vector flags: "
            + CpuFeatures.vectorFlags(CpuFeatures.flags()) + "; load average " + loadAverage();
    }

    /** The 1-, 5- and 15-minute load averages, "3.10 2.05 1.80", or "?" where unknown. */
    static String loadAverage() {
        try {
            String[] p = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return p[0] + " " + p[1] + " " + p[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
