package dev.dlx.compiler.layers;

/**
 * A layer's attributes as typed values: each kind declares its own record (`Conv.Settings`,
 * `Dense.Settings`, ...) and builds it once from the bound attributes in
 * {@link LayerKind#settings}, where every default is decided. Shape inference, parameter specs,
 * receptive fields and the runtime's lowerings read its fields; nothing after binding reads an
 * attribute by name.
 */
public interface LayerSettings {}
