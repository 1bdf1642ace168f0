package dev.dlx.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the CPU's flags: bfloat16 units are `avx512_bf16` or `amx_bf16`, and AVX2 alone has none. */
class CpuFeaturesTest {
    @TempDir Path dir;

    private Set<String> flagsOf(String cpuinfo) throws Exception {
        Path f = dir.resolve("cpuinfo");
        Files.writeString(f, cpuinfo);
        return CpuFeatures.flags(f);
    }

    @Test
    void anAvx2CpuHasNoBfloat16Units() throws Exception {
        Set<String> flags = flagsOf("processor\t: 0\nmodel name\t: AMD EPYC\nflags\t\t: fpu sse2 avx f16c avx2 fma\n\nprocessor\t: 1\nflags\t\t: fpu\n");
        assertEquals(Set.of("fpu", "sse2", "avx", "f16c", "avx2", "fma"), flags, "the first processor's flags");
        assertFalse(CpuFeatures.bfloat16Units(flags));
        assertEquals("avx avx2", CpuFeatures.vectorFlags(flags));
    }

    @Test
    void avx512Bf16OrAmxAreBfloat16Units() throws Exception {
        Set<String> avx512 = flagsOf("flags\t: avx2 avx512f avx512bw avx512_vnni avx512_bf16\n");
        assertTrue(CpuFeatures.bfloat16Units(avx512));
        assertEquals("avx2 avx512_bf16 avx512_vnni avx512bw avx512f", CpuFeatures.vectorFlags(avx512));
        assertTrue(CpuFeatures.bfloat16Units(flagsOf("flags\t: avx2 avx512f amx_tile amx_bf16\n")));
        assertFalse(CpuFeatures.bfloat16Units(flagsOf("flags\t: avx2 avx512f avx512bw\n")), "AVX-512 without bf16");
    }

    @Test
    void noCpuinfoMeansNoFlags() {
        assertEquals(Set.of(), CpuFeatures.flags(dir.resolve("missing")));
        assertEquals("none reported", CpuFeatures.vectorFlags(Set.of()));
    }
}
