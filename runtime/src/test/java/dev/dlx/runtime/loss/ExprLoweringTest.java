package dev.dlx.runtime.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dlx.compiler.shape.Shape;
import dev.dlx.compiler.train.Loss;
import dev.dlx.compiler.train.LossSpec;
import dev.dlx.compiler.train.expr.Function;
import dev.dlx.compiler.train.expr.LossExpr;
import dev.dlx.compiler.train.expr.TensorEnv;
import dev.dlx.runtime.graph.Tensors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;

/**
 * Each function of loss expressions, lowered to TensorFlow: the batch mean of its value and its
 * gradient with respect to one tensor, against numbers computed by hand. Per sample, a = [1, 2],
 * b = [3, -1], m = [[1, 2], [3, 4]], p = [0.7, 0.2, 0.1] and y = [1, 0, 0] (one sample each, unless
 * said otherwise).
 */
class ExprLoweringTest {
    /** Values fed per tensor: its per-sample shape and the batch's numbers. */
    private record Fed(long[] sampleShape, double[] values) {}

    private static final Map<String, Fed> FED = Map.of(
        "a", new Fed(new long[] {2}, new double[] {1, 2}),
        "b", new Fed(new long[] {2}, new double[] {3, -1}),
        "m", new Fed(new long[] {2, 2}, new double[] {1, 2, 3, 4}),
        "p", new Fed(new long[] {3}, new double[] {0.7, 0.2, 0.1}),
        "y", new Fed(new long[] {3}, new double[] {1, 0, 0}));

    private static LossExpr ref(String name) {
        Fed f = FED.get(name);
        return new LossExpr.Ref(new TensorEnv.Entry(name, Shape.of(f.sampleShape()), TensorEnv.Role.INTERMEDIATE, 0, null, null), null);
    }

    private static LossExpr num(double v) { return new LossExpr.Const(v, null); }
    private static LossExpr un(Function f, LossExpr x) { return new LossExpr.Unary(f, x, Shape.UNKNOWN, null); }
    private static LossExpr red(Function f, LossExpr x) { return new LossExpr.Reduce(f, x, OptionalInt.empty(), Shape.of(), null); }
    private static LossExpr red(Function f, LossExpr x, int axis) { return new LossExpr.Reduce(f, x, OptionalInt.of(axis), Shape.UNKNOWN, null); }
    private static LossExpr pair(Function f, LossExpr x, LossExpr y) { return new LossExpr.Pair(f, x, y, Shape.UNKNOWN, null); }
    private static LossExpr op(LossExpr.Op o, LossExpr x, LossExpr y) { return new LossExpr.Arith(o, x, y, Shape.UNKNOWN, null); }
    private static LossExpr sum(LossExpr x) { return red(Function.SUM, x); }
    private static LossExpr builtin(Loss l, LossExpr p, LossExpr y) {
        return new LossExpr.Builtin(new LossSpec(l, 0, false, 1, null, null), p, y, null);
    }

    private record Case(String name, LossExpr expr, String wrt, double value, double[] gradient) {}

    private static final double E = Math.E;
    private static final double S5 = Math.sqrt(5), S10 = Math.sqrt(10);
    private static final LossExpr A = ref("a"), B = ref("b"), M = ref("m");

    static List<Case> cases() {
        double cos = 1 / (S5 * S10);
        return List.of(
            new Case("sum(a)", sum(A), "a", 3, new double[] {1, 1}),
            new Case("mean(a)", red(Function.MEAN, A), "a", 1.5, new double[] {0.5, 0.5}),
            new Case("mean(a, axis = -1)", red(Function.MEAN, A, 0), "a", 1.5, new double[] {0.5, 0.5}),
            new Case("sum(square(a))", sum(un(Function.SQUARE, A)), "a", 5, new double[] {2, 4}),
            new Case("sum(sqrt(a))", sum(un(Function.SQRT, A)), "a", 1 + Math.sqrt(2), new double[] {0.5, 0.5 / Math.sqrt(2)}),
            new Case("sum(abs(a - b))", sum(un(Function.ABS, op(LossExpr.Op.SUB, A, B))), "a", 5, new double[] {-1, 1}),
            new Case("sum(log(a))", sum(un(Function.LOG, A)), "a", Math.log(2), new double[] {1, 0.5}),
            new Case("sum(exp(a))", sum(un(Function.EXP, A)), "a", E + E * E, new double[] {E, E * E}),
            new Case("sum(relu(a - 1.5))", sum(un(Function.RELU, op(LossExpr.Op.SUB, A, num(1.5)))), "a", 0.5, new double[] {0, 1}),
            new Case("sum(sigmoid(a))", sum(un(Function.SIGMOID, A)), "a", sigmoid(1) + sigmoid(2),
                new double[] {sigmoid(1) * sigmoid(-1), sigmoid(2) * sigmoid(-2)}),
            // d/dx log σ(x) = 1 - σ(x) = σ(-x)
            new Case("sum(log_sigmoid(a - 3))", sum(un(Function.LOG_SIGMOID, op(LossExpr.Op.SUB, A, num(3)))), "a",
                Math.log(sigmoid(-2)) + Math.log(sigmoid(-1)), new double[] {sigmoid(2), sigmoid(1)}),
            // far out on either side: log σ(100) = -log(1 + e^-100) ~ -3.7e-44, log σ(-200) = -200 - log(1 + e^-200), no overflow
            new Case("sum(log_sigmoid(100 * a))", sum(un(Function.LOG_SIGMOID, op(LossExpr.Op.MUL, num(100), A))), "a", 0,
                new double[] {0, 0}),
            new Case("sum(log_sigmoid(-100 * a))", sum(un(Function.LOG_SIGMOID, op(LossExpr.Op.MUL, num(-100), A))), "a", -300,
                new double[] {-100, -100}),
            new Case("sum(pow(a, 3))", sum(pair(Function.POW, A, num(3))), "a", 9, new double[] {3, 12}),
            new Case("sum(min(a, b))", sum(pair(Function.MIN, A, B)), "a", 0, new double[] {1, 0}),
            new Case("sum(max(a, b))", sum(pair(Function.MAX, A, B)), "a", 5, new double[] {0, 1}),
            new Case("min(a)", red(Function.MIN, A), "a", 1, new double[] {1, 0}),
            new Case("max(a)", red(Function.MAX, A), "a", 2, new double[] {0, 1}),
            new Case("norm(a)", red(Function.NORM, A), "a", S5, new double[] {1 / S5, 2 / S5}),
            new Case("dot(a, b)", pair(Function.DOT, A, B), "a", 1, new double[] {3, -1}),
            new Case("sqdist(a, b)", pair(Function.SQDIST, A, B), "a", 13, new double[] {-4, 6}),
            // d cos / d a = b / (|a||b|) - cos a / |a|^2
            new Case("cosine(a, b)", pair(Function.COSINE, A, B), "a", cos,
                new double[] {3 / (S5 * S10) - cos / 5, -1 / (S5 * S10) - cos * 2 / 5}),
            new Case("sum(stop_gradient(a) * a)", sum(op(LossExpr.Op.MUL, un(Function.STOP_GRADIENT, A), A)), "a", 5, new double[] {1, 2}),
            // -a / b + 2 a - 1 = [-1/3 + 2 - 1, 2 + 4 - 1]
            new Case("sum(-a / b + 2 * a - 1)", sum(op(LossExpr.Op.SUB, op(LossExpr.Op.ADD, op(LossExpr.Op.DIV, new LossExpr.Neg(A, null), B),
                op(LossExpr.Op.MUL, num(2), A)), num(1))), "a", 2 - 1.0 / 3 - 1 + 5, new double[] {2 - 1.0 / 3, 3}),
            // a scalar per sample broadcast against a vector: sum(a) * a = [3, 6]; d/da_i = a_i + sum(a)
            new Case("sum(sum(a) * a)", sum(op(LossExpr.Op.MUL, sum(A), A)), "a", 9, new double[] {1 + 3 + 2, 2 + 3 + 1}),
            // m m^T = [[5, 11], [11, 25]]; d sum(M M^T) / dM = 2 J M: rows of the column sums [4, 6]
            new Case("sum(matmul(m, transpose(m)))", sum(pair(Function.MATMUL, M, un(Function.TRANSPOSE, M))), "m", 52,
                new double[] {8, 12, 8, 12}),
            // m^T m = [[10, 14], [14, 20]]; d sum(M^T M) / dM = 2 M J: the row sums [3, 7]
            new Case("sum(gram(m))", sum(un(Function.GRAM, M)), "m", 58, new double[] {6, 6, 14, 14}),
            new Case("sum(m * transpose(m))", sum(op(LossExpr.Op.MUL, M, un(Function.TRANSPOSE, M))), "m", 29, new double[] {2, 6, 4, 8}),
            new Case("sum(max(m, axis = 0))", sum(red(Function.MAX, M, 0)), "m", 7, new double[] {0, 0, 1, 1}),
            new Case("sum(mean(m, axis = 1))", sum(red(Function.MEAN, M, 1)), "m", 5, new double[] {0.5, 0.5, 0.5, 0.5}),
            new Case("mse(a, b)", builtin(Loss.MSE, A, B), "a", 6.5, new double[] {-2, 3}),
            new Case("mae(a, b)", builtin(Loss.MAE, A, B), "a", 2.5, new double[] {-0.5, 0.5}),
            new Case("categorical_crossentropy(p, y)", builtin(Loss.CATEGORICAL_CROSSENTROPY, ref("p"), ref("y")), "p", -Math.log(0.7),
                new double[] {-1 / 0.7, 0, 0}));
    }

    @TestFactory
    List<DynamicTest> eachFunctionsValueAndGradient() {
        List<DynamicTest> out = new ArrayList<>();
        for (Case c : cases()) {
            out.add(DynamicTest.dynamicTest(c.name(), () -> {
                Evaluated r = evaluate(c.expr(), c.wrt(), 1, FED);
                assertEquals(c.value(), r.value(), 1e-9, c.name());
                assertArrayEquals(c.gradient(), r.gradient(), 1e-9, c.name() + ": gradient");
            }));
        }
        return out;
    }

    /** The triplet loss on two triplets (A, P, N) with margin 0.2, against max(d(A,P) - d(A,N) + 0.2, 0) by hand. */
    @Test
    void tripletLossIsTheHandComputedHinge() {
        // triplet 1: d(A,P) = 1, d(A,N) = 4: max(1 - 4 + 0.2, 0) = 0
        // triplet 2: d(A,P) = 1 + 4 = 5, d(A,N) = 1: 5 - 1 + 0.2 = 4.2; the batch mean is 2.1
        Map<String, Fed> fed = new LinkedHashMap<>();
        fed.put("a", new Fed(new long[] {2}, new double[] {0, 0, 1, 1}));
        fed.put("p", new Fed(new long[] {2}, new double[] {1, 0, 2, 3}));
        fed.put("n", new Fed(new long[] {2}, new double[] {0, 2, 1, 2}));
        LossExpr a = refIn("a", fed), p = refIn("p", fed), n = refIn("n", fed);
        LossExpr loss = red(Function.MEAN, un(Function.RELU, op(LossExpr.Op.ADD,
            op(LossExpr.Op.SUB, pair(Function.SQDIST, a, p), pair(Function.SQDIST, a, n)), num(0.2))));
        double hand = (Math.max(1 - 4 + 0.2, 0) + Math.max(5 - 1 + 0.2, 0)) / 2;
        Evaluated r = evaluate(loss, "a", 2, fed);
        assertEquals(2.1, hand, 1e-12);
        assertEquals(hand, r.value(), 1e-9);
        // d/dA of the second triplet: 2 (A - P) - 2 (A - N) = 2 (N - P) = [-2, -2], halved by the batch mean; the first is flat
        assertArrayEquals(new double[] {0, 0, -1, -1}, r.gradient(), 1e-9);
    }

    private static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }

    /**
     * Skip-gram's negative-sampling loss -(log σ(θ_t·e_c) + Σ_n log σ(-θ_n·e_c)) for one context
     * word with its target and two negatives, as `samples/word2vec_moby.dlx` writes it, against the
     * value and the gradient with respect to e_c computed by hand.
     */
    @Test
    void negativeSamplingLossIsTheHandComputedOne() {
        // e_c = [0.5, -1], θ_t = [1, 0.5] (θ_t·e_c = 0), θ_n1 = [2, 1] (0), θ_n2 = [0, 1] (-1)
        Map<String, Fed> fed = new LinkedHashMap<>();
        fed.put("c", new Fed(new long[] {1, 2}, new double[] {0.5, -1}));
        fed.put("t", new Fed(new long[] {1, 2}, new double[] {1, 0.5}));
        fed.put("n", new Fed(new long[] {2, 2}, new double[] {2, 1, 0, 1}));
        LossExpr c = refIn("c", fed), t = refIn("t", fed), n = refIn("n", fed);
        LossExpr loss = new LossExpr.Neg(op(LossExpr.Op.ADD, sum(un(Function.LOG_SIGMOID, pair(Function.DOT, t, c))),
            sum(un(Function.LOG_SIGMOID, new LossExpr.Neg(pair(Function.DOT, n, c), null)))), null);
        // -(log σ(0) + log σ(0) + log σ(1)) = 2 log 2 + log(1 + e^-1)
        double hand = 2 * Math.log(2) + Math.log(1 + Math.exp(-1));
        Evaluated r = evaluate(loss, "c", 1, fed);
        assertEquals(hand, r.value(), 1e-9);
        // d/de_c: -σ(-θ_t·e_c) θ_t + Σ σ(θ_n·e_c) θ_n = -0.5 [1, 0.5] + 0.5 [2, 1] + σ(-1) [0, 1]
        assertArrayEquals(new double[] {0.5, 0.25 + sigmoid(-1)}, r.gradient(), 1e-9);
        // the same against central differences of the loss itself
        double h = 1e-5;
        double[] numeric = new double[2];
        for (int k = 0; k < 2; k++) {
            double[] plus = {0.5, -1}, minus = {0.5, -1};
            plus[k] += h;
            minus[k] -= h;
            fed.put("c", new Fed(new long[] {1, 2}, plus));
            double up = evaluate(loss, "c", 1, fed).value();
            fed.put("c", new Fed(new long[] {1, 2}, minus));
            numeric[k] = (up - evaluate(loss, "c", 1, fed).value()) / (2 * h);
        }
        assertArrayEquals(r.gradient(), numeric, 1e-7);
    }

    /**
     * GloVe's weighted least squares f(X_ij)(θ_i·e_j + b_i + b'_j - log X_ij)^2, f(x) = min(1, (x / 100)^0.75),
     * as `samples/glove_moby.dlx` writes it, on two pairs: one counted below x_max, one above.
     */
    @Test
    void gloveLossIsTheHandComputedOne() {
        Map<String, Fed> fed = new LinkedHashMap<>();
        fed.put("ti", new Fed(new long[] {1, 2}, new double[] {1, 2, 0.5, 0}));
        fed.put("ej", new Fed(new long[] {1, 2}, new double[] {0.5, 1, 2, 2}));
        fed.put("bi", new Fed(new long[] {1, 1}, new double[] {0.25, -1}));
        fed.put("bj", new Fed(new long[] {1, 1}, new double[] {0.5, 0}));
        fed.put("count", new Fed(new long[] {1}, new double[] {50, 200}));
        LossExpr ti = refIn("ti", fed), ej = refIn("ej", fed), bi = refIn("bi", fed), bj = refIn("bj", fed), x = refIn("count", fed);
        LossExpr weight = pair(Function.MIN, num(1), pair(Function.POW, op(LossExpr.Op.DIV, x, num(100)), num(0.75)));
        LossExpr residual = op(LossExpr.Op.SUB, op(LossExpr.Op.ADD, op(LossExpr.Op.ADD, pair(Function.DOT, ti, ej), bi), bj), un(Function.LOG, x));
        LossExpr loss = sum(op(LossExpr.Op.MUL, weight, un(Function.SQUARE, residual)));
        // pair 1: θ·e = 2.5, + 0.25 + 0.5 - log 50 = 3.25 - 3.912023 = -0.662023; f = 0.5^0.75 = 0.594604
        // pair 2: θ·e = 1, - 1 + 0 - log 200 = -5.298317; f = min(1, 2^0.75) = 1
        double r1 = 3.25 - Math.log(50), r2 = -Math.log(200), f1 = Math.pow(0.5, 0.75);
        double hand = (f1 * r1 * r1 + r2 * r2) / 2;
        Evaluated r = evaluate(loss, "ti", 2, fed);
        assertEquals(0.594604, f1, 1e-6);
        assertEquals(hand, r.value(), 1e-9);
        // d/dθ_i = 2 f r e_j, halved by the batch mean: pair 1 f1 r1 [0.5, 1], pair 2 r2 [2, 2]
        assertArrayEquals(new double[] {f1 * r1 * 0.5, f1 * r1, r2 * 2, r2 * 2}, r.gradient(), 1e-9);
    }

    private static LossExpr refIn(String name, Map<String, Fed> fed) {
        return new LossExpr.Ref(new TensorEnv.Entry(name, Shape.of(fed.get(name).sampleShape()), TensorEnv.Role.INTERMEDIATE, 0, null, null),
            null);
    }

    private record Evaluated(double value, double[] gradient) {}

    /** The batch mean of {@code e} over {@code batch} samples and its gradient with respect to the tensor {@code wrt}. */
    private static Evaluated evaluate(LossExpr e, String wrt, int batch, Map<String, Fed> fed) {
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            Map<String, Placeholder<TFloat64>> placeholders = new LinkedHashMap<>();
            for (Map.Entry<String, Fed> f : fed.entrySet()) {
                long[] shape = new long[f.getValue().sampleShape().length + 1];
                shape[0] = -1;
                System.arraycopy(f.getValue().sampleShape(), 0, shape, 1, shape.length - 1);
                placeholders.put(f.getKey(), tf.placeholder(TFloat64.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(shape))));
            }
            Operand<TFloat64> loss = ExprLowering.batchMean(tf, TFloat64.class, e, t -> placeholders.get(t.name()));
            Output<?>[] grad = g.addGradients(loss.asOutput(), new Output<?>[] {placeholders.get(wrt).asOutput()});
            Session.Runner runner = s.runner();
            List<TFloat64> tensors = new ArrayList<>();
            for (Map.Entry<String, Fed> f : fed.entrySet()) {
                long[] shape = new long[f.getValue().sampleShape().length + 1];
                shape[0] = batch;
                System.arraycopy(f.getValue().sampleShape(), 0, shape, 1, shape.length - 1);
                TFloat64 t = Tensors.of(TFloat64.class, shape, f.getValue().values());
                tensors.add(t);
                runner.feed(placeholders.get(f.getKey()), t);
            }
            try (Result r = runner.fetch(loss).fetch(grad[0]).run()) {
                return new Evaluated(Tensors.scalar(r.get(0)), Tensors.doubles(r.get(1)));
            } finally {
                tensors.forEach(TFloat64::close);
            }
        }
    }
}
