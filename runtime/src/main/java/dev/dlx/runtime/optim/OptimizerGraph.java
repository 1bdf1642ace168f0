package dev.dlx.runtime.optim;

import dev.dlx.compiler.train.Optimizer;
import dev.dlx.runtime.graph.Weight;
import dev.dlx.runtime.graph.Tensors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.ApplyMomentum;
import org.tensorflow.types.TFloat32;

/**
 * The update rule of an optimizer as graph operations on the trainable weights, with every
 * hyperparameter from the `optimizer` statement and the learning rate read from a variable (so
 * schedules change it without touching the graph). The rules, with g the (clipped) gradient:
 * <ul>
 *   <li>sgd: w -= α g</li>
 *   <li>momentum (the cheatsheet's form): v = β v + (1-β) g; w -= α v; Nesterov:
 *       w -= α (β v + (1-β) g) with the new v (the look-ahead step)</li>
 *   <li>rmsprop: s = ρ s + (1-ρ) g²; w -= α g / (sqrt(s) + ε), s starting at 0</li>
 *   <li>adam: m = β1 m + (1-β1) g; v = β2 v + (1-β2) g²;
 *       w -= α sqrt(1-β2^t)/(1-β1^t) · m / (sqrt(v) + ε) (the bias-corrected rule in the form Keras
 *       and TensorFlow's fused kernel use)</li>
 *   <li>adagrad: s += g², s starting at `initial`; w -= α g / (sqrt(s) + ε)</li>
 *   <li>adadelta: s = ρ s + (1-ρ) g²; u = sqrt(d + ε) / sqrt(s + ε) · g; d = ρ d + (1-ρ) u²;
 *       w -= α u</li>
 * </ul>
 * Each update waits for every gradient ({@code gradientsReady}), so no weight changes while
 * another gradient still reads it: steps are deterministic.
 */
public final class OptimizerGraph {
    private final List<StateVariable> slots = new ArrayList<>();
    private final List<Op> updates = new ArrayList<>();
    private final Op step;

    private OptimizerGraph(Ops tf, Optimizer spec, List<Weight> weights, List<Operand<TFloat32>> grads, Operand<TFloat32> lr,
                           Op gradientsReady) {
        Ops after = tf.withControlDependencies(List.of(gradientsReady));
        String kind = spec.kind().word();
        List<Op> applies = new ArrayList<>();
        StateVariable beta1Power = null, beta2Power = null;
        if (spec instanceof Optimizer.Adam a) {
            beta1Power = slot(tf, kind + "/beta1_power", new long[0], a.beta1());
            beta2Power = slot(tf, kind + "/beta2_power", new long[0], a.beta2());
        }
        for (int i = 0; i < weights.size(); i++) {
            Weight w = weights.get(i);
            @SuppressWarnings("unchecked")
            Operand<TFloat32> var = (Operand<TFloat32>) w.variable();
            Operand<TFloat32> g = grads.get(i);
            long[] shape = w.shape();
            if (spec instanceof Optimizer.Sgd) {
                applies.add(after.train.applyGradientDescent(var, lr, g));
            } else if (spec instanceof Optimizer.Momentum m) {
                StateVariable v = slot(tf, kind + "/velocity/" + w.name(), shape, 0);
                Operand<TFloat32> scaled = after.math.mul(g, c(after, 1 - m.beta()));
                applies.add(after.train.applyMomentum(var, v.variable(), lr, scaled, c(after, m.beta()),
                    ApplyMomentum.useNesterov(m.nesterov())));
            } else if (spec instanceof Optimizer.RmsProp r) {
                StateVariable s = slot(tf, kind + "/s/" + w.name(), shape, 0);
                Operand<TFloat32> sNew = after.assign(s.variable(), after.math.add(after.math.mul(c(after, r.rho()), s.variable()),
                    after.math.mul(c(after, 1 - r.rho()), after.math.square(g))));
                Operand<TFloat32> delta = after.math.div(after.math.mul(lr, g), after.math.add(after.math.sqrt(sNew), c(after, r.epsilon())));
                applies.add(after.assignSub(var, delta));
            } else if (spec instanceof Optimizer.Adam a) {
                StateVariable m = slot(tf, kind + "/m/" + w.name(), shape, 0);
                StateVariable v = slot(tf, kind + "/v/" + w.name(), shape, 0);
                applies.add(after.train.applyAdam(var, m.variable(), v.variable(), beta1Power.variable(), beta2Power.variable(), lr,
                    c(after, a.beta1()), c(after, a.beta2()), c(after, a.epsilon()), g));
            } else if (spec instanceof Optimizer.Adagrad a) {
                StateVariable s = slot(tf, kind + "/s/" + w.name(), shape, a.initial());
                applies.add(after.train.applyAdagradV2(var, s.variable(), lr, c(after, a.epsilon()), g));
            } else if (spec instanceof Optimizer.Adadelta a) {
                StateVariable s = slot(tf, kind + "/s/" + w.name(), shape, 0);
                StateVariable d = slot(tf, kind + "/d/" + w.name(), shape, 0);
                applies.add(after.train.applyAdadelta(var, s.variable(), d.variable(), lr, c(after, a.rho()), c(after, a.epsilon()), g));
            } else {
                throw new IllegalArgumentException("unknown optimizer " + spec.kind());
            }
        }
        updates.addAll(applies);
        if (beta1Power != null) {
            Optimizer.Adam a = (Optimizer.Adam) spec;
            Ops done = tf.withControlDependencies(applies);
            updates.add(done.assign(beta1Power.variable(), done.math.mul(beta1Power.variable(), c(done, a.beta1()))));
            updates.add(done.assign(beta2Power.variable(), done.math.mul(beta2Power.variable(), c(done, a.beta2()))));
        }
        this.step = tf.withControlDependencies(updates.isEmpty() ? List.of(gradientsReady) : updates).withSubScope("dlx.train").withName("optimizer_step").noOp();
    }

    /** The update ops for {@code weights}, whose gradients are {@code grads} (same order). */
    public static OptimizerGraph build(Ops tf, Optimizer spec, List<Weight> weights, List<Operand<TFloat32>> grads,
                                       Operand<TFloat32> lr, Op gradientsReady) {
        if (weights.size() != grads.size()) throw new IllegalArgumentException("one gradient per weight");
        return new OptimizerGraph(tf, spec, weights, grads, lr, gradientsReady);
    }

    private StateVariable slot(Ops tf, String name, long[] shape, double initial) {
        StateVariable s = StateVariable.create(tf, name, "slot_" + slots.size(), shape, initial);
        slots.add(s);
        return s;
    }

    private static Operand<TFloat32> c(Ops tf, double v) { return tf.constant((float) v); }

    /** The accumulators, in creation order: what a checkpoint saves to resume exactly. */
    public List<StateVariable> slots() { return List.copyOf(slots); }

    /** One op that runs every update of a step. */
    public Op step() { return step; }

    /** Ops that give every accumulator its starting value. */
    public List<Op> initializers() { return slots.stream().map(StateVariable::initializer).toList(); }

    /** The accumulators' values by name, as {@code session} holds them. */
    public Map<String, float[]> read(Session session) {
        Map<String, float[]> out = new LinkedHashMap<>();
        if (slots.isEmpty()) return out;
        Session.Runner runner = session.runner();
        for (StateVariable s : slots) runner.fetch(s.variable());
        try (Result r = runner.run()) {
            for (int i = 0; i < slots.size(); i++) out.put(slots.get(i).name(), Tensors.floats(r.get(i)));
        }
        return out;
    }

    /**
     * Restores accumulators saved by {@link #read}; returns false, changing nothing, when
     * {@code values} lacks one of them or holds it with another size (another optimizer's state).
     */
    public boolean write(Session session, Map<String, float[]> values) {
        for (StateVariable s : slots) {
            float[] v = values.get(s.name());
            if (v == null || v.length != s.size()) return false;
        }
        if (slots.isEmpty()) return true;
        List<Tensor> fed = new ArrayList<>();
        try {
            Session.Runner runner = session.runner();
            for (StateVariable s : slots) {
                TFloat32 t = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(s.shape()), DataBuffers.of(values.get(s.name()), true, false));
                fed.add(t);
                runner.feed(s.value(), t).addTarget(s.assign());
            }
            try (Result r = runner.run()) {
                // nothing to fetch
            }
        } finally {
            fed.forEach(Tensor::close);
        }
        return true;
    }
}
