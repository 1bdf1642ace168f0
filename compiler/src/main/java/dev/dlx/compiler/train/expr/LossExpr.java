package dev.dlx.compiler.train.expr;

import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.shape.Shape;
import dev.dlx.compiler.train.LossSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * A checked loss or metric expression, for the runtime: one record per kind of node, each with its
 * per-sample shape (no batch axis) and its span in the source.
 */
public sealed interface LossExpr {
    Shape shape();
    Span span();

    /** A number; shape []. */
    record Const(double value, Span span) implements LossExpr {
        public Shape shape() { return Shape.of(); }
    }

    /** A named tensor of the environment: a model node or a label. */
    record Ref(TensorEnv.Entry tensor, Span span) implements LossExpr {
        public Shape shape() { return tensor.shape(); }
    }

    record Neg(LossExpr operand, Span span) implements LossExpr {
        public Shape shape() { return operand.shape(); }
    }

    enum Op {
        ADD('+'), SUB('-'), MUL('*'), DIV('/');
        private final char symbol;
        Op(char symbol) { this.symbol = symbol; }
        public char symbol() { return symbol; }
        public static Op of(char c) {
            for (Op o : values()) if (o.symbol == c) return o;
            throw new IllegalArgumentException("operator " + c);
        }
    }

    /** a + b, a - b, a * b, a / b, broadcast. */
    record Arith(Op op, LossExpr left, LossExpr right, Shape shape, Span span) implements LossExpr {}

    /** A function of one tensor: elementwise (square, log, ...), transpose or gram. */
    record Unary(Function function, LossExpr operand, Shape shape, Span span) implements LossExpr {}

    /** mean, sum, min, max or norm over every axis (no {@code axis}) or one, counted without the batch axis. */
    record Reduce(Function function, LossExpr operand, OptionalInt axis, Shape shape, Span span) implements LossExpr {}

    /** A function of two tensors: min and max elementwise, dot, sqdist, cosine, matmul. */
    record Pair(Function function, LossExpr left, LossExpr right, Shape shape, Span span) implements LossExpr {}

    /** A built-in loss of a prediction and its target, per sample (mean over the other axes); shape []. */
    record Builtin(LossSpec spec, LossExpr prediction, LossExpr target, Span span) implements LossExpr {
        public Shape shape() { return Shape.of(); }
    }

    /** The operands of a node, in order. */
    public static List<LossExpr> children(LossExpr e) {
        List<LossExpr> out = new ArrayList<>();
        if (e instanceof Neg n) out.add(n.operand());
        else if (e instanceof Arith a) { out.add(a.left()); out.add(a.right()); }
        else if (e instanceof Unary u) out.add(u.operand());
        else if (e instanceof Reduce r) out.add(r.operand());
        else if (e instanceof Pair p) { out.add(p.left()); out.add(p.right()); }
        else if (e instanceof Builtin b) { out.add(b.prediction()); out.add(b.target()); }
        return out;
    }

    /** The names of the labels an expression reads, each once, in the order it first reads them. */
    public static List<String> labelsRead(LossExpr root) {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        for (LossExpr e : nodes(root)) if (e instanceof Ref r && r.tensor().isLabel()) out.add(r.tensor().name());
        return List.copyOf(out);
    }

    /** Every node of the tree, parents before their operands. */
    public static List<LossExpr> nodes(LossExpr root) {
        List<LossExpr> out = new ArrayList<>();
        java.util.ArrayDeque<LossExpr> todo = new java.util.ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            LossExpr e = todo.pop();
            out.add(e);
            List<LossExpr> kids = children(e);
            for (int i = kids.size() - 1; i >= 0; i--) todo.push(kids.get(i));
        }
        return out;
    }
}
