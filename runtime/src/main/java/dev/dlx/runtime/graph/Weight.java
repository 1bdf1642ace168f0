package dev.dlx.runtime.graph;

import dev.dlx.compiler.ir.ParamSpec;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.family.TFloating;

/**
 * One weight tensor of the graph: the checker's {@link ParamSpec} of layer {@link #layer()} (for a
 * layer of a model used inside the model, the weights' owner `Encoder/dense_1`, one for all uses), its
 * variable, and an assign op fed from a placeholder, to read and write values as flat arrays
 * (row-major, the spec's shape).
 */
public final class Weight {
    private final String layer;
    private final ParamSpec spec;
    private final Variable<? extends TFloating> variable;
    private final Placeholder<? extends TFloating> value;
    private final Assign<? extends TFloating> assign;
    private final Class<? extends TFloating> type;

    <T extends TFloating> Weight(String layer, ParamSpec spec, Variable<T> variable, Placeholder<T> value,
                                 Assign<T> assign, Class<T> type) {
        this.layer = layer;
        this.spec = spec;
        this.variable = variable;
        this.value = value;
        this.assign = assign;
        this.type = type;
    }

    /** `layer/param`, e.g. `conv_1/kernel`: the name in checkpoints. */
    public String name() { return layer + "/" + spec.name(); }
    public String layer() { return layer; }
    public ParamSpec spec() { return spec; }
    public boolean trainable() { return spec.trainable(); }
    public long[] shape() { return spec.shape().stream().mapToLong(Long::longValue).toArray(); }
    public int size() { return Math.toIntExact(spec.count()); }

    /** The variable: fetch it to read, pass it to {@code Graph.addGradients} to differentiate. */
    public Operand<? extends TFloating> variable() { return variable; }

    /** The placeholder that {@link #assign()} copies into the variable (for feeding in bulk). */
    public Placeholder<? extends TFloating> valueInput() { return value; }
    public Assign<? extends TFloating> assign() { return assign; }

    public double[] readDoubles(Session session) {
        try (Result r = session.runner().fetch(variable).run()) {
            return Tensors.doubles(r.get(0));
        }
    }

    public float[] readFloats(Session session) {
        try (Result r = session.runner().fetch(variable).run()) {
            return Tensors.floats(r.get(0));
        }
    }

    public void write(Session session, double[] values) {
        try (Tensor t = Tensors.of(type, shape(), values)) {
            run(session, t);
        }
    }

    public void write(Session session, float[] values) {
        try (Tensor t = Tensors.of(type, shape(), values)) {
            run(session, t);
        }
    }

    /** A tensor of this weight's precision and shape, for feeding {@link #valueInput()}. */
    Tensor tensor(float[] values) { return Tensors.of(type, shape(), values); }

    private void run(Session session, Tensor t) {
        try (Result r = session.runner().feed(value, t).addTarget(assign).run()) {
            // nothing to fetch
        }
    }

    @Override public String toString() { return name() + spec.shape() + (trainable() ? "" : " (frozen)"); }
}
