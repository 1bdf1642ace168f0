package dev.dlx.runtime.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.SessionDevices;
import org.tensorflow.proto.ConfigProto;

/** `--device` values and the session settings each makes. */
class DeviceTest {
    @Test
    void parsesCpuGpuAndAGpusIndex() throws Exception {
        assertEquals(Device.CPU, Device.parse("cpu"));
        assertEquals(Device.GPU, Device.parse("GPU"));
        assertEquals(new Device(true, 3), Device.parse("gpu:3"));
        assertEquals("gpu:3", Device.parse(" gpu:3 ").toString());
        for (String bad : List.of("tpu", "gpu:", "gpu:-1", "gpu:x", "gpu0", "cuda:0", "")) {
            Device.DeviceException e = assertThrows(Device.DeviceException.class, () -> Device.parse(bad), bad);
            assertEquals("--device takes cpu, gpu or gpu:N (N a GPU's index, from 0), not `" + bad + "`", e.getMessage());
        }
    }

    @Test
    void theCpuHidesEveryGpuAndAGpuGrowsItsMemory() {
        ConfigProto cpu = Device.CPU.configured(ConfigProto.newBuilder()).build();
        assertEquals(0, cpu.getDeviceCountOrDefault("GPU", -1));
        ConfigProto gpu = Device.GPU.configured(ConfigProto.newBuilder().setIntraOpParallelismThreads(2)).build();
        assertTrue(gpu.getGpuOptions().getAllowGrowth());
        assertEquals("", gpu.getGpuOptions().getVisibleDeviceList());
        assertEquals(-1, gpu.getDeviceCountOrDefault("GPU", -1));
        assertEquals(2, gpu.getIntraOpParallelismThreads());
        assertEquals("1", new Device(true, 1).configured(ConfigProto.newBuilder()).build().getGpuOptions().getVisibleDeviceList());
    }

    /** TensorFlow always sees its CPU; with the CPU's settings, no GPU. */
    @Test
    void aSessionOnTheCpuSeesTheCpuOnly() throws Exception {
        List<SessionDevices.Seen> seen = SessionDevices.of(Device.CPU.configured(ConfigProto.newBuilder()).build());
        assertTrue(seen.stream().anyMatch(s -> s.type().equals("CPU") && s.name().endsWith("/device:CPU:0")), seen.toString());
        assertFalse(seen.stream().anyMatch(s -> s.type().equals("GPU")), seen.toString());
        assertTrue(Device.CPU.check().startsWith("device: cpu (TensorFlow sees CPU:0"), Device.CPU.check());
    }

    /** Where the native library is the CPU build (the default, without -Pgpu), a GPU is refused with what to do. */
    @Test
    void aGpuOfTheCpuBuildIsRefusedWithTheBuildToUse() {
        if (SessionDevices.builtWithGpu()) {
            org.junit.jupiter.api.Assumptions.abort("the native library on the class path is the GPU build (mvn -Pgpu)");
        }
        Device.DeviceException e = assertThrows(Device.DeviceException.class, () -> Device.GPU.check());
        assertTrue(e.getMessage().contains("is the CPU build") && e.getMessage().contains("mvn -Pgpu"), e.getMessage());
    }
}
