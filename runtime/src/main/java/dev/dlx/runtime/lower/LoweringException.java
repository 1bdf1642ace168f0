package dev.dlx.runtime.lower;

import dev.dlx.compiler.ir.Node;

/**
 * A model that cannot be lowered. {@link #internal()} marks a bug in the runtime (TensorFlow
 * disagrees with the checker's shapes: never the user's fault); otherwise the model uses something
 * the runtime does not support yet.
 */
public final class LoweringException extends RuntimeException {
    private final boolean internal;

    private LoweringException(String message, boolean internal) {
        super(message);
        this.internal = internal;
    }

    public static LoweringException internal(Node node, String message) {
        return new LoweringException("internal error in the lowering of `" + node.name() + "` (" + node.kindName()
            + "): " + message, true);
    }

    public static LoweringException unsupported(Node node, String message) {
        return new LoweringException("cannot run `" + node.name() + "` (" + node.kindName() + "): " + message, false);
    }

    public boolean internal() { return internal; }
}
