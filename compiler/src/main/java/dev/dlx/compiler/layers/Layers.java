package dev.dlx.compiler.layers;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The registry: one line per layer kind. Spellings (names and aliases) map to kinds. */
public final class Layers {
    private static final List<LayerKind<?>> KINDS = List.of(
        new Conv(),
        new ConvTranspose(),
        new DepthwiseConv(),
        new SeparableConv(),
        new Pool(Pool.Op.MAX),
        new Pool(Pool.Op.AVG),
        new GlobalPool(Pool.Op.MAX),
        new GlobalPool(Pool.Op.AVG),
        new Dense(),
        new Flatten(),
        new Reshape(),
        new Repeat(),
        new Dropout(),
        new BatchNorm(),
        new LayerNorm(),
        new Activation(Activation.Function.RELU),
        new Activation(Activation.Function.RELU6),
        new Activation(Activation.Function.LEAKY_RELU),
        new Activation(Activation.Function.ELU),
        new Activation(Activation.Function.SIGMOID),
        new Activation(Activation.Function.TANH),
        new Activation(Activation.Function.SOFTMAX),
        new Activation(Activation.Function.SOFTPLUS),
        new Activation(Activation.Function.GELU),
        new Activation(Activation.Function.SWISH),
        new Activation(Activation.Function.LINEAR),
        new Embedding(),
        new Positional(),
        new Recurrent(Recurrent.Cell.RNN),
        new Recurrent(Recurrent.Cell.GRU),
        new Recurrent(Recurrent.Cell.LSTM),
        new Attention(),
        new MultiHeadAttention(),
        new Merge(Merge.Op.ADD),
        new Merge(Merge.Op.MULTIPLY),
        new Merge(Merge.Op.AVERAGE),
        new Merge(Merge.Op.MAXIMUM),
        new Merge(Merge.Op.SUBTRACT),
        new Concat(),
        new Upsample(),
        new ZeroPad(),
        new Yolo());

    private static final Map<String, LayerKind<?>> BY_SPELLING;

    static {
        Map<String, LayerKind<?>> map = new LinkedHashMap<>();
        for (LayerKind<?> k : KINDS) {
            put(map, k.name(), k);
            for (String alias : k.aliases()) put(map, alias, k);
        }
        BY_SPELLING = Collections.unmodifiableMap(map);
    }

    private static void put(Map<String, LayerKind<?>> map, String spelling, LayerKind<?> kind) {
        if (map.put(spelling, kind) != null) throw new IllegalStateException("two layer kinds spelled " + spelling);
    }

    private Layers() {}

    public static Optional<LayerKind<?>> lookup(String spelling) { return Optional.ofNullable(BY_SPELLING.get(spelling)); }

    public static List<LayerKind<?>> all() { return KINDS; }

    public static Collection<String> spellings() { return BY_SPELLING.keySet(); }
}
