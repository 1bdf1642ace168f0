package dev.dlx.aot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.aot.freeze.FrozenRun;
import dev.dlx.aot.gen.ModelClassGenerator;
import dev.dlx.aot.jar.ModelJar;
import dev.dlx.runtime.run.SavedRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.CheckClassAdapter;

/** The generated model class, loaded from a built JAR in a class loader of its own, against the runtime. */
class ModelJarTest {
    private static final String CLASS = "dlx.models.tiny_digits.TinyNet";
    @TempDir static Path dir;
    static SavedRun run;
    static FrozenRun frozen;
    static Path jar;

    @BeforeAll
    static void build() throws Exception {
        run = SavedRun.open(TrainedDigits.run(), null, new PrintWriter(System.err, true));
        frozen = FrozenRun.of(run);
        jar = dir.resolve("tiny.jar");
        ModelJar.write(frozen, CLASS, jar, true);
    }

    private static URLClassLoader loader() throws Exception {
        return new URLClassLoader(new URL[] {jar.toUri().toURL()}, ModelJarTest.class.getClassLoader());
    }

    @Test
    void predictionsMatchTheRuntime() throws Exception {
        float[][][][] samples = TrainedDigits.samples(TrainedDigits.rawRows(40));
        float[][] expected = TrainedDigits.runtimePredictions(run, samples);
        try (URLClassLoader loader = loader()) {
            Class<?> c = loader.loadClass(CLASS);
            assertNotSame(ModelJarTest.class.getClassLoader(), c.getClassLoader());
            try (AutoCloseable model = (AutoCloseable) c.getMethod("load").invoke(null)) {
                float[][] batch = (float[][]) c.getMethod("predict", float[][][][].class).invoke(model, (Object) samples);
                assertEquals(samples.length, batch.length);
                for (int i = 0; i < samples.length; i++) {
                    assertArrayEquals(expected[i], batch[i], 1e-6f, "batch row " + i);
                    float[] one = (float[]) c.getMethod("predict", float[][][].class).invoke(model, (Object) samples[i]);
                    assertArrayEquals(expected[i], one, 1e-6f, "sample " + i);
                }
                // a trained model, not a constant: the rows do not all predict the same class
                Set<Integer> classes = new TreeSet<>();
                for (float[] p : batch) classes.add(argmax(p));
                assertTrue(classes.size() > 3, "predicted classes " + classes);
                assertEquals("TinyNet [8, 8, 1] -> [10]", model.toString());
            }
        }
    }

    @Test
    void constantsDescribeTheModel() throws Exception {
        try (URLClassLoader loader = loader()) {
            Class<?> c = loader.loadClass(CLASS);
            assertEquals(List.of(8, 8, 1), c.getField("INPUT_SHAPE").get(null));
            assertEquals(List.of(10), c.getField("OUTPUT_SHAPE").get(null));
            assertEquals(64, c.getField("INPUT_SIZE").getInt(null));
            assertEquals(10, c.getField("OUTPUT_SIZE").getInt(null));
            assertEquals("TinyNet", c.getField("MODEL_NAME").get(null));
            assertEquals("image", c.getField("INPUT_NAME").get(null));
            assertEquals(List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"), c.getField("CLASS_NAMES").get(null));
            assertThrows(UnsupportedOperationException.class, () -> ((List<?>) c.getField("INPUT_SHAPE").get(null)).clear());
            assertTrue(AutoCloseable.class.isAssignableFrom(c));
            assertTrue(Modifier.isFinal(c.getModifiers()) && Modifier.isPublic(c.getModifiers()));
            Set<String> methods = new TreeSet<>();
            for (Method m : c.getDeclaredMethods()) if (Modifier.isPublic(m.getModifiers())) methods.add(signature(m));
            assertEquals(new TreeSet<>(Set.of("close()void", "load()dlx.models.tiny_digits.TinyNet", "main(java.lang.String[])void",
                "predict(float[][][])float[]", "predict(float[][][][])float[][]", "toString()java.lang.String")), methods);
            assertEquals("sample", c.getMethod("predict", float[][][].class).getParameters()[0].getName());
        }
    }

    @Test
    void bytecodePassesTheVerifier() throws Exception {
        byte[] bytes = ModelClassGenerator.generate(CLASS, frozen.parsed(), ModelJar.resourceFolder(CLASS), "tiny_digits.dlx");
        StringWriter problems = new StringWriter();
        CheckClassAdapter.verify(new ClassReader(bytes), ModelJarTest.class.getClassLoader(), false, new PrintWriter(problems));
        assertEquals("", problems.toString());
        try (JarFile j = new JarFile(jar.toFile())) {
            assertArrayEquals(bytes, j.getInputStream(j.getEntry(CLASS.replace('.', '/') + ".class")).readAllBytes());
            assertEquals(CLASS, j.getManifest().getMainAttributes().getValue("Main-Class"));
            assertTrue(j.getManifest().getMainAttributes().getValue("Class-Path").contains("tensorflow-core-api"));
            assertTrue(j.getEntry("dlx/models/tiny_digits/TinyNet/graph.pb") != null);
            assertTrue(j.getEntry("dev/dlx/aot/support/FrozenModel.class") != null);
        }
    }

    @Test
    void wrongShapesNameBothShapes() throws Exception {
        try (URLClassLoader loader = loader()) {
            Class<?> c = loader.loadClass(CLASS);
            try (AutoCloseable model = (AutoCloseable) c.getMethod("load").invoke(null)) {
                Method one = c.getMethod("predict", float[][][].class);
                Method batch = c.getMethod("predict", float[][][][].class);
                assertEquals("TinyNet.predict: the sample must have shape [8, 8, 1], found [8, 7, 1]",
                    cause(() -> one.invoke(model, (Object) new float[8][7][1])).getMessage());
                assertEquals("TinyNet.predict: the sample must have shape [8, 8, 1], found [8, 8, 3]",
                    cause(() -> one.invoke(model, (Object) new float[8][8][3])).getMessage());
                float[][][] ragged = new float[8][8][1];
                ragged[5] = new float[6][1];
                assertEquals("TinyNet.predict: the sample must have shape [8, 8, 1], found [8, ? (lengths 8 and 6), ?]",
                    cause(() -> one.invoke(model, (Object) ragged)).getMessage());
                float[][][][] b = new float[3][8][8][1];
                b[2] = new float[4][4][1];
                assertEquals("TinyNet.predict: sample 2 of the batch must have shape [8, 8, 1], found [4, 4, 1]",
                    cause(() -> batch.invoke(model, (Object) b)).getMessage());
                assertTrue(cause(() -> one.invoke(model, (Object) null)).getMessage().contains("found [null"));
            }
        }
    }

    private static IllegalArgumentException cause(org.junit.jupiter.api.function.Executable call) {
        InvocationTargetException e = assertThrows(InvocationTargetException.class, call);
        return assertInstanceOf(e.getCause());
    }

    private static IllegalArgumentException assertInstanceOf(Throwable t) {
        if (t instanceof IllegalArgumentException iae) return iae;
        throw new AssertionError("expected IllegalArgumentException, got " + t, t);
    }

    private static String signature(Method m) {
        StringBuilder s = new StringBuilder(m.getName()).append('(');
        for (Class<?> p : m.getParameterTypes()) s.append(p.getTypeName());
        return s.append(')').append(m.getReturnType().getTypeName()).toString();
    }

    static int argmax(float[] p) {
        int best = 0;
        for (int j = 1; j < p.length; j++) if (p[j] > p[best]) best = j;
        return best;
    }
}
