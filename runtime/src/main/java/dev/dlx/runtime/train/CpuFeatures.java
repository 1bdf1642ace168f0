package dev.dlx.runtime.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * The vector units this machine's CPU reports (Linux's `/proc/cpuinfo` flags), for what depends
 * on them: `precision bf16` is fast only with bfloat16 units (`avx512_bf16`, or AMX's `amx_bf16`);
 * without them TensorFlow emulates bfloat16 and runs far slower than float32.
 */
public final class CpuFeatures {
    private CpuFeatures() {}

    /** The flags of the first processor in {@code cpuinfo} (empty when it cannot be read). */
    public static Set<String> flags(Path cpuinfo) {
        try {
            for (String line : Files.readAllLines(cpuinfo)) {
                if (!line.startsWith("flags")) continue;
                int colon = line.indexOf(':');
                Set<String> out = new TreeSet<>();
                for (String f : line.substring(colon + 1).trim().split("\\s+")) if (!f.isEmpty()) out.add(f);
                return out;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable
        }
        return Set.of();
    }

    /** This machine's flags. */
    public static Set<String> flags() { return flags(Path.of("/proc/cpuinfo")); }

    /** Whether {@code flags} include bfloat16 arithmetic units. */
    public static boolean bfloat16Units(Set<String> flags) {
        return flags.contains("avx512_bf16") || flags.contains("amx_bf16");
    }

    /** The vector extensions among {@code flags}, for messages and benchmark records: `avx2 avx512f ...`. */
    public static String vectorFlags(Set<String> flags) {
        StringBuilder b = new StringBuilder();
        for (String f : flags) {
            if (f.startsWith("avx") || f.startsWith("amx")) b.append(b.length() == 0 ? "" : " ").append(f);
        }
        return b.length() == 0 ? "none reported" : b.toString();
    }
}
