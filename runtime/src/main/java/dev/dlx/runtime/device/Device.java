package dev.dlx.runtime.device;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.tensorflow.SessionDevices;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;

/**
 * Where a training runs (`dlxc run --device cpu|gpu|gpu:N`): the CPU only, TensorFlow's first GPU,
 * or GPU N. TensorFlow keeps its GPU devices per process (a GPU's device is made once, with the
 * options of the first session that makes it), so the device is the process's: {@link #use} sets it
 * before the first session, and every training session (and a cluster worker's server) takes
 * {@link #configured its settings}. A GPU's memory grows as needed (`gpu_options.allow_growth`)
 * instead of being taken whole at the first session, so several workers can share one GPU.
 *
 * @param gpu   whether ops run on a GPU
 * @param index the GPU's index among those TensorFlow sees (-1: the first, chosen by TensorFlow)
 */
public record Device(boolean gpu, int index) {

    public static final Device CPU = new Device(false, -1);
    public static final Device GPU = new Device(true, -1);

    /** A device that cannot be used, or a `--device` value that names none; the message says why. */
    public static final class DeviceException extends Exception {
        public DeviceException(String message) { super(message); }
    }

    /** {@code cpu}, {@code gpu} or {@code gpu:N} (N a GPU's index from 0). */
    public static Device parse(String text) throws DeviceException {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("cpu")) return CPU;
        if (t.equals("gpu")) return GPU;
        if (t.startsWith("gpu:")) {
            String n = t.substring(4);
            if (n.matches("[0-9]{1,4}")) return new Device(true, Integer.parseInt(n));
        }
        throw new DeviceException("--device takes cpu, gpu or gpu:N (N a GPU's index, from 0), not `" + text + "`");
    }

    @Override public String toString() { return !gpu ? "cpu" : index < 0 ? "gpu" : "gpu:" + index; }

    /**
     * {@code base} with this device's settings: the CPU hides every GPU (no GPU device is made);
     * a GPU grows its memory as needed, and gpu:N makes GPU N the only one (TensorFlow's GPU:0).
     */
    public ConfigProto.Builder configured(ConfigProto.Builder base) {
        if (!gpu) return base.putDeviceCount("GPU", 0);
        GPUOptions.Builder g = base.getGpuOptions().toBuilder().setAllowGrowth(true);
        if (index >= 0) g.setVisibleDeviceList(String.valueOf(index));
        return base.setGpuOptions(g);
    }

    // --- the process's device ---

    private static volatile Device used;

    /** The device this process trains on, or empty when none was asked for (TensorFlow's choice: a GPU when it sees one). */
    public static Optional<Device> used() { return Optional.ofNullable(used); }

    /** Makes {@code device} (null: TensorFlow's choice) the one every later training session of this process runs on. */
    public static void use(Device device) { used = device; }

    /** {@code base} with the process's device settings, if one was asked for. */
    public static ConfigProto.Builder configure(ConfigProto.Builder base) {
        Device d = used;
        return d == null ? base : d.configured(base);
    }

    /**
     * The devices TensorFlow sees with this device's settings, checked: a GPU asked of a CPU build of
     * TensorFlow, or of a machine where TensorFlow sees none (or not that many), is an error that
     * says what to do. Returns the line to print at the start of a run.
     */
    public String check() throws DeviceException {
        if (gpu && !SessionDevices.builtWithGpu()) {
            throw new DeviceException("--device " + this + ": the TensorFlow native library on the class path is the CPU build "
                + "(tensorflow-core-native linux-x86_64); build dlx with `mvn -Pgpu` for the linux-x86_64-gpu one (README.md, \"Training on a GPU\")");
        }
        List<SessionDevices.Seen> seen;
        try {
            seen = SessionDevices.of(configured(ConfigProto.newBuilder()).build());
        } catch (RuntimeException e) {
            String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new DeviceException("--device " + this + ": TensorFlow cannot open a session on it: " + why);
        }
        long gpus = seen.stream().filter(s -> s.type().equals("GPU")).count();
        if (gpu && gpus == 0) {
            throw new DeviceException("--device " + this + ": TensorFlow sees no GPU (only " + names(seen) + "); it needs an NVIDIA driver "
                + "and CUDA 12 / cuDNN 9 libraries it can load (`nvidia-smi` shows the GPUs; TF_CPP_MIN_LOG_LEVEL=0 shows why TensorFlow skipped them)");
        }
        return "device: " + this + " (TensorFlow sees " + names(seen) + ")";
    }

    /**
     * Makes {@code asked} (null: none asked for) the process's device, checked, and returns the line
     * to print at the start of a run. With none asked for, a CPU build of TensorFlow runs on the CPU
     * as always (no line); a GPU build takes the first GPU it sees, else the CPU, and says which.
     */
    public static Optional<String> choose(Device asked) throws DeviceException {
        if (asked != null) {
            String line = asked.check();
            use(asked);
            return Optional.of(line);
        }
        if (!SessionDevices.builtWithGpu()) {
            use(null);
            return Optional.empty();
        }
        List<SessionDevices.Seen> seen;
        try {
            seen = SessionDevices.of(GPU.configured(ConfigProto.newBuilder()).build());
        } catch (RuntimeException e) {
            String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new DeviceException("TensorFlow's GPU build cannot open a session: " + why
                + " (pass --device cpu to train on the CPU, or see README.md, \"Training on a GPU\")");
        }
        Device d = seen.stream().anyMatch(s -> s.type().equals("GPU")) ? GPU : CPU;
        use(d);
        return Optional.of("device: " + d + " (TensorFlow sees " + names(seen) + "; --device cpu|gpu|gpu:N chooses)");
    }

    private static String names(List<SessionDevices.Seen> seen) {
        return seen.stream().map(s -> {
            String n = s.name().substring(s.name().indexOf("/device:") + "/device:".length());
            return s.type().equals("GPU") && s.memoryBytes() > 0 ? n + " " + (s.memoryBytes() >> 20) + " MiB" : n;
        }).collect(Collectors.joining(", "));
    }
}
