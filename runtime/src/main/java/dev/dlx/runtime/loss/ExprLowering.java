package dev.dlx.runtime.loss;

import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.train.expr.Function;
import dev.dlx.compiler.train.expr.LossExpr;
import dev.dlx.compiler.train.expr.TensorEnv;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * A checked loss or metric expression as TensorFlow operations, differentiated by TensorFlow like
 * the built-in losses. Every tensor keeps its batch axis first; a number has none and broadcasts.
 * Operands of different per-sample rank are aligned as broadcasting wants them (axes of 1 inserted
 * after the batch axis), and a node's `axis` counts without the batch axis. One method per function.
 */
public final class ExprLowering<T extends TFloating> {
    /** The operand of a named tensor: a model node's tensor, or a label's fed targets. */
    public interface Operands<T extends TFloating> {
        Operand<T> of(TensorEnv.Entry tensor);
    }

    /** Keras's floor under squared norms before their root (`l2_normalize`). */
    static final double NORM_EPSILON = 1e-12;

    private final Ops tf;
    private final Class<T> type;
    private final Operands<T> operands;
    /** Each node lowered once: expressions lowered through one instance share their subtrees' ops. */
    private final Map<LossExpr, Value<T>> lowered = new IdentityHashMap<>();

    private ExprLowering(Ops tf, Class<T> type, Operands<T> operands) {
        this.tf = tf;
        this.type = type;
        this.operands = operands;
    }

    /** The batch mean of a per-sample scalar expression: the loss (or metric) of a batch. */
    public static <T extends TFloating> Operand<T> batchMean(Ops tf, Class<T> type, LossExpr e, Operands<T> operands) {
        return of(tf, type, operands).batchMean(e);
    }

    /** A lowering that builds each node once, however many of the expressions it lowers contain it. */
    public static <T extends TFloating> ExprLowering<T> of(Ops tf, Class<T> type, Operands<T> operands) {
        return new ExprLowering<>(tf, type, operands);
    }

    /** The batch mean of {@code e}, reusing the ops of any node already lowered here (a term inside the objective). */
    public Operand<T> batchMean(LossExpr e) {
        Operand<T> v = lower(e).value;
        return tf.math.mean(v, tf.range(tf.constant(0), tf.rank(v), tf.constant(1)));
    }

    /** The expression's value per sample: [batch, ...its per-sample shape] (a constant expression: a scalar). */
    public static <T extends TFloating> Operand<T> perSample(Ops tf, Class<T> type, LossExpr e, Operands<T> operands) {
        return new ExprLowering<>(tf, type, operands).lower(e).value;
    }

    /** Whether the expression is a one-word loss: a built-in loss of the model's output and the label. */
    public static boolean isPlain(LossExpr e) {
        return e instanceof LossExpr.Builtin b && b.prediction() instanceof LossExpr.Ref p && p.tensor().role() == TensorEnv.Role.OUTPUT
            && b.target() instanceof LossExpr.Ref t && t.tensor().isLabel();
    }

    /**
     * The layers whose weights the expression's gradient reaches: those the tensors it names depend
     * on, short of a `stop_gradient`.
     */
    public static Set<String> reachedLayers(ModelIR model, LossExpr e) {
        return dev.dlx.compiler.train.expr.Reach.layers(model, e);
    }

    // ------------------------------------------------------------------ nodes

    /** A lowered node: its value, and its per-sample rank when it has a batch axis (-1 for a number). */
    private record Value<U extends TFloating>(Operand<U> value, int rank) {
        boolean batched() { return rank >= 0; }
    }

    private Value<T> lower(LossExpr e) {
        Value<T> done = lowered.get(e);
        if (done != null) return done;
        Value<T> v = build(e);
        lowered.put(e, v);
        return v;
    }

    private Value<T> build(LossExpr e) {
        if (e instanceof LossExpr.Const c) return new Value<>(tf.constant(type, c.value()), -1);
        if (e instanceof LossExpr.Ref r) return new Value<>(operands.of(r.tensor()), r.shape().rank());
        if (e instanceof LossExpr.Neg n) {
            Value<T> x = lower(n.operand());
            return new Value<>(tf.math.neg(x.value), x.rank);
        }
        if (e instanceof LossExpr.Arith a) return arith(a);
        if (e instanceof LossExpr.Unary u) return unary(u);
        if (e instanceof LossExpr.Reduce r) return reduce(r);
        if (e instanceof LossExpr.Pair p) return pair(p);
        LossExpr.Builtin b = (LossExpr.Builtin) e;
        Value<T> pred = lower(b.prediction()), target = lower(b.target());
        return new Value<>(Losses.perSample(tf, b.spec(), pred.value, target.value), 0);
    }

    private Value<T> arith(LossExpr.Arith a) {
        Value<T>[] xs = aligned(lower(a.left()), lower(a.right()));
        Operand<T> l = xs[0].value, r = xs[1].value;
        Operand<T> v = switch (a.op()) {
            case ADD -> tf.math.add(l, r);
            case SUB -> tf.math.sub(l, r);
            case MUL -> tf.math.mul(l, r);
            case DIV -> tf.math.div(l, r);
        };
        return new Value<>(v, Math.max(xs[0].rank, xs[1].rank));
    }

    private Value<T> unary(LossExpr.Unary u) {
        Value<T> x = lower(u.operand());
        Operand<T> v = x.value;
        return switch (u.function()) {
            case SQUARE -> new Value<>(tf.math.square(v), x.rank);
            case SQRT -> new Value<>(tf.math.sqrt(v), x.rank);
            case ABS -> new Value<>(tf.math.abs(v), x.rank);
            case LOG -> new Value<>(tf.math.log(v), x.rank);
            case EXP -> new Value<>(tf.math.exp(v), x.rank);
            case RELU -> new Value<>(tf.nn.relu(v), x.rank);
            case SIGMOID -> new Value<>(tf.math.sigmoid(v), x.rank);
            // log σ(x) = -softplus(-x), which TensorFlow computes without overflow on either side
            case LOG_SIGMOID -> new Value<>(tf.math.neg(tf.math.softplus(tf.math.neg(v))), x.rank);
            case STOP_GRADIENT -> new Value<>(tf.stopGradient(v), x.rank);
            case TRANSPOSE -> new Value<>(tf.linalg.transpose(v, swapLastTwo(x.rank + 1)), x.rank);
            case GRAM -> gram(x);
            default -> throw new IllegalArgumentException("not a function of one tensor: " + u.function());
        };
    }

    /** F^T F of [batch, ..., c] flattened to [batch, n, c]: [batch, c, c]. */
    private Value<T> gram(Value<T> x) {
        Operand<TInt32> shape = tf.shape(x.value);
        Operand<TInt32> channels = tf.slice(shape, tf.constant(new int[] {x.rank}), tf.constant(new int[] {1}));
        Operand<TInt32> batch = tf.slice(shape, tf.constant(new int[] {0}), tf.constant(new int[] {1}));
        Operand<TInt32> flat = tf.concat(java.util.List.of(batch, tf.constant(new int[] {-1}), channels), tf.constant(0));
        Operand<T> f = tf.reshape(x.value, flat);
        return new Value<>(matmul(tf.linalg.transpose(f, tf.constant(new int[] {0, 2, 1})), f), 2);
    }

    private Value<T> reduce(LossExpr.Reduce r) {
        Value<T> x = lower(r.operand());
        Operand<TInt32> axes = r.axis().isPresent() ? tf.constant(new int[] {r.axis().getAsInt() + 1})
            : tf.range(tf.constant(x.batched() ? 1 : 0), tf.rank(x.value), tf.constant(1));
        int rank = !x.batched() ? -1 : r.axis().isPresent() ? x.rank - 1 : 0;
        Operand<T> v = switch (r.function()) {
            case MEAN -> tf.math.mean(x.value, axes);
            case SUM -> tf.reduceSum(x.value, axes);
            case MIN -> tf.reduceMin(x.value, axes);
            case MAX -> tf.reduceMax(x.value, axes);
            case NORM -> tf.math.sqrt(tf.reduceSum(tf.math.square(x.value), axes));
            default -> throw new IllegalArgumentException("not a reduction: " + r.function());
        };
        return new Value<>(v, rank);
    }

    private Value<T> pair(LossExpr.Pair p) {
        Value<T>[] xs = aligned(lower(p.left()), lower(p.right()));
        Operand<T> a = xs[0].value, b = xs[1].value;
        int rank = Math.max(xs[0].rank, xs[1].rank);
        Operand<TInt32> last = tf.constant(-1);
        return switch (p.function()) {
            case MIN -> new Value<>(tf.math.minimum(a, b), rank);
            case MAX -> new Value<>(tf.math.maximum(a, b), rank);
            case POW -> new Value<>(tf.math.pow(a, b), rank);
            case DOT -> new Value<>(tf.reduceSum(tf.math.mul(a, b), last), rank - 1);
            case SQDIST -> new Value<>(tf.reduceSum(tf.math.squaredDifference(a, b), last), rank - 1);
            case COSINE -> new Value<>(tf.reduceSum(tf.math.mul(normalized(a), normalized(b)), last), rank - 1);
            case MATMUL -> new Value<>(matmul(a, b), rank);
            default -> throw new IllegalArgumentException("not a function of two tensors: " + p.function());
        };
    }

    /**
     * [..., m, k] times [..., k, n] with the leading axes broadcast: the products [..., m, k, n] summed
     * over k (elementary operations, every one with a gradient in graph mode; the sizes of losses are small).
     */
    private Operand<T> matmul(Operand<T> a, Operand<T> b) {
        Operand<T> products = tf.math.mul(tf.expandDims(a, tf.constant(-1)), tf.expandDims(b, tf.constant(-3)));
        return tf.reduceSum(products, tf.constant(-2));
    }

    /** x / sqrt(max(sum x^2, 1e-12)) over the last axis, as Keras's `l2_normalize`. */
    private Operand<T> normalized(Operand<T> x) {
        Operand<T> sq = tf.reduceSum(tf.math.square(x), tf.constant(-1), org.tensorflow.op.core.ReduceSum.keepDims(true));
        return tf.math.mul(x, tf.math.rsqrt(tf.math.maximum(sq, tf.constant(type, NORM_EPSILON))));
    }

    /** Both operands with the same number of axes (axes of 1 after the batch axis), when both have a batch axis. */
    @SuppressWarnings("unchecked")
    private Value<T>[] aligned(Value<T> a, Value<T> b) {
        if (a.batched() && b.batched() && a.rank != b.rank) {
            if (a.rank < b.rank) a = expand(a, b.rank);
            else b = expand(b, a.rank);
        }
        return new Value[] {a, b};
    }

    private Value<T> expand(Value<T> x, int rank) {
        Operand<T> v = x.value;
        for (int i = x.rank; i < rank; i++) v = tf.expandDims(v, tf.constant(1));
        return new Value<>(v, rank);
    }

    private Operand<TInt32> swapLastTwo(int rank) {
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) perm[i] = i;
        perm[rank - 1] = rank - 2;
        perm[rank - 2] = rank - 1;
        return tf.constant(perm);
    }
}
