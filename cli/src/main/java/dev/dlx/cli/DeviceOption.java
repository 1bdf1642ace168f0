package dev.dlx.cli;

import dev.dlx.runtime.device.Device;
import java.io.PrintWriter;
import java.util.function.IntSupplier;
import picocli.CommandLine.Option;

/**
 * `--device cpu|gpu|gpu:N`, for the commands that run a model in TensorFlow sessions (`run`,
 * `evaluate`, `predict`, `generate`): the process's {@link Device}, set before the first session.
 */
final class DeviceOption {
    @Option(names = "--device", paramLabel = "DEVICE", description = "cpu, gpu (the first GPU TensorFlow sees) or gpu:N; a GPU needs "
        + "dlx built with `mvn -Pgpu` (default: the CPU, or with that build the first GPU when there is one)")
    String device;

    /** The device --device names, null when it is not given. */
    Device parsed() throws Device.DeviceException {
        return device == null ? null : Device.parse(device);
    }

    /**
     * Runs {@code body} on the device asked for and returns its exit code: a --device that names no
     * device is a usage error, one TensorFlow cannot use an error, each said as `dlxc COMMAND: ...`
     * before {@code body} runs; the line saying which device was chosen goes to {@code say} (the
     * error stream of a command whose output is data). The process's device is unset afterwards.
     */
    int run(String command, PrintWriter say, PrintWriter err, IntSupplier body) {
        Device asked;
        try {
            asked = parsed();
        } catch (Device.DeviceException e) {
            err.println("dlxc " + command + ": " + e.getMessage());
            return Main.USAGE;
        }
        try {
            Device.choose(asked).ifPresent(line -> {
                say.println(line);
                say.flush();
            });
        } catch (Device.DeviceException e) {
            err.println("dlxc " + command + ": " + e.getMessage());
            return Main.ERRORS;
        }
        try {
            return body.getAsInt();
        } finally {
            Device.use(null);
        }
    }
}
