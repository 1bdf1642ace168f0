package dev.dlx.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The samples in {@code samples/classic/} reproduce published architectures; their parameter
 * totals must equal, to the unit, what Keras's {@code model.summary()} prints for
 * {@code keras.applications.*(include_top=True)} at the default input size (batch norm moving
 * statistics non-trainable), or a count worked out by hand for the smaller models.
 */
class PublishedArchitecturesTest {
    static final Path CLASSIC = repo().resolve("samples/classic");

    static Path repo() {
        String repo = System.getProperty("dlx.repo");
        Path base = repo != null && !repo.isBlank() ? Path.of(repo) : Path.of("..");
        if (!Files.isDirectory(base.resolve("samples/classic"))) base = Path.of(""); // run from the repository root
        return base.toAbsolutePath().normalize();
    }

    static Stream<Arguments> published() {
        return Stream.of(
            // file, model, total, trainable, non-trainable
            Arguments.of("lenet5.dlx", "LeNet5", 61_706L, 61_706L, 0L),
            Arguments.of("vgg16.dlx", "VGG16", 138_357_544L, 138_357_544L, 0L),
            Arguments.of("vgg19.dlx", "VGG19", 143_667_240L, 143_667_240L, 0L),
            Arguments.of("resnet50.dlx", "ResNet50", 25_636_712L, 25_583_592L, 53_120L),
            Arguments.of("mobilenet.dlx", "MobileNet", 4_253_864L, 4_231_976L, 21_888L),
            Arguments.of("inception_v3.dlx", "InceptionV3", 23_851_784L, 23_817_352L, 34_432L),
            Arguments.of("xception.dlx", "Xception", 22_910_480L, 22_855_952L, 54_528L),
            Arguments.of("densenet121.dlx", "DenseNet121", 8_062_504L, 7_978_856L, 83_648L),
            Arguments.of("alexnet.dlx", "AlexNet", 62_378_344L, 62_378_344L, 0L),
            Arguments.of("lstm_text_classifier.dlx", "LstmTextClassifier", 1_329_473L, 1_329_473L, 0L),
            Arguments.of("bilstm_tagger.dlx", "BiLstmTagger", 2_317_777L, 2_317_777L, 0L));
    }

    static Compilation compile(String file) {
        Path path = CLASSIC.resolve(file);
        assertTrue(Files.isRegularFile(path), "missing sample " + path);
        return new Compiler().compile(path).orElseThrow(() -> new AssertionError("cannot read " + path));
    }

    static ModelIR model(String file, String name) {
        Compilation c = compile(file);
        assertFalse(c.diagnostics().hasErrors(), () -> file + " has errors: " + describe(c.diagnostics().sorted()));
        ModelIR m = c.models().get(name);
        assertNotNull(m, file + " declares no model " + name + "; it has " + c.models().keySet());
        return m;
    }

    static String describe(List<Diagnostic> ds) {
        return ds.stream().map(d -> d.code().id() + " " + d.message() + " at " + d.span())
            .collect(Collectors.joining("\n  ", "\n  ", ""));
    }

    static Node layer(ModelIR m, String name) {
        return m.layer(name).orElseThrow(() -> new AssertionError(m.name() + " has no layer " + name + "; it has "
            + m.layers().stream().map(Node::name).toList()));
    }

    @ParameterizedTest(name = "{1}: {2} parameters")
    @MethodSource("published")
    void reproducesThePublishedCount(String file, String name, long total, long trainable, long nonTrainable) {
        Compilation c = compile(file);
        List<Diagnostic> ds = c.diagnostics().sorted();
        assertFalse(c.diagnostics().hasErrors(), () -> file + " has errors:" + describe(ds));
        assertTrue(ds.isEmpty(), () -> file + " has warnings:" + describe(ds));
        ModelIR m = c.models().get(name);
        assertNotNull(m, file + " declares no model " + name);
        assertTrue(m.valid(), name + " is not valid");
        assertEquals(total, m.totalParams(), name + " total");
        assertEquals(trainable, m.trainableParams(), name + " trainable");
        assertEquals(nonTrainable, m.nonTrainableParams(), name + " non-trainable");
    }

    // ------------------------------------------------------------------ LeNet-5

    @Test
    void leNet5LayerByLayer() {
        ModelIR m = model("lenet5.dlx", "LeNet5");
        List<Node> weighted = m.layers().stream().filter(n -> n.paramCount() > 0).toList();
        assertEquals(List.of(156L, 2_416L, 48_120L, 10_164L, 850L), weighted.stream().map(Node::paramCount).toList());
        assertEquals(List.of("[28, 28, 6]", "[10, 10, 16]", "[120]", "[84]", "[10]"),
            weighted.stream().map(n -> n.shape().toString()).toList());
        assertEquals("(None, 14, 14, 6)", layer(m, "avgpool_1").shape().withBatch());
        assertEquals("(None, 5, 5, 16)", layer(m, "avgpool_2").shape().withBatch());
        assertEquals("(None, 400)", layer(m, "flatten_1").shape().withBatch());
        // Receptive fields: 5; after the 2x2 pool 5 + 1 = 6; conv_2 adds (5 - 1) * 2 = 8: 14; pool: 16.
        assertEquals("5x5", layer(m, "conv_1").receptiveField().toString());
        assertEquals("6x6", layer(m, "avgpool_1").receptiveField().toString());
        assertEquals("14x14", layer(m, "conv_2").receptiveField().toString());
        assertEquals("16x16", layer(m, "avgpool_2").receptiveField().toString());
        assertEquals("all", layer(m, "dense_1").receptiveField().toString());
    }

    // ------------------------------------------------------------------ VGG16

    @Test
    void vgg16MatchesKerasSummaryLayerByLayer() {
        ModelIR m = model("vgg16.dlx", "VGG16");
        // Keras's VGG16().summary(), without the input and the activations (which Keras folds into the convs).
        List<String> expected = List.of(
            "(None, 224, 224, 64) 1792", "(None, 224, 224, 64) 36928", "(None, 112, 112, 64) 0",
            "(None, 112, 112, 128) 73856", "(None, 112, 112, 128) 147584", "(None, 56, 56, 128) 0",
            "(None, 56, 56, 256) 295168", "(None, 56, 56, 256) 590080", "(None, 56, 56, 256) 590080",
            "(None, 28, 28, 256) 0",
            "(None, 28, 28, 512) 1180160", "(None, 28, 28, 512) 2359808", "(None, 28, 28, 512) 2359808",
            "(None, 14, 14, 512) 0",
            "(None, 14, 14, 512) 2359808", "(None, 14, 14, 512) 2359808", "(None, 14, 14, 512) 2359808",
            "(None, 7, 7, 512) 0",
            "(None, 25088) 0",
            "(None, 4096) 102764544", "(None, 4096) 16781312", "(None, 1000) 4097000");
        Set<String> shown = Set.of("conv", "maxpool", "flatten", "dense");
        List<String> actual = m.layers().stream().filter(n -> shown.contains(n.kindName()))
            .map(n -> n.shape().withBatch() + " " + n.paramCount()).toList();
        assertEquals(expected, actual);
        assertEquals(List.of("(None, 224, 224, 3)"), m.inputShapes().stream().map(s -> s.withBatch()).toList());
        assertEquals(List.of("(None, 1000)"), m.outputShapes().stream().map(s -> s.withBatch()).toList());
    }

    @Test
    void vgg16ReceptiveFields() {
        ModelIR m = model("vgg16.dlx", "VGG16");
        List<Node> windows = m.layers().stream().filter(n -> n.kindName().equals("conv") || n.kindName().equals("maxpool")).toList();
        // R grows by (k - 1) * jump: two 3x3 convs give 3, 5; the 2x2 pool adds 1 (jump 1) and doubles the jump.
        List<String> expected = List.of(
            "3x3", "5x5", "6x6",                // stage 1, jump 1 then 2
            "10x10", "14x14", "16x16",          // stage 2, +4 per conv, jump 4
            "24x24", "32x32", "40x40", "44x44", // stage 3, +8, jump 8
            "60x60", "76x76", "92x92", "100x100",     // stage 4, +16, jump 16
            "132x132", "164x164", "196x196", "212x212"); // stage 5, +32: VGG16's well-known 212
        assertEquals(expected, windows.stream().map(n -> n.receptiveField().toString()).toList());
    }

    // ------------------------------------------------------------------ details of the larger models

    @Test
    void resNet50StemAndHead() {
        ModelIR m = model("resnet50.dlx", "ResNet50");
        assertEquals("(None, 230, 230, 3)", layer(m, "zeropad_1").shape().withBatch());
        Node conv1 = layer(m, "conv_1");
        assertEquals("(None, 112, 112, 64)", conv1.shape().withBatch());
        assertEquals(9_472, conv1.paramCount()); // 7*7*3*64 + 64, with Keras's bias
        assertEquals("7x7", conv1.receptiveField().toString());
        Node pool = layer(m, "maxpool_1");
        assertEquals("(None, 56, 56, 64)", pool.shape().withBatch());
        assertEquals("11x11", pool.receptiveField().toString()); // 7 + (3 - 1) * 2
        assertEquals("(None, 2048)", layer(m, "global_avgpool_1").shape().withBatch());
        assertEquals(2_049_000, layer(m, "dense_1").paramCount());
        // The first bottleneck's 3x3 conv: 11 + (3 - 1) * 4 = 19.
        assertEquals("19x19", layer(m, "stack_1/projection_1/conv_3").receptiveField().toString());
        // Batch norm: gamma and beta trained, the moving mean and variance not.
        Node bn = layer(m, "bn_1/batchnorm_1");
        assertEquals(256, bn.paramCount());
        assertEquals(128, bn.nonTrainableCount());
    }

    @Test
    void mobileNetStemAndTop() {
        ModelIR m = model("mobilenet.dlx", "MobileNet");
        assertEquals(864, layer(m, "conv_block_1/conv_1").paramCount());                  // 3*3*3*32, no bias
        assertEquals(288, layer(m, "depthwise_block_1/depthwise_conv_1").paramCount());  // 3*3*32
        assertEquals(2_048, layer(m, "depthwise_block_1/conv_1").paramCount());          // 32*64
        assertEquals("(None, 1, 1, 1024)", layer(m, "reshape_1").shape().withBatch());
        Node classifier = layer(m, "conv_1");
        assertEquals("(None, 1, 1, 1000)", classifier.shape().withBatch());
        assertEquals(1_025_000, classifier.paramCount());
        assertEquals("(None, 1000)", layer(m, "reshape_2").shape().withBatch());
        // 3x3/2 stem: 3; the depthwise 3x3 after it: 3 + 2 * 2 = 7.
        assertEquals("7x7", layer(m, "depthwise_block_1/depthwise_conv_1").receptiveField().toString());
    }

    @Test
    void inceptionV3GridSizesAndAsymmetricKernels() {
        ModelIR m = model("inception_v3.dlx", "InceptionV3");
        assertEquals("(None, 35, 35, 256)", layer(m, "inception_a_1/concat_1").shape().withBatch());
        assertEquals("(None, 35, 35, 288)", layer(m, "inception_a_3/concat_1").shape().withBatch());
        assertEquals("(None, 17, 17, 768)", layer(m, "reduction_a_1/concat_1").shape().withBatch());
        assertEquals("(None, 8, 8, 1280)", layer(m, "reduction_b_1/concat_1").shape().withBatch());
        assertEquals("(None, 8, 8, 2048)", layer(m, "inception_c_2/concat_1").shape().withBatch());
        // Stem: 3 (jump 2), 7, 11, pool 15 (jump 4), 1x1 15, 3x3 23, pool 31 (jump 8).
        assertEquals("31x31", layer(m, "maxpool_2").receptiveField().toString());
        // A 1x7 conv at jump 16 widens only the columns: 159 x (159 + 6 * 16).
        Node oneBySeven = layer(m, "inception_b_1/cbn_3/conv_1");
        assertEquals(114_688, oneBySeven.paramCount()); // 1*7*128*128, no bias
        assertEquals("159x255", oneBySeven.receptiveField().toString());
        // Batch norm with scale=False: beta only trained, 3 * C in all.
        Node bn = layer(m, "inception_b_1/cbn_3/batchnorm_1");
        assertEquals(384, bn.paramCount());
        assertEquals(128, bn.trainableCount());
    }

    @Test
    void xceptionAndDenseNetShapes() {
        ModelIR x = model("xception.dlx", "Xception");
        assertEquals("(None, 147, 147, 64)", layer(x, "conv_2").shape().withBatch());
        assertEquals("(None, 10, 10, 1024)", layer(x, "reduction_3/add_1").shape().withBatch());
        assertEquals("(None, 2048)", layer(x, "global_avgpool_1").shape().withBatch());
        ModelIR d = model("densenet121.dlx", "DenseNet121");
        assertEquals("(None, 56, 56, 256)", layer(d, "dense_layer_6/concat_1").shape().withBatch());
        assertEquals("(None, 28, 28, 128)", layer(d, "transition_1/avgpool_1").shape().withBatch());
        assertEquals("(None, 7, 7, 1024)", layer(d, "dense_layer_58/concat_1").shape().withBatch());
        assertEquals(36_864, layer(d, "dense_layer_1/grown").paramCount()); // 3*3*128*32, no bias
    }

    @Test
    void alexNetAndSequenceModels() {
        ModelIR a = model("alexnet.dlx", "AlexNet");
        assertEquals(List.of(34_944L, 614_656L, 885_120L, 1_327_488L, 884_992L, 37_752_832L, 16_781_312L, 4_097_000L),
            a.layers().stream().filter(n -> n.paramCount() > 0).map(Node::paramCount).toList());
        assertEquals("(None, 55, 55, 96)", layer(a, "conv_1").shape().withBatch());
        assertEquals("(None, 6, 6, 256)", layer(a, "maxpool_3").shape().withBatch());
        assertEquals("(None, 9216)", layer(a, "flatten_1").shape().withBatch());
        assertEquals("11x11", layer(a, "conv_1").receptiveField().toString());
        assertEquals("19x19", layer(a, "maxpool_1").receptiveField().toString()); // 11 + 2 * 4

        ModelIR lstm = model("lstm_text_classifier.dlx", "LstmTextClassifier");
        assertEquals(List.of(1_280_000L, 49_408L, 65L),
            lstm.layers().stream().filter(n -> n.paramCount() > 0).map(Node::paramCount).toList());
        assertEquals("(None, 200, 128)", layer(lstm, "embedding_1").shape().withBatch());
        assertEquals("(None, 64)", layer(lstm, "lstm_1").shape().withBatch());

        ModelIR tagger = model("bilstm_tagger.dlx", "BiLstmTagger");
        assertEquals(List.of(2_000_000L, 234_496L, 82_176L, 1_105L),
            tagger.layers().stream().filter(n -> n.paramCount() > 0).map(Node::paramCount).toList());
        assertEquals("(None, 50, 256)", layer(tagger, "lstm_1").shape().withBatch());
        assertEquals("(None, 50, 17)", layer(tagger, "softmax_1").shape().withBatch());
    }
}
