package dev.dlx.compiler.layers;

import dev.dlx.compiler.shape.Padding;

/** The settings every convolution-like kind has (`conv`, `depthwise_conv`, `separable_conv`). */
public interface Windowed extends Biased {
    Sizes kernel();
    Sizes stride();
    Sizes dilation();
    Padding padding();
}
