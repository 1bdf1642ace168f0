package dev.dlx.compiler.train;

import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.schema.Evaluator;
import dev.dlx.compiler.schema.Suggest;
import dev.dlx.compiler.schema.Value;
import dev.dlx.compiler.shape.Dim;
import dev.dlx.compiler.shape.Shape;
import dev.dlx.compiler.syntax.Directive;
import dev.dlx.compiler.syntax.Element;
import dev.dlx.compiler.syntax.Expr;
import dev.dlx.compiler.train.expr.ExpressionMetric;
import dev.dlx.compiler.train.expr.Function;
import dev.dlx.compiler.train.expr.LossExpr;
import dev.dlx.compiler.train.expr.TensorEnv;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Loss and metric expressions, from syntax to a typed {@link LossExpr}: names resolved in the
 * {@link TensorEnv}, each function's arguments and shape rule checked (shapes per sample), every
 * built-in loss paired with its arguments as {@link LabelPairing} pairs a one-word loss. Returns
 * null after reporting; one mistake gives one diagnostic (an operand that failed is not judged
 * again by the nodes above it).
 */
final class LossExprChecker {
    private final ModelIR model;
    private final DatasetIR data;
    private final TensorEnv env;
    private final Diagnostics sink;
    private final boolean validation;

    LossExprChecker(ModelIR model, DatasetIR data, TensorEnv env, boolean validation, Diagnostics sink) {
        this.model = model;
        this.data = data;
        this.env = env;
        this.validation = validation;
        this.sink = sink;
    }

    /**
     * `loss mse` (a built-in loss's word, with its attributes) desugars to `mse(output, label)`:
     * the one place the one-word form turns into an expression. Null when the model has not one
     * output or the dataset not one label (reported elsewhere).
     */
    LossExpr sugar(LossSpec spec) {
        Optional<TensorEnv.Entry> out = env.output();
        Optional<TensorEnv.Entry> label = env.label();
        if (spec == null || out.isEmpty() || label.isEmpty()) return null;
        return new LossExpr.Builtin(spec, new LossExpr.Ref(out.get(), spec.nameSpan()), new LossExpr.Ref(label.get(), spec.nameSpan()),
            spec.span());
    }

    /** The tensors the expressions can name. */
    TensorEnv env() { return env; }

    /** Whether a `loss` statement is the one-word form: its first argument names no tensor. */
    boolean isSugar(List<Expr> args) {
        return !args.isEmpty() && args.get(0) instanceof Expr.Name n && n.simple() && !env.find(n.text()).found();
    }

    /** A whole loss or metric: one expression, a scalar per sample. */
    LossExpr root(String statement, List<Expr> args, Span head) {
        if (args.size() != 1) {
            Span extra = args.isEmpty() ? head : args.get(1).span().to(args.get(args.size() - 1).span());
            sink.report(Diagnostic.error(args.isEmpty() ? Code.MISSING_ARGUMENT : Code.TOO_MANY_ARGUMENTS, extra,
                    args.isEmpty() ? "`" + statement + "` needs an expression" : "`" + statement + "` takes one expression")
                .label(args.isEmpty() ? "no expression" : "not part of the expression")
                .help("write it as one expression, e.g. `" + statement + " mean(square(output - label))`; parenthesize "
                    + "a difference such as `(x - 1)`"));
            return null;
        }
        LossExpr e = expr(args.get(0));
        if (e == null) return null;
        Shape s = e.shape();
        if (!s.isUnknown() && s.rank() != 0) {
            sink.report(Diagnostic.error(Code.LOSS_NOT_SCALAR, e.span(), "`" + statement + "` must be one number per sample, found " + s)
                .label("has shape " + s)
                .note("training averages the per-sample value over the batch")
                .help("reduce it: `mean(" + e.span().text() + ")` or `sum(" + e.span().text() + ")`"));
            return null;
        }
        return e;
    }

    /** The built-in loss applied to a model output in the objective, which decides how predictions are read; null when none is. */
    static LossSpec headLoss(LossExpr objective) {
        if (objective == null) return null;
        for (LossExpr e : LossExpr.nodes(objective)) {
            if (e instanceof LossExpr.Builtin b && b.prediction() instanceof LossExpr.Ref r && r.tensor().role() == TensorEnv.Role.OUTPUT) {
                return b.spec();
            }
        }
        return null;
    }

    /** `metric NAME = EXPRESSION`; {@code taken} holds the names already reported (built-in metrics, `loss`, earlier ones). */
    ExpressionMetric metric(Directive d, java.util.Set<String> taken) {
        Span head = dev.dlx.compiler.data.Statements.head(d);
        if (d.args().size() != 1 || !(d.args().get(0) instanceof Expr.Binding b)) {
            sink.report(Diagnostic.error(Code.EXPRESSION_ARGUMENTS, head, "`metric` is written `metric NAME = EXPRESSION`")
                .label("expected `NAME = ...`")
                .help("for example `metric gap = mean(sqdist(output, label))`; the built-in metrics are listed by `metrics`"));
            return null;
        }
        String name = b.name().name();
        if (Metric.byWord(name).isPresent()) {
            sink.report(Diagnostic.error(Code.DUPLICATE_DEFINITION, b.name().span(), "`" + name + "` is a built-in metric")
                .label("built in")
                .help(name.equals("loss") ? "`loss` is always reported; choose another name"
                    : "list it in `metrics " + name + "`, or choose another name"));
            return null;
        }
        if (!taken.add(name) || name.startsWith("val_")) {
            sink.report(Diagnostic.error(Code.DUPLICATE_DEFINITION, b.name().span(), name.startsWith("val_")
                    ? "a metric's name cannot start with `val_`, which names its value on validation data"
                    : "metric `" + name + "` is already defined")
                .label(name.startsWith("val_") ? "reserved prefix" : "taken")
                .help("choose another name"));
            return null;
        }
        LossExpr e = root("metric " + name, List.of(b.value()), head);
        return e == null ? null : new ExpressionMetric(name, e, d.span());
    }

    // ------------------------------------------------------------------ nodes

    private LossExpr expr(Expr e) {
        if (e instanceof Expr.Num n) {
            if (Double.isNaN(n.value())) return null;
            if (n.unit() == Expr.Unit.DEGREES) return notATensor(e, "an angle");
            return new LossExpr.Const(n.unit() == Expr.Unit.PERCENT ? n.value() / 100 : n.value(), n.span());
        }
        if (e instanceof Expr.Ratio r) {
            Value v = new Evaluator(Map.of(), sink).eval(r);
            return v instanceof Value.Num num ? new LossExpr.Const(num.value(), r.span()) : null;
        }
        if (e instanceof Expr.Name n) return name(n);
        if (e instanceof Expr.Neg n) {
            LossExpr x = expr(n.operand());
            return x == null ? null : new LossExpr.Neg(x, n.span());
        }
        if (e instanceof Expr.Binary b) return arith(b);
        if (e instanceof Expr.Call c) return call(c);
        if (e instanceof Expr.Str) return notATensor(e, "a string");
        if (e instanceof Expr.ShapeLit) return notATensor(e, "a shape");
        if (e instanceof Expr.Size) return notATensor(e, "a size");
        if (e instanceof Expr.Range) return notATensor(e, "a range");
        return notATensor(e, "a named expression");
    }

    private LossExpr notATensor(Expr e, String what) {
        sink.report(Diagnostic.error(Code.EXPRESSION_ARGUMENTS, e.span(), what + " is not a tensor")
            .label("not a tensor or number")
            .help("expressions combine named tensors, numbers and functions such as `mean(...)`"));
        return null;
    }

    private LossExpr name(Expr.Name n) {
        Optional<TensorEnv.Entry> entry;
        if (n.simple()) {
            TensorEnv.Lookup found = env.find(n.text());
            if (found.ambiguous()) return ambiguous(n, found);
            entry = found.only();
        } else {
            entry = n.parts().size() == 2 ? env.qualified(n.parts().get(0).name(), n.parts().get(1).name()) : Optional.empty();
        }
        if (entry.isPresent()) return new LossExpr.Ref(entry.get(), n.span());
        if (model == null || !model.valid() || data == null || !data.valid()) return null; // its errors are reported; its names are not all known
        String where = model == null ? "" : " of model `" + model.name() + "`";
        Diagnostic.Builder b = Diagnostic.error(Code.UNKNOWN_TENSOR, n.span(), "no tensor `" + n.text() + "`" + where
                + (data == null ? "" : " or dataset `" + data.name() + "`"))
            .label("unknown tensor");
        List<String> known = env.names();
        Optional<String> close = Suggest.closest(n.text(), known);
        if (close.isPresent()) b.help("did you mean `" + close.get() + "`?");
        else if (!known.isEmpty()) b.help("the tensors here are " + Suggest.list(known));
        else b.help("name the model's outputs, its `let` tensors or the dataset's `label`");
        sink.report(b);
        return null;
    }

    /** A bare name that is both a label of the dataset and a tensor of the model. */
    private LossExpr ambiguous(Expr.Name n, TensorEnv.Lookup found) {
        String name = n.text();
        String tensor = found.tensor().role() == TensorEnv.Role.OUTPUT ? "output" : found.tensor().role() == TensorEnv.Role.INPUT
            ? "input" : "tensor";
        sink.report(Diagnostic.error(Code.AMBIGUOUS_TENSOR, n.span(), "`" + name + "` is both a label of dataset `"
                + (data == null ? "?" : data.name()) + "` and the " + tensor + " `" + name + "` of model `" + env.model() + "`")
            .label("which one?")
            .secondary(found.label().span(), "the label")
            .secondary(found.tensor().span(), "the model's " + tensor)
            .help("write `" + TensorEnv.LABELS + "." + name + "` for the label and `" + env.model() + "." + name + "` for the model's "
                + tensor + ", e.g. `categorical_crossentropy(" + env.model() + "." + name + ", " + TensorEnv.LABELS + "." + name + ")`"));
        return null;
    }

    private LossExpr arith(Expr.Binary b) {
        LossExpr l = expr(b.left()), r = expr(b.right());
        if (l == null || r == null) return null;
        Shape s = broadcast(l.shape(), r.shape());
        if (s == null) return mismatch(b.span(), "`" + b.op() + "` needs shapes that broadcast", l, r,
            "shapes broadcast when each axis, counted from the last, is equal or 1");
        return new LossExpr.Arith(LossExpr.Op.of(b.op()), l, r, s, b.span());
    }

    private LossExpr mismatch(Span at, String what, LossExpr l, LossExpr r, String help) {
        sink.report(Diagnostic.error(Code.EXPRESSION_SHAPE_MISMATCH, at, what + ", found " + l.shape() + " and " + r.shape())
            .label("shapes do not fit")
            .secondary(l.span(), "this is " + l.shape())
            .secondary(r.span(), "this is " + r.shape())
            .help(help));
        return null;
    }

    // ------------------------------------------------------------------ calls

    private LossExpr call(Expr.Call c) {
        String word = c.callee().name();
        Optional<Loss> loss = Loss.byWord(word);
        if (loss.isPresent()) return builtin(c, loss.get());
        Optional<Function> fn = Function.byWord(word);
        if (fn.isEmpty()) {
            List<String> words = new ArrayList<>(Function.words());
            for (Loss l : Loss.values()) words.add(l.word());
            Diagnostic.Builder b = Diagnostic.error(Code.UNKNOWN_FUNCTION, c.callee().span(), "unknown function `" + word + "`")
                .label("not a function of expressions");
            Suggest.closest(word, words).ifPresentOrElse(s -> b.help("did you mean `" + s + "`?"),
                () -> b.help("the functions are " + Suggest.list(words)));
            sink.report(b);
            return null;
        }
        Function f = fn.get();
        List<Expr> tensors = new ArrayList<>();
        Element.Arg axisArg = null;
        for (Element.Arg a : c.args()) {
            if (a.name() == null) {
                tensors.add(a.value());
                continue;
            }
            boolean takesAxis = f.form() == Function.Form.REDUCE || f.form() == Function.Form.REDUCE_OR_PAIR;
            if (!a.name().name().equals("axis") || !takesAxis || axisArg != null) {
                sink.report(Diagnostic.error(Code.EXPRESSION_ARGUMENTS, a.span(), "`" + word + "` takes no argument `" + a.name().name() + "`"
                        + (axisArg != null && a.name().name().equals("axis") ? " twice" : ""))
                    .label("unexpected")
                    .help(f.doc()));
                return null;
            }
            axisArg = a;
        }
        int wanted = switch (f.form()) {
            case ELEMENTWISE, REDUCE, TRANSPOSE, GRAM -> 1;
            case LAST_AXIS, MATMUL, BROADCAST -> 2;
            case REDUCE_OR_PAIR -> axisArg != null || tensors.size() == 1 ? 1 : 2;
        };
        if (tensors.size() != wanted) {
            sink.report(Diagnostic.error(Code.EXPRESSION_ARGUMENTS, c.span(), "`" + word + "` takes " + wanted + " tensor"
                    + (wanted == 1 ? "" : "s") + ", found " + tensors.size())
                .label(tensors.size() < wanted ? "missing an argument" : "too many arguments")
                .help(f.doc()));
            return null;
        }
        List<LossExpr> args = new ArrayList<>();
        for (Expr t : tensors) args.add(expr(t));
        if (args.contains(null)) return null;
        LossExpr x = args.get(0);
        if (wanted == 2) return pair(f, c, x, args.get(1));
        if (f.form() == Function.Form.REDUCE || f.form() == Function.Form.REDUCE_OR_PAIR) return reduce(f, c, x, axisArg);
        Shape s = x.shape();
        if (f.form() == Function.Form.ELEMENTWISE || s.isUnknown()) return new LossExpr.Unary(f, x, s, c.span());
        if (f.form() == Function.Form.TRANSPOSE) {
            if (s.rank() < 2) return rankError(c, x, "at least 2");
            List<Dim> d = new ArrayList<>(s.dims());
            java.util.Collections.swap(d, d.size() - 1, d.size() - 2);
            return new LossExpr.Unary(f, x, Shape.of(d), c.span());
        }
        if (s.rank() < 2) return rankError(c, x, "at least 2");
        return new LossExpr.Unary(f, x, Shape.of(List.of(s.last(), s.last())), c.span());
    }

    private LossExpr rankError(Expr.Call c, LossExpr x, String rank) {
        sink.report(Diagnostic.error(Code.EXPRESSION_SHAPE_MISMATCH, c.span(), "`" + c.callee().name() + "` needs a tensor of rank " + rank
                + ", found " + x.shape())
            .label("wrong rank")
            .secondary(x.span(), "this is " + x.shape())
            .help(Function.byWord(c.callee().name()).map(Function::doc).orElse("")));
        return null;
    }

    private LossExpr reduce(Function f, Expr.Call c, LossExpr x, Element.Arg axisArg) {
        Shape s = x.shape();
        if (axisArg == null) return new LossExpr.Reduce(f, x, OptionalInt.empty(), Shape.of(), c.span());
        Expr v = axisArg.value();
        boolean negative = v instanceof Expr.Neg n && n.operand() instanceof Expr.Num;
        Expr.Num num = v instanceof Expr.Num n ? n : negative ? (Expr.Num) ((Expr.Neg) v).operand() : null;
        if (num == null || !num.integral() || num.unit() != Expr.Unit.NONE) {
            sink.report(Diagnostic.error(Code.EXPRESSION_ARGUMENTS, v.span(), "`axis` must be a whole number")
                .label("not an axis")
                .help("axes count from 0 without the batch axis; `axis = -1` is the last"));
            return null;
        }
        int k = (int) (negative ? -num.value() : num.value());
        if (s.isUnknown()) return new LossExpr.Reduce(f, x, OptionalInt.of(Math.max(k, 0)), Shape.UNKNOWN, c.span());
        int rank = s.rank();
        if (k < -rank || k >= rank) {
            sink.report(Diagnostic.error(Code.EXPRESSION_ARGUMENTS, v.span(), "axis " + k + " is outside " + s
                    + ", whose axes are " + (rank == 0 ? "none" : (-rank) + " to " + (rank - 1)))
                .label("no such axis")
                .secondary(x.span(), "this is " + s)
                .help("axes count from 0 without the batch axis; `axis = -1` is the last"));
            return null;
        }
        int axis = k < 0 ? rank + k : k;
        return new LossExpr.Reduce(f, x, OptionalInt.of(axis), s.without(axis), c.span());
    }

    private LossExpr pair(Function f, Expr.Call c, LossExpr a, LossExpr b) {
        Shape sa = a.shape(), sb = b.shape();
        if (f.form() == Function.Form.MATMUL) {
            if (sa.isUnknown() || sb.isUnknown()) return new LossExpr.Pair(f, a, b, Shape.UNKNOWN, c.span());
            if (sa.rank() < 2 || sb.rank() < 2) {
                return mismatch(c.span(), "`matmul` needs two tensors of rank 2 or more", a, b, f.doc());
            }
            Shape lead = broadcast(sa.without(sa.rank() - 1).without(sa.rank() - 2), sb.without(sb.rank() - 1).without(sb.rank() - 2));
            Dim k1 = sa.last(), k2 = sb.dim(sb.rank() - 2);
            if (lead == null || (k1.known() && k2.known() && k1.size() != k2.size())) {
                return mismatch(c.span(), "`matmul` needs [..., m, k] and [..., k, n]", a, b, f.doc());
            }
            List<Dim> d = new ArrayList<>(lead.dims());
            d.add(sa.dim(sa.rank() - 2));
            d.add(sb.last());
            return new LossExpr.Pair(f, a, b, Shape.of(d), c.span());
        }
        Shape s = broadcast(sa, sb);
        if (f.form() == Function.Form.REDUCE_OR_PAIR || f.form() == Function.Form.BROADCAST) {
            if (s == null) return mismatch(c.span(), "`" + f.word() + "` needs shapes that broadcast", a, b,
                "shapes broadcast when each axis, counted from the last, is equal or 1");
            return new LossExpr.Pair(f, a, b, s, c.span());
        }
        // dot, sqdist, cosine: over the last axis
        boolean vectors = sa.isUnknown() || sb.isUnknown() || (sa.rank() >= 1 && sb.rank() >= 1);
        if (s == null || !vectors || !sameLast(sa, sb)) {
            return mismatch(c.span(), "`" + f.word() + "` needs two tensors with the same last axis", a, b, f.doc());
        }
        return new LossExpr.Pair(f, a, b, s.isUnknown() ? s : s.without(s.rank() - 1), c.span());
    }

    private static boolean sameLast(Shape a, Shape b) {
        if (a.isUnknown() || b.isUnknown()) return true;
        Dim x = a.last(), y = b.last();
        return !x.known() || !y.known() || x.size() == y.size();
    }

    /** NumPy's broadcasting of per-sample shapes; null when they do not broadcast. */
    static Shape broadcast(Shape a, Shape b) {
        if (a.isUnknown() || b.isUnknown()) return Shape.UNKNOWN;
        int rank = Math.max(a.rank(), b.rank());
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            int ia = a.rank() - rank + i, ib = b.rank() - rank + i;
            Dim x = ia < 0 ? Dim.of(1) : a.dim(ia), y = ib < 0 ? Dim.of(1) : b.dim(ib);
            if (x.known() && y.known()) {
                if (x.size() != y.size() && x.size() != 1 && y.size() != 1) return null;
                out.add(x.size() == 1 ? y : x);
            } else {
                out.add(x.known() && x.size() != 1 ? x : y.known() && y.size() != 1 ? y : Dim.UNKNOWN);
            }
        }
        return Shape.of(out);
    }

    // ------------------------------------------------------------------ built-in losses

    /** `categorical_crossentropy(pred, label, label_smoothing = 0.1)`: the loss's attributes as named arguments. */
    private LossExpr builtin(Expr.Call c, Loss loss) {
        if (loss == Loss.YOLO) {
            sink.report(Diagnostic.error(Code.EXPRESSION_OUT_OF_PLACE, c.callee().span(), "`yolo` is a loss of its own, not a function of expressions")
                .label("not in an expression")
                .help("write `loss yolo`: it trains the model's `yolo` head on the dataset's boxes"));
            return null;
        }
        List<Expr> tensors = new ArrayList<>();
        List<Value> attrs = new ArrayList<>();
        attrs.add(new Value.Word(loss.word(), c.callee().span()));
        Evaluator eval = new Evaluator(Map.of(), sink);
        for (Element.Arg a : c.args()) {
            if (a.name() == null) {
                tensors.add(a.value());
                continue;
            }
            var schema = LossSpec.TABLE.lookup(loss.word()).orElseThrow().schema();
            if (!schema.has(a.name().name())) {
                List<String> names = schema.attrs().stream().map(dev.dlx.compiler.schema.Attr::name).toList();
                sink.report(Diagnostic.error(Code.EXPRESSION_ARGUMENTS, a.name().span(), "`" + loss.word() + "` takes no argument `"
                        + a.name().name() + "`")
                    .label("unknown argument")
                    .help(names.isEmpty() ? "`" + loss.word() + "` takes only a prediction and a target"
                        : "its named arguments are " + Suggest.listAll(names)));
                return null;
            }
            Value v = eval.eval(a.value());
            if (v == null) return null;
            attrs.add(new Value.Word(a.name().name(), a.name().span()));
            attrs.add(v);
        }
        if (tensors.size() != 2) {
            sink.report(Diagnostic.error(Code.EXPRESSION_ARGUMENTS, c.span(), "`" + loss.word() + "` takes a prediction and a target, found "
                    + tensors.size() + " tensor" + (tensors.size() == 1 ? "" : "s"))
                .label(tensors.size() < 2 ? "missing an argument" : "too many arguments")
                .help("for example `" + loss.word() + "(output, label)`"));
            return null;
        }
        RuleContext ctx = new RuleContext(c.span(), c.callee().span(), sink, validation);
        LossSpec spec = LossSpec.TABLE.choose("loss", attrs, c.span(), ctx, sink);
        LossExpr pred = expr(tensors.get(0)), target = expr(tensors.get(1));
        if (spec == null || pred == null || target == null) return null;
        boolean node = pred instanceof LossExpr.Ref r && !r.tensor().isLabel();
        boolean label = target instanceof LossExpr.Ref r && r.tensor().isLabel();
        if (label) {
            // the pairing of the one-word form, on this call's arguments (which also compares the shapes)
            LabelPairing.checkCall(model, node && model != null ? model.node(((LossExpr.Ref) pred).tensor().node()) : null, data,
                ((LossExpr.Ref) target).tensor().labels(), spec, sink);
        } else if (node && model != null) {
            LabelPairing.checkCall(model, model.node(((LossExpr.Ref) pred).tensor().node()), data, null, spec, sink);
        }
        // a number is a target for every value of the prediction (`binary_crossentropy(d_fake, 1)`: a GAN's "real")
        boolean constant = target instanceof LossExpr.Const && loss != Loss.SPARSE_CATEGORICAL_CROSSENTROPY;
        if (!(node && label) && !constant && !targetFits(loss, pred.shape(), target.shape())) {
            return mismatch(c.span(), "`" + loss.word() + "` needs " + (loss == Loss.SPARSE_CATEGORICAL_CROSSENTROPY
                ? "class indices with the prediction's shape less its last axis" : "a target of the prediction's shape"),
                pred, target, "for example `" + loss.word() + "(output, label)`");
        }
        return new LossExpr.Builtin(spec, pred, target, c.span());
    }

    private static boolean targetFits(Loss loss, Shape pred, Shape target) {
        if (pred.isUnknown() || target.isUnknown()) return true;
        if (loss == Loss.SPARSE_CATEGORICAL_CROSSENTROPY) {
            if (pred.rank() < 1) return false;
            Shape classes = pred.without(pred.rank() - 1);
            return target.compatible(classes) || target.compatible(pred.withLast(Dim.of(1)));
        }
        if (loss.isMulticlass() && pred.rank() < 1) return false;
        return pred.compatible(target);
    }
}
