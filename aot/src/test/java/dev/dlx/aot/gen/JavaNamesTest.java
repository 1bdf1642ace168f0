package dev.dlx.aot.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class JavaNamesTest {
    @Test
    void defaultsComeFromTheFileAndModelNames() {
        assertEquals("dlx.models.digits", JavaNames.defaultPackage("digits.dlx"));
        assertEquals("dlx.models.fashion_cnn", JavaNames.defaultPackage("Fashion-CNN.dlx"));
        assertEquals("dlx.models._3d_net", JavaNames.defaultPackage("3d net.dlx"));
        assertEquals("dlx.models.enum_", JavaNames.defaultPackage("enum.dlx"));
        assertEquals("DigitNet", JavaNames.defaultClass("DigitNet"));
        assertEquals("Mlp", JavaNames.defaultClass("mlp"));
    }

    @Test
    void givenNamesAreCheckedNotChanged() {
        assertNull(JavaNames.checkPackage("com.example.models"));
        assertNull(JavaNames.checkClass("Digits2"));
        assertEquals("`com..x` is not a Java package name: it has an empty part", JavaNames.checkPackage("com..x"));
        assertEquals("`a.int` is not a Java package name: `int` is a Java keyword", JavaNames.checkPackage("a.int"));
        assertEquals("`My-Net` is not a Java class name: `My-Net` holds `-`", JavaNames.checkClass("My-Net"));
        assertEquals("`9Net` is not a Java class name: `9Net` starts with `9`", JavaNames.checkClass("9Net"));
    }
}
