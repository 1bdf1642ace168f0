package dev.dlx.runtime.lower;

import dev.dlx.compiler.layers.LayerKind;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The registry: one line per layer kind, by the kind's registry name (the compiler's
 * {@code Layers}); a family's lowering serves all its kinds. A test fails when a kind has none.
 */
public final class Lowerings {
    private static final Lowering CONV = new ConvLowering();
    private static final Lowering POOL = new PoolLowering();
    private static final Lowering RESHAPE = new ReshapeLowering();
    private static final Lowering ACTIVATION = new ActivationLowering();
    private static final Lowering RECURRENT = new RecurrentLowering();
    private static final Lowering MERGE = new MergeLowering();

    private static final Map<String, Lowering> BY_KIND = Map.ofEntries(
        Map.entry("conv", CONV),
        Map.entry("conv_transpose", new ConvTransposeLowering()),
        Map.entry("depthwise_conv", CONV),
        Map.entry("separable_conv", CONV),
        Map.entry("maxpool", POOL),
        Map.entry("avgpool", POOL),
        Map.entry("global_maxpool", POOL),
        Map.entry("global_avgpool", POOL),
        Map.entry("dense", new DenseLowering()),
        Map.entry("flatten", RESHAPE),
        Map.entry("reshape", RESHAPE),
        Map.entry("repeat", new RepeatLowering()),
        Map.entry("dropout", new DropoutLowering()),
        Map.entry("batchnorm", new BatchNormLowering()),
        Map.entry("layernorm", new LayerNormLowering()),
        Map.entry("relu", ACTIVATION),
        Map.entry("relu6", ACTIVATION),
        Map.entry("leaky_relu", ACTIVATION),
        Map.entry("elu", ACTIVATION),
        Map.entry("sigmoid", ACTIVATION),
        Map.entry("tanh", ACTIVATION),
        Map.entry("softmax", ACTIVATION),
        Map.entry("softplus", ACTIVATION),
        Map.entry("gelu", ACTIVATION),
        Map.entry("swish", ACTIVATION),
        Map.entry("linear", ACTIVATION),
        Map.entry("embedding", new EmbeddingLowering()),
        Map.entry("positional", new PositionalLowering()),
        Map.entry("rnn", RECURRENT),
        Map.entry("gru", RECURRENT),
        Map.entry("lstm", RECURRENT),
        Map.entry("attention", new AttentionLowering()),
        Map.entry("multihead_attention", new MultiHeadAttentionLowering()),
        Map.entry("add", MERGE),
        Map.entry("multiply", MERGE),
        Map.entry("average", MERGE),
        Map.entry("maximum", MERGE),
        Map.entry("subtract", MERGE),
        Map.entry("concat", MERGE),
        Map.entry("upsample", RESHAPE),
        Map.entry("zeropad", RESHAPE),
        Map.entry("yolo", new YoloLowering()));

    private Lowerings() {}

    public static Optional<Lowering> find(String kindName) { return Optional.ofNullable(BY_KIND.get(kindName)); }

    /** The lowering of {@code kind}; a missing one is a bug in the runtime. */
    public static Lowering of(LayerKind<?> kind) {
        Lowering l = BY_KIND.get(kind.name());
        if (l == null) throw new IllegalStateException("no lowering for layer kind `" + kind.name() + "`");
        return l;
    }

    public static Set<String> kinds() { return BY_KIND.keySet(); }
}
