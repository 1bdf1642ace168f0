package dev.dlx.compiler.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class BytesTest {
    @Test
    void readableUnits() {
        assertEquals("0 B", Bytes.text(0));
        assertEquals("1023 B", Bytes.text(1023));
        assertEquals("1.0 KiB", Bytes.text(1024));
        assertEquals("1.5 KiB", Bytes.text(1536));
        assertEquals("1023.9 KiB", Bytes.text(1023 * 1024 + 921));
        assertEquals("1.0 MiB", Bytes.text(1024 * 1024 - 1)); // 1023.999 KiB would round to 1024.0 KiB
        assertEquals("16.0 GiB", Bytes.text(16L << 30));
        assertEquals("89.4 GiB", Bytes.text(96_029_225_744L));
        assertEquals("8.0 EiB", Bytes.text(Long.MAX_VALUE));
    }

    @Test
    void sizesAsWritten() {
        assertEquals(OptionalLong.of(512), Bytes.parse("512"));
        assertEquals(OptionalLong.of(512), Bytes.parse("512B"));
        assertEquals(OptionalLong.of(2048), Bytes.parse("2KiB"));
        assertEquals(OptionalLong.of(2048), Bytes.parse("2k"));
        assertEquals(OptionalLong.of(16L << 30), Bytes.parse("16 GiB"));
        assertEquals(OptionalLong.of(16L << 30), Bytes.parse("16GB"));
        assertEquals(OptionalLong.of(3L << 29), Bytes.parse("1.5g"));
        assertEquals(OptionalLong.of(1L << 40), Bytes.parse("1T"));
        assertEquals(OptionalLong.empty(), Bytes.parse("lots"));
        assertEquals(OptionalLong.empty(), Bytes.parse("-1G"));
        assertEquals(OptionalLong.empty(), Bytes.parse("0"));
        assertEquals(OptionalLong.empty(), Bytes.parse("5i"));
        assertEquals(OptionalLong.empty(), Bytes.parse("99999999999P"));
    }
}
