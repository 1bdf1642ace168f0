package dev.dlx.compiler.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.Compiler;
import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.ir.ParamSpec;
import dev.dlx.compiler.ir.WeightRole;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Shapes, weights and receptive fields of `layernorm`, `gelu`/`swish`, `conv_transpose`,
 * `multihead_attention` and `positional`, each worked out by hand from its formula.
 */
class NewKindsTest {
    static Compilation compile(String text) { return new Compiler().compile(Path.of("t.dlx"), text); }

    static ModelIR model(String text) {
        Compilation c = compile(text);
        assertTrue(c.ok(), () -> text + "\n" + c.diagnostics().sorted());
        return c.rootModels().get(0);
    }

    static Node layer(ModelIR m, String name) { return m.layer(name).orElseThrow(); }

    static Diagnostic error(String text) {
        Compilation c = compile(text);
        List<Diagnostic> errors = c.diagnostics().sorted().stream().filter(Diagnostic::isError).toList();
        assertEquals(1, errors.size(), () -> text + "\n" + c.diagnostics().sorted());
        return errors.get(0);
    }

    /** The output shape of a one-layer model on {@code input}. */
    static String shape(String input, String layer) {
        return model("model M(x " + input + ") { " + layer + " }").outputShapes().get(0).toString();
    }

    @Test
    void convTransposeOutputSizesFollowTheFormula() {
        // O = (I - 1) S - P_start - P_end + d(K - 1) + output_padding + 1
        assertEquals("[15, 15, 8]", shape("[7, 7, 4]", "conv_transpose 8 3 stride 2"));                   // 12 + 2 + 1; Keras 7*2 + (3-2)
        assertEquals("[14, 14, 8]", shape("[7, 7, 4]", "conv_transpose 8 3 stride 2 padding same"));      // 12 - 0 - 1 + 2 + 1 = I S
        assertEquals("[12, 2]", shape("[4, 2]", "conv_transpose 2 1 stride 3"));                          // K < S: 9 + 0 + 2 + 1 (Keras I S)
        assertEquals("[9, 9, 3]", shape("[5, 5, 3]", "conv_transpose 3 4 stride 2 padding same output_padding 1")); // 8 - 2 - 2 + 3 + 1 + 1
        assertEquals("[3, 7, 12, 2]", shape("[2, 3, 4, 1]", "conv_transpose3d 2 2x3x1 stride 1x2x3"));   // 1+1+1, 4+2+1, 9+0+2+1
        assertEquals("[9, 1]", shape("[5, 1]", "conv_transpose 1 3 dilation 2"));                        // 4 + 2*2 + 1
        assertEquals("[7, 1]", shape("[4, 1]", "conv_transpose 1 3 stride 2 padding 1"));                // 6 - 1 - 1 + 2 + 1
        assertEquals("[5, 1]", shape("[7, 1]", "conv_transpose 1 3 padding full"));                      // 6 - 2 - 2 + 2 + 1: full conv's inverse
        assertEquals("[8, 10, 2]", shape("[4, 5, 3]", "conv_transpose2d 2 2 stride 2"));
    }

    @Test
    void convTransposeWeightsAreFiltersBeforeInputChannels() {
        Node n = layer(model("model M(x [7, 7, 4]) { conv_transpose 8 3 stride 2 }"), "conv_transpose_1");
        assertEquals(List.of(List.of(3L, 3L, 8L, 4L), List.of(8L)), n.params().stream().map(ParamSpec::shape).toList());
        assertEquals(List.of(WeightRole.KERNEL, WeightRole.BIAS), n.params().stream().map(ParamSpec::role).toList());
        assertEquals(3 * 3 * 8 * 4 + 8, n.paramCount());
    }

    @Test
    void convTransposeReceptiveField() {
        // conv 3/2: R 3, J 2. The transpose's output takes floor((3 - 1) / 2) + 1 = 2 neighbouring inputs,
        // 2 apart on the input: R = 3 + 1 * 2 = 5, J = 1.
        ModelIR m = model("model M(x [16, 16, 1]) { conv 4 3 stride 2 -> conv_transpose 4 3 stride 2 -> conv 1 3 }");
        assertEquals("3x3", layer(m, "conv_1").receptiveField().toString());
        assertEquals("5x5", layer(m, "conv_transpose_1").receptiveField().toString());
        assertEquals("7x7", layer(m, "conv_2").receptiveField().toString());   // + (3 - 1) * 1
        // a 4-tap, stride-2 transpose right after the input: floor(3 / 2) + 1 = 2 inputs
        assertEquals("2", layer(model("model M(x [8, 1]) { conv_transpose 1 4 stride 2 }"), "conv_transpose_1").receptiveField().toString());
    }

    @Test
    void convTransposeErrors() {
        Diagnostic op = error("model M(x [4, 4, 1]) { conv_transpose 2 3 stride 2 output_padding 2 }");
        assertEquals(Code.OUT_OF_RANGE, op.code());
        assertEquals("2", op.span().text());
        Diagnostic crop = error("model M(x [1, 1]) { conv_transpose 1 3 padding full }");   // 0 - 2 - 2 + 2 + 1 = -1
        assertEquals(Code.KERNEL_TOO_LARGE, crop.code());
        assertTrue(crop.message().contains("crops more than it produces"), crop.message());
        assertEquals(Code.RANK_MISMATCH, error("model M(x [4, 4, 1]) { conv_transpose1d 2 3 }").code());
    }

    @Test
    void layerNormKeepsTheShapeWithScaleAndShift() {
        Node n = layer(model("model M(x [10, 16]) { layernorm }"), "layernorm_1");
        assertEquals("[10, 16]", n.shape().toString());
        assertEquals(List.of(WeightRole.SCALE, WeightRole.SHIFT), n.params().stream().map(ParamSpec::role).toList());
        assertEquals(32, n.paramCount());
        assertEquals(32, n.paramCount() - n.nonTrainableCount(), "both trained");
        assertEquals(16, layer(model("model M(x [16]) { layernorm center false }"), "layernorm_1").paramCount());
    }

    @Test
    void geluAndSwishAreActivations() {
        assertEquals("[5]", shape("[5]", "gelu approximate true"));
        ModelIR m = model("model M(x [5]) { silu -> swish -> gelu }");
        assertEquals(List.of("swish", "swish", "gelu"), m.layers().stream().map(Node::kindName).toList());
        assertEquals(Role.ACTIVATION, layer(m, "gelu_1").kind().role());
    }

    /** One BERT-base encoder layer: attention 4 (768² + 768), two layer norms 2 * 1,536, FFN (768 + 1) 3,072 + (3,072 + 1) 768. */
    @Test
    void bertBaseEncoderLayerHas7087872Parameters() {
        ModelIR m = model("""
            model BertLayer(x [128, 768]) {
                let a = x -> multihead_attention 12 64
                let h = add(x, a) -> layernorm epsilon 1e-12
                let f = h -> dense 3072 -> gelu -> dense 768
                add(h, f) -> layernorm epsilon 1e-12
            }
            """);
        assertEquals(2_362_368, layer(m, "a").paramCount());
        assertEquals(7_087_872, m.totalParams());
        assertEquals("[128, 768]", m.outputShapes().get(0).toString());
    }

    @Test
    void multiHeadAttentionWeightsInKerasLayout() {
        Node n = layer(model("model M(q [5, 8], v [7, 6], k [7, 4]) { multihead_attention(q, v, k, heads = 2, key_dim = 3, value_dim = 5) }"),
            "multihead_attention_1");
        assertEquals("[5, 8]", n.shape().toString());
        assertEquals(List.of("query_kernel[8, 2, 3]", "query_bias[2, 3]", "key_kernel[4, 2, 3]", "key_bias[2, 3]",
                "value_kernel[6, 2, 5]", "value_bias[2, 5]", "output_kernel[2, 5, 8]", "output_bias[8]"),
            n.params().stream().map(p -> p.name() + p.shape()).toList());
        assertEquals(48 + 6 + 24 + 6 + 60 + 10 + 80 + 8, n.paramCount());
        Diagnostic steps = error("model M(q [5, 8], v [7, 6], k [6, 4]) { multihead_attention(q, v, k, heads = 2, key_dim = 3) }");
        assertEquals(Code.MERGE_SHAPE_MISMATCH, steps.code());
        assertEquals(Code.RANK_MISMATCH, error("model M(x [8]) { multihead_attention 2 4 }").code());
    }

    @Test
    void positionalTables() {
        ModelIR learned = model("model M(tokens [10]) { embedding 100 8 -> positional }");
        Node p = layer(learned, "positional_1");
        assertEquals("[10, 8]", p.shape().toString());
        assertEquals(List.of(List.of(10L, 8L)), p.params().stream().map(ParamSpec::shape).toList());
        assertEquals(WeightRole.EMBEDDINGS, p.params().get(0).role());
        assertEquals(512 * 8, layer(model("model M(tokens [10]) { embedding 100 8 -> positional length 512 }"), "positional_1").paramCount());
        assertEquals(0, layer(model("model M(x [10, 8]) { positional sinusoidal }"), "positional_1").paramCount());
        assertEquals(512 * 8, layer(model("model M(x [?, 8]) { positional length 512 }"), "positional_1").paramCount());
        Diagnostic shorter = error("model M(x [10, 8]) { positional length 4 }");
        assertEquals(Code.OUT_OF_RANGE, shorter.code());
        assertEquals("4", shorter.span().text());
        assertEquals(Code.MISSING_ARGUMENT, error("model M(x [?, 8]) { positional }").code());
        assertFalse(compile("model M(x [10]) { positional }").ok());
    }
}
