package dev.dlx.runtime.testing;

import dev.dlx.compiler.train.Loss;
import java.util.List;

/**
 * Small models covering every layer kind and its variants (ranks, paddings, strides, dilations,
 * merges, directions), each with the loss its gradient check uses. Weightless layers sit between
 * layers with weights so that their gradients are exercised, and the model inputs are checked too.
 */
public final class Catalog {
    private Catalog() {}

    public record Case(String name, String source, Loss loss) {
        @Override public String toString() { return name; }
    }

    private static Case mse(String name, String source) { return new Case(name, source, Loss.MSE); }

    public static final List<Case> CASES = List.of(
        // convolutions
        mse("conv1d same stride 2", "model M(x [7, 2]) { conv1d 3 3 stride 2 padding same }"),
        mse("conv1d valid dilation 2", "model M(x [9, 2]) { conv 2 3 dilation 2 }"),
        mse("conv1d full", "model M(x [5, 2]) { conv 2 3 padding full bias false }"),
        mse("conv2d same stride 2", "model M(x [5, 5, 2]) { conv2d 3 3 stride 2 padding same }"),
        mse("conv2d valid 2x3", "model M(x [6, 5, 2]) { conv 2 2x3 stride 2x1 }"),
        mse("conv2d explicit dilation", "model M(x [6, 6, 1]) { conv 2 3 padding 1 dilation 2 }"),
        mse("conv2d full", "model M(x [4, 4, 2]) { conv 2 2 padding full }"),
        mse("conv3d same stride 2", "model M(x [5, 4, 4, 2]) { conv3d 2 3 stride 2 padding same }"),
        mse("conv3d valid dilation", "model M(x [5, 5, 5, 1]) { conv 2 2 dilation 2x1x1 }"),
        mse("conv_transpose1d stride 2", "model M(x [3, 2]) { conv_transpose1d 2 3 stride 2 }"),
        mse("conv_transpose2d same", "model M(x [3, 3, 2]) { conv_transpose 2 3x2 stride 2x3 padding same }"),
        mse("conv_transpose2d output_padding dilation", "model M(x [3, 3, 1]) { conv_transpose 2 2 stride 2 dilation 2 padding same output_padding 1 }"),
        mse("conv_transpose3d", "model M(x [2, 2, 2, 1]) { conv_transpose3d 2 2 stride 2x1x2 padding 1 }"),
        mse("depthwise1d", "model M(x [7, 2]) { depthwise_conv1d 3 multiplier 2 stride 2 padding same }"),
        mse("depthwise2d", "model M(x [6, 6, 2]) { depthwise_conv 3 multiplier 2 dilation 2 }"),
        mse("depthwise2d stride same", "model M(x [5, 5, 3]) { depthwise_conv2d 3 stride 2 padding same bias false }"),
        mse("depthwise2d stride 1x2", "model M(x [5, 6, 2]) { depthwise_conv 2x3 stride 1x2 padding same }"),
        mse("depthwise3d", "model M(x [4, 4, 4, 2]) { depthwise_conv 2 padding same }"),
        mse("separable1d", "model M(x [8, 2]) { separable_conv1d 3 3 multiplier 2 }"),
        mse("separable2d", "model M(x [6, 6, 2]) { separable_conv 4 3 stride 2 padding same }"),
        // pooling
        mse("maxpool1d", "model M(x [7, 2]) { conv 2 1 -> maxpool 2 padding same -> conv 2 1 }"),
        mse("avgpool1d", "model M(x [7, 2]) { conv 2 1 -> avgpool 3 stride 2 -> conv 2 1 }"),
        mse("maxpool2d", "model M(x [5, 5, 2]) { conv 2 1 -> maxpool 2 -> conv 2 1 }"),
        mse("maxpool2d same", "model M(x [5, 5, 2]) { conv 2 1 -> maxpool 3 stride 2 padding same -> conv 2 1 }"),
        // a max pool of a relu pools first, then applies the relu (PoolLowering)
        mse("relu then maxpool2d", "model M(x [5, 5, 2]) { conv 3 1 -> relu -> maxpool 2 -> conv 2 1 }"),
        mse("conv relu then maxpool2d same", "model M(x [5, 5, 2]) { conv 3 2 -> relu\n maxpool 3 stride 2 padding same -> conv 2 1 }"),
        mse("avgpool2d same", "model M(x [5, 5, 2]) { conv 2 1 -> avgpool 2 padding same -> conv 2 1 }"),
        mse("maxpool3d same", "model M(x [5, 4, 4, 2]) { conv 2 1 -> maxpool3d 2 padding same -> conv 2 1 }"),
        mse("avgpool3d same", "model M(x [5, 3, 4, 2]) { conv 2 1 -> avgpool 3 stride 2 padding same -> conv 2 1 }"),
        mse("avgpool3d valid", "model M(x [4, 4, 4, 2]) { conv 2 1 -> avgpool 2 -> conv 2 1 }"),
        mse("global pools", "model M(x [4, 4, 2]) { let c = conv 3 1\n let a = c -> global_maxpool\n"
            + " let b = c -> global_avgpool\n concat(a, b) -> dense 2 }"),
        // dense, reshaping, regularization
        mse("dense", "model M(x [4]) { dense 3 -> tanh -> dense 2 bias false }"),
        mse("dense per step", "model M(x [3, 4]) { dense 2 }"),
        mse("dense per step unknown T", "model M(x [?, 4]) { dense 2 }"),
        mse("flatten reshape", "model M(x [2, 3, 2]) { conv 2 1 -> flatten -> reshape [3, ?] -> dense 2 }"),
        mse("dropout", "model M(x [6]) { dense 5 -> dropout 0.5 -> dense 2 }"),
        mse("repeat one-to-many", "model M(x [3]) { dense 2 -> repeat 4 -> gru 3 return_sequences -> dense 2 }"),
        // no bias before batch norm: its gradient is exactly zero, which central differences can only resolve to noise
        mse("batchnorm dense", "model M(x [4]) { dense 3 bias false -> batchnorm -> dense 2 }"),
        mse("batchnorm conv", "model M(x [3, 3, 2]) { conv 2 2 bias false -> batchnorm momentum 0.9 epsilon 0.01 -> conv 2 2 }"),
        mse("batchnorm no scale", "model M(x [4]) { dense 3 bias false -> batchnorm scale false center false -> dense 2 }"),
        mse("layernorm", "model M(x [4]) { dense 3 -> layernorm -> dense 2 }"),
        mse("layernorm per step", "model M(x [3, 2]) { dense 3 -> layernorm epsilon 0.01 scale false -> dense 2 }"),
        // activations
        mse("gelu", "model M(x [5]) { dense 4 -> gelu -> dense 2 }"),
        mse("gelu approximate", "model M(x [5]) { dense 4 -> gelu approximate true -> dense 2 }"),
        mse("swish", "model M(x [5]) { dense 4 -> swish -> dense 2 }"),
        mse("silu", "model M(x [5]) { dense 4 -> silu -> dense 2 }"),
        mse("relu", "model M(x [5]) { dense 4 -> relu -> dense 2 }"),
        mse("relu6", "model M(x [5]) { dense 4 -> relu6 -> dense 2 }"),
        mse("leaky_relu", "model M(x [5]) { dense 4 -> leaky_relu 0.2 -> dense 2 }"),
        mse("elu", "model M(x [5]) { dense 4 -> elu 0.5 -> dense 2 }"),
        mse("sigmoid", "model M(x [5]) { dense 4 -> sigmoid -> dense 2 }"),
        mse("tanh", "model M(x [5]) { dense 4 -> tanh -> dense 2 }"),
        mse("softplus", "model M(x [5]) { dense 4 -> softplus -> dense 2 }"),
        mse("linear", "model M(x [5]) { dense 4 -> linear -> dense 2 }"),
        new Case("softmax categorical", "model M(x [5]) { dense 4 -> softmax }", Loss.CATEGORICAL_CROSSENTROPY),
        new Case("softmax sparse", "model M(x [5]) { dense 3 -> softmax }", Loss.SPARSE_CATEGORICAL_CROSSENTROPY),
        new Case("sigmoid binary", "model M(x [5]) { dense 2 -> sigmoid }", Loss.BINARY_CROSSENTROPY),
        new Case("mae", "model M(x [5]) { dense 2 }", Loss.MAE),
        new Case("huber", "model M(x [5]) { dense 2 }", Loss.HUBER),
        // detection: the head's decoding (sigmoid, exp, softmax of slices) between a convolution and the loss
        mse("yolo head", "model M(x [2, 3, 2]) { conv 14 1 -> yolo anchors 0.5 0.25 0.3 0.6 classes 2 }"),
        // sequences
        mse("embedding", "model M(tokens [4]) { embedding 7 3 -> flatten -> dense 2 }"),
        mse("rnn", "model M(x [4, 3]) { rnn 3 }"),
        mse("rnn relu sequences", "model M(x [3, 2]) { rnn 3 activation relu return_sequences }"),
        mse("gru", "model M(x [4, 3]) { gru 3 }"),
        mse("gru reset_after", "model M(x [3, 3]) { gru 2 reset_after return_sequences }"),
        mse("lstm", "model M(x [4, 3]) { lstm 3 }"),
        mse("lstm sequences", "model M(x [3, 2]) { lstm 2 return_sequences -> dense 2 }"),
        mse("bidirectional lstm concat", "model M(x [3, 2]) { lstm 2 bidirectional return_sequences }"),
        mse("bidirectional gru sum", "model M(x [3, 2]) { gru 2 bidirectional merge sum }"),
        mse("bidirectional rnn mul", "model M(x [3, 2]) { rnn 2 bidirectional merge mul }"),
        mse("bidirectional lstm average", "model M(x [3, 2]) { lstm 2 bidirectional merge average }"),
        new Case("embedding lstm softmax", "model M(tokens [5]) { embedding 6 3 -> lstm 4 -> dense 3 -> softmax }",
            Loss.CATEGORICAL_CROSSENTROPY),
        mse("attention self", "model M(x [4, 3]) { dense 3 -> attention }"),
        mse("attention causal scaled", "model M(x [4, 3]) { dense 3 -> attention score scaled_dot causal }"),
        mse("embedding mask_zero attention", "model M(tokens [6]) { embedding 4 3 mask_zero -> dense 3 -> attention score scaled_dot }"),
        mse("attention query value key", "model M(q [3, 2], v [4, 3]) { let qd = q -> dense 2\n let kd = v -> dense 2\n"
            + " let vd = v -> dense 3\n attention(qd, vd, kd, causal = true) }"),
        mse("multihead self", "model M(x [3, 4]) { dense 4 -> multihead_attention 2 3 value_dim 2 }"),
        mse("multihead causal dropout", "model M(x [3, 4]) { multihead_attention 2 2 causal dropout 0.2 }"),
        mse("multihead cross", "model M(q [2, 3], v [3, 4]) { let k = v -> dense 2\n multihead_attention(q, v, k, heads = 2, key_dim = 2) }"),
        mse("embedding mask_zero multihead", "model M(tokens [5]) { embedding 4 3 mask_zero -> multihead_attention 1 2 bias false }"),
        mse("positional learned", "model M(x [3, 2]) { dense 2 -> positional length 5 -> dense 2 }"),
        mse("positional learned unknown T", "model M(x [?, 2]) { dense 2 -> positional length 5 -> dense 2 }"),
        mse("multihead causal unknown T", "model M(x [?, 4]) { multihead_attention 2 2 causal }"),
        mse("positional sinusoidal", "model M(x [3, 4]) { dense 4 -> positional sinusoidal -> dense 2 }"),
        // merges and spatial reshaping
        mse("add", "model M(x [4]) { let a = x -> dense 3\n let b = x -> dense 3\n add(a, b) -> dense 2 }"),
        mse("multiply", "model M(x [4]) { let a = x -> dense 3\n let b = x -> dense 3\n multiply(a, b) }"),
        mse("average", "model M(x [4]) { let a = x -> dense 3\n let b = x -> dense 3\n let c = x -> dense 3\n average(a, b, c) }"),
        mse("maximum", "model M(x [4]) { let a = x -> dense 3\n let b = x -> dense 3\n maximum(a, b) }"),
        mse("subtract", "model M(x [4]) { let a = x -> dense 3\n let b = x -> dense 3\n subtract(a, b) }"),
        mse("concat", "model M(x [3, 3, 2]) { let a = x -> conv 2 1\n let b = x -> conv 3 1\n concat(a, b) -> conv 2 2 }"),
        mse("concat axis 0", "model M(x [3, 2]) { let a = x -> dense 2\n let b = x -> dense 2\n concat(a, b, axis = 0) }"),
        mse("upsample1d", "model M(x [3, 2]) { conv 2 1 -> upsample 3 -> conv 2 2 }"),
        mse("upsample2d", "model M(x [2, 3, 2]) { conv 2 1 -> upsample 2x3 -> conv 2 2 }"),
        mse("upsample3d", "model M(x [2, 2, 2, 1]) { conv 2 1 -> upsample 2 -> conv 1 2 }"),
        mse("zeropad", "model M(x [3, 3, 2]) { conv 2 1 -> zeropad 1x2 -> conv 2 2 }"),
        mse("zeropad1d", "model M(x [3, 2]) { conv 2 1 -> zeropad 2 -> conv 2 2 }"));
}
