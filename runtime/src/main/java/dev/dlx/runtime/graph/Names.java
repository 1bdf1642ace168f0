package dev.dlx.runtime.graph;

import org.tensorflow.op.Ops;

/** TensorFlow names for dlx names: `residual_1/conv_2` becomes nested scopes; other characters become `_`. */
final class Names {
    /** Prefix of the graph's own operations (mode flags, initializer): dlx names have no `.`, so they never collide. */
    static final String GRAPH = "dlx.";

    private Names() {}

    static String op(String name) {
        String s = name.replaceAll("[^A-Za-z0-9_.\\-]", "_");
        return s.isEmpty() || !Character.isLetterOrDigit(s.charAt(0)) && s.charAt(0) != '.' ? "n" + s : s;
    }

    static Ops scope(Ops tf, String nodeName) {
        Ops scoped = tf;
        for (String part : nodeName.split("/")) {
            if (!part.isEmpty()) scoped = scoped.withSubScope(op(part));
        }
        return scoped;
    }
}
