package dev.dlx.aot.gen;

import dev.dlx.aot.support.ModelManifest;
import java.util.List;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Writes the typed facade of a built model with ASM, e.g. for `DigitNet(image [8, 8, 1]) -> [10]`:
 * <pre>
 * public final class DigitNet implements AutoCloseable {
 *     public static final String MODEL_NAME = "DigitNet";
 *     public static final String INPUT_NAME = "image";
 *     public static final int INPUT_SIZE = 64;
 *     public static final int OUTPUT_SIZE = 10;
 *     public static final List&lt;Integer&gt; INPUT_SHAPE;   // [8, 8, 1]
 *     public static final List&lt;Integer&gt; OUTPUT_SHAPE;  // [10]
 *     public static final List&lt;String&gt; CLASS_NAMES;
 *     public DigitNet();                                // loads graph.pb and model.json from the class's resources
 *     public static DigitNet load();
 *     public float[] predict(float[][][] sample);       // one sample -> OUTPUT_SIZE values
 *     public float[][] predict(float[][][][] batch);    // n samples -> n rows
 *     public void close();
 *     public static void main(String[] args);           // predict INPUT.csv
 * }
 * </pre>
 * A model with several inputs or outputs, e.g. `Two(left [4], right [2, 1])` returning `kind, flag`,
 * gets one typed method per output, {@code float[] predictKind(float[] left, float[][] right)} and
 * {@code float[] predictFlag(...)}, one giving every output, {@code float[][] predict(float[] left,
 * float[][] right)}, and the lists INPUT_NAMES and OUTPUT_NAMES (INPUT_NAME, the shapes and
 * CLASS_NAMES describe the first input and output).
 * Each method is a few instructions that hand over to {@code dev.dlx.aot.support.FrozenModel}, which
 * checks every length against the input shape (an {@link IllegalArgumentException} names the
 * expected and the found shape) and runs the graph; outputs of rank above 1 come flat, row-major.
 */
public final class ModelClassGenerator {
    private static final String FROZEN = "dev/dlx/aot/support/FrozenModel";
    private static final String MAIN = "dev/dlx/aot/support/PredictMain";
    private static final String LIST = "java/util/List";

    private ModelClassGenerator() {}

    /** The class file of {@code className} (binary name with dots) for {@code m}; its resources are under {@code resourceFolder}. */
    public static byte[] generate(String className, ModelManifest m, String resourceFolder, String sourceName) {
        String self = className.replace('.', '/');
        int[] in = m.inputShape(), out = m.outputShape();
        String sampleType = "[".repeat(in.length) + "F";
        String batchType = "[" + sampleType;
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, self, null, "java/lang/Object",
            new String[] {"java/lang/AutoCloseable"});
        cw.visitSource(sourceName, null);

        int constant = Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL;
        cw.visitField(constant, "MODEL_NAME", "Ljava/lang/String;", null, m.model()).visitEnd();
        cw.visitField(constant, "INPUT_NAME", "Ljava/lang/String;", null, m.inputName()).visitEnd();
        cw.visitField(constant, "INPUT_SIZE", "I", null, size(in)).visitEnd();
        cw.visitField(constant, "OUTPUT_SIZE", "I", null, size(out)).visitEnd();
        listField(cw, "INPUT_SHAPE", "Ljava/lang/Integer;");
        listField(cw, "OUTPUT_SHAPE", "Ljava/lang/Integer;");
        listField(cw, "CLASS_NAMES", "Ljava/lang/String;");
        if (m.inputs().size() > 1 || m.outputs().size() > 1) {
            listField(cw, "INPUT_NAMES", "Ljava/lang/String;");
            listField(cw, "OUTPUT_NAMES", "Ljava/lang/String;");
        }
        cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, "RESOURCES", "Ljava/lang/String;", null, resourceFolder)
            .visitEnd();
        cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, "model", "L" + FROZEN + ";", null, null).visitEnd();

        // static { INPUT_SHAPE = List.of(8, 8, 1); OUTPUT_SHAPE = List.of(10); CLASS_NAMES = List.of("zero", ...); }
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
        mv.visitCode();
        integerList(mv, in);
        mv.visitFieldInsn(Opcodes.PUTSTATIC, self, "INPUT_SHAPE", "L" + LIST + ";");
        integerList(mv, out);
        mv.visitFieldInsn(Opcodes.PUTSTATIC, self, "OUTPUT_SHAPE", "L" + LIST + ";");
        stringList(mv, m.classNames());
        mv.visitFieldInsn(Opcodes.PUTSTATIC, self, "CLASS_NAMES", "L" + LIST + ";");
        if (m.inputs().size() > 1 || m.outputs().size() > 1) {
            stringList(mv, m.inputs().stream().map(ModelManifest.Tensor::name).toList());
            mv.visitFieldInsn(Opcodes.PUTSTATIC, self, "INPUT_NAMES", "L" + LIST + ";");
            stringList(mv, m.outputs().stream().map(ModelManifest.Tensor::name).toList());
            mv.visitFieldInsn(Opcodes.PUTSTATIC, self, "OUTPUT_NAMES", "L" + LIST + ";");
        }
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        // public Self() { this.model = FrozenModel.load(Self.class, RESOURCES, new int[] {8, 8, 1}, new int[] {10}); }
        mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitLdcInsn(Type.getObjectType(self));
        mv.visitLdcInsn(resourceFolder);
        intArray(mv, in);
        intArray(mv, out);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, FROZEN, "load", "(Ljava/lang/Class;Ljava/lang/String;[I[I)L" + FROZEN + ";", false);
        mv.visitFieldInsn(Opcodes.PUTFIELD, self, "model", "L" + FROZEN + ";");
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        // public static Self load() { return new Self(); }
        mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "load", "()L" + self + ";", null, null);
        mv.visitCode();
        mv.visitTypeInsn(Opcodes.NEW, self);
        mv.visitInsn(Opcodes.DUP);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, self, "<init>", "()V", false);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        if (m.inputs().size() == 1 && m.outputs().size() == 1) {
            delegate(cw, self, "predict", "(" + sampleType + ")[F", "sample", "predictSample", "(Ljava/lang/Object;)[F");
            delegate(cw, self, "predict", "(" + batchType + ")[[F", "batch", "predictBatch", "([Ljava/lang/Object;)[[F");
        } else {
            several(cw, self, m);
        }

        // public void close() { model.close(); }
        mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "close", "()V", null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitFieldInsn(Opcodes.GETFIELD, self, "model", "L" + FROZEN + ";");
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, FROZEN, "close", "()V", false);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        // public String toString() { return "DigitNet [8, 8, 1] -> [10]"; }
        mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "toString", "()Ljava/lang/String;", null, null);
        mv.visitCode();
        mv.visitLdcInsn(m.model() + " " + dev.dlx.aot.support.Shapes.text(in) + " -> " + dev.dlx.aot.support.Shapes.text(out));
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        // public static void main(String[] args) { System.exit(PredictMain.run(Self.class, RESOURCES, args)); }
        mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "main", "([Ljava/lang/String;)V", null, null);
        mv.visitParameter("args", 0);
        mv.visitCode();
        mv.visitLdcInsn(Type.getObjectType(self));
        mv.visitLdcInsn(resourceFolder);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, MAIN, "run", "(Ljava/lang/Class;Ljava/lang/String;[Ljava/lang/String;)I", false);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/System", "exit", "(I)V", false);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        cw.visitEnd();
        return cw.toByteArray();
    }

    /**
     * A model with several inputs or outputs: per output NAME, {@code public float[] predictNAME(in1,
     * in2, ...)} (one sample of each input, typed by its shape, to that output's values), and {@code
     * public float[][] predict(in1, in2, ...)} giving every output's values in model order; the
     * names of the inputs and outputs as INPUT_NAMES and OUTPUT_NAMES.
     */
    private static void several(ClassWriter cw, String self, ModelManifest m) {
        List<ModelManifest.Tensor> ins = m.inputs(), outs = m.outputs();
        StringBuilder params = new StringBuilder("(");
        for (ModelManifest.Tensor t : ins) params.append("[".repeat(t.shape().length)).append('F');
        params.append(')');
        for (int k = 0; k < outs.size(); k++) {
            MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "predict" + JavaNames.capitalized(outs.get(k).name()), params + "[F", null, null);
            for (ModelManifest.Tensor t : ins) mv.visitParameter(JavaNames.parameter(t.name()), 0);
            mv.visitCode();
            mv.visitVarInsn(Opcodes.ALOAD, 0);
            mv.visitFieldInsn(Opcodes.GETFIELD, self, "model", "L" + FROZEN + ";");
            push(mv, k);
            samples(mv, ins.size());
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, FROZEN, "predictOutput", "(I[Ljava/lang/Object;)[F", false);
            mv.visitInsn(Opcodes.ARETURN);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
        }
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "predict", params + "[[F", null, null);
        for (ModelManifest.Tensor t : ins) mv.visitParameter(JavaNames.parameter(t.name()), 0);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitFieldInsn(Opcodes.GETFIELD, self, "model", "L" + FROZEN + ";");
        samples(mv, ins.size());
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, FROZEN, "predictOutputs", "([Ljava/lang/Object;)[[F", false);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** new Object[] {arg1, arg2, ...}: the method's {@code n} parameters. */
    private static void samples(MethodVisitor mv, int n) {
        push(mv, n);
        mv.visitTypeInsn(Opcodes.ANEWARRAY, "java/lang/Object");
        for (int i = 0; i < n; i++) {
            mv.visitInsn(Opcodes.DUP);
            push(mv, i);
            mv.visitVarInsn(Opcodes.ALOAD, i + 1);
            mv.visitInsn(Opcodes.AASTORE);
        }
    }

    /** {@code public R name(P param) { return model.target(param); }} */
    private static void delegate(ClassWriter cw, String self, String name, String descriptor, String param, String target, String targetDescriptor) {
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, name, descriptor, null, null);
        mv.visitParameter(param, 0);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitFieldInsn(Opcodes.GETFIELD, self, "model", "L" + FROZEN + ";");
        mv.visitVarInsn(Opcodes.ALOAD, 1);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, FROZEN, target, targetDescriptor, false);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    private static void listField(ClassWriter cw, String name, String element) {
        FieldVisitor fv = cw.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, name, "L" + LIST + ";",
            "L" + LIST + "<" + element + ">;", null);
        fv.visitEnd();
    }

    /** List.of(Integer.valueOf(d0), ...): an immutable list. */
    private static void integerList(MethodVisitor mv, int[] values) {
        push(mv, values.length);
        mv.visitTypeInsn(Opcodes.ANEWARRAY, "java/lang/Object");
        for (int i = 0; i < values.length; i++) {
            mv.visitInsn(Opcodes.DUP);
            push(mv, i);
            push(mv, values[i]);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Integer", "valueOf", "(I)Ljava/lang/Integer;", false);
            mv.visitInsn(Opcodes.AASTORE);
        }
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, LIST, "of", "([Ljava/lang/Object;)Ljava/util/List;", true);
    }

    private static void stringList(MethodVisitor mv, List<String> values) {
        push(mv, values.size());
        mv.visitTypeInsn(Opcodes.ANEWARRAY, "java/lang/Object");
        for (int i = 0; i < values.size(); i++) {
            mv.visitInsn(Opcodes.DUP);
            push(mv, i);
            mv.visitLdcInsn(values.get(i));
            mv.visitInsn(Opcodes.AASTORE);
        }
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, LIST, "of", "([Ljava/lang/Object;)Ljava/util/List;", true);
    }

    private static void intArray(MethodVisitor mv, int[] values) {
        push(mv, values.length);
        mv.visitIntInsn(Opcodes.NEWARRAY, Opcodes.T_INT);
        for (int i = 0; i < values.length; i++) {
            mv.visitInsn(Opcodes.DUP);
            push(mv, i);
            push(mv, values[i]);
            mv.visitInsn(Opcodes.IASTORE);
        }
    }

    private static void push(MethodVisitor mv, int v) {
        if (v >= -1 && v <= 5) mv.visitInsn(Opcodes.ICONST_0 + v);
        else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) mv.visitIntInsn(Opcodes.BIPUSH, v);
        else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) mv.visitIntInsn(Opcodes.SIPUSH, v);
        else mv.visitLdcInsn(v);
    }

    private static int size(int[] shape) {
        int n = 1;
        for (int d : shape) n = Math.multiplyExact(n, d);
        return n;
    }
}
