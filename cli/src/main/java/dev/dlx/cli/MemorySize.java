package dev.dlx.cli;

import dev.dlx.compiler.train.Bytes;
import picocli.CommandLine;

/** `--memory-limit 16GiB`: a size in bytes, with an optional unit (K, M, G, T; KiB, MB, ... all powers of 1024). */
final class MemorySize implements CommandLine.ITypeConverter<Long> {
    @Override public Long convert(String value) {
        return Bytes.parse(value).stream().boxed().findFirst().orElseThrow(() -> new CommandLine.TypeConversionException(
            "`" + value + "` is not a memory size; write bytes, or a number with a unit: 512MiB, 16GiB, 1.5T"));
    }
}
