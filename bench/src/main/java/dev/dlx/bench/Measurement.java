package dev.dlx.bench;

import com.google.gson.Gson;

/**
 * What one measured process reports: how long setup took (graph or model build, outside the epoch),
 * the first training step, the first epoch and its throughput (JIT and allocator warm-up included,
 * as a user's first epoch has them), the throughput of the last epoch (steady state, when more than
 * one ran), test accuracy after training, the process's peak resident memory, and GFLOP/s of the
 * first epoch.
 */
public record Measurement(String system, String workload, double setupSeconds, double firstStepMs, double epochSeconds,
                          double samplesPerSecond, double steadySamplesPerSecond, double testAccuracy, double peakRssMb, double gflops,
                          String note) {
    static final String PREFIX = "RESULT ";
    private static final Gson GSON = new com.google.gson.GsonBuilder().serializeSpecialFloatingPointValues().create();

    public String line() { return PREFIX + GSON.toJson(this); }

    public static Measurement parse(String line) { return GSON.fromJson(line.substring(PREFIX.length()), Measurement.class); }

    /** The process's peak resident set (VmHWM), in MB. */
    public static double processPeakRssMb() {
        try {
            for (String l : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (l.startsWith("VmHWM:")) return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0;
            }
        } catch (java.io.IOException e) {
            // not Linux
        }
        return Double.NaN;
    }

    /** The current resident set (VmRSS), in MB. */
    public static double processRssMb() {
        try {
            for (String l : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0;
            }
        } catch (java.io.IOException e) {
            // not Linux
        }
        return Double.NaN;
    }
}
