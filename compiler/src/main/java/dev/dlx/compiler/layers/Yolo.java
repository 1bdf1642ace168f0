package dev.dlx.compiler.layers;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;
import dev.dlx.compiler.schema.Value;
import dev.dlx.compiler.shape.Dim;
import dev.dlx.compiler.shape.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * `yolo anchors 0.3 0.4 0.5 0.5 classes 10`: YOLO's detection head over a G x G feature map of
 * k x (5 + p) channels, for k anchors (pairs of width and height as fractions of the image) and p
 * classes. Its output is G x G x k x (5 + p): for each cell and anchor, in the order
 * {@code p_c, b_x, b_y, b_h, b_w, c_1 .. c_p},
 * <ul>
 *   <li>{@code p_c = sigmoid(t_o)}, the probability that the cell holds an object's centre;</li>
 *   <li>{@code b_x = (col + sigmoid(t_x)) / G_w}, {@code b_y = (row + sigmoid(t_y)) / G_h}: the box centre as a fraction of the image;</li>
 *   <li>{@code b_h = anchor_h * exp(t_h)}, {@code b_w = anchor_w * exp(t_w)}: the box size as a fraction of the image;</li>
 *   <li>{@code c = softmax(t_c)}: the class probabilities.</li>
 * </ul>
 * It has no weights: the convolution before it computes the t values.
 */
public final class Yolo implements LayerKind<Yolo.Settings> {
    /**
     * `yolo anchors W H ... classes P`: the anchors' widths and heights in turn, as written (the check
     * requires pairs of fractions of the image), and p.
     */
    public record Settings(List<Double> sizes, int classes) implements LayerSettings {
        public Settings { sizes = List.copyOf(sizes); }

        /** The anchors as {width, height} pairs, fractions of the image. */
        public List<double[]> anchors() {
            List<double[]> out = new ArrayList<>();
            for (int i = 0; i + 1 < sizes.size(); i += 2) out.add(new double[] {sizes.get(i), sizes.get(i + 1)});
            return out;
        }
    }

    /** Values per anchor before the classes: p_c, b_x, b_y, b_h, b_w. */
    public static final int BOX_FIELDS = 5;

    /** Positive numbers, collected: the anchors' widths and heights in turn. */
    static final Type NUMBERS = new Type("numbers: width and height of each anchor, as fractions of the image") {
        @Override public Object convert(Value v) {
            return v instanceof Value.Num n && !n.degrees() && !n.percent() ? n.value() : MISMATCH;
        }
        @Override public boolean isList() { return true; }
    };

    private static final Schema SCHEMA = Schema.of(
        Attr.of("anchors", NUMBERS, "width and height of each anchor box as fractions of the image: `anchors 0.3 0.4 0.5 0.5` is two anchors").required(),
        Attr.of("classes", Type.INT, "p, the number of classes").required().atLeast(1));

    @Override public String name() { return "yolo"; }
    @Override public String doc() { return "YOLO detection head: a G x G x k(5 + p) map to G x G x k x (5 + p) boxes (objectness, centre, size, classes)"; }
    @Override public Schema schema() { return SCHEMA; }
    @Override public Role role() { return Role.RESHAPE; }

    @Override public Settings settings(Attrs a) { return new Settings(a.as("anchors"), a.integer("classes")); }

    @Override public Shape infer(LayerContext<Settings> ctx) {
        List<Double> v = ctx.settings().sizes();
        if (v.isEmpty() || v.size() % 2 != 0) {
            return ctx.fail(Diagnostic.error(Code.DETECTION_HEAD, ctx.spanOf("anchors"),
                    "`anchors` are pairs of width and height, found " + v.size() + " number" + (v.size() == 1 ? "" : "s"))
                .label(v.size() % 2 != 0 ? "an odd count" : "no anchors")
                .help("write each anchor as its width and height: `anchors 0.3 0.4 0.5 0.5` is two anchors"));
        }
        for (double a : v) {
            if (!(a > 0 && a <= 4)) {
                return ctx.fail(Diagnostic.error(Code.DETECTION_HEAD, ctx.spanOf("anchors"),
                        "anchor sizes are fractions of the image, above 0 and at most 4, found " + a)
                    .label("not a fraction of the image")
                    .help("`dlxc data FILE --anchors k` finds k anchors from the boxes of the data"));
            }
        }
        int k = v.size() / 2, p = ctx.settings().classes();
        Shape in = ctx.input();
        if (in.rank() != 3) {
            return ctx.fail(Diagnostic.error(Code.RANK_MISMATCH, ctx.span(), "`yolo` reads a G x G feature map [G, G, channels], found " + in)
                .label("not a feature map")
                .secondary(ctx.inputSpans().get(0), "this produces " + in)
                .help("put `yolo` after the last convolution, not after `flatten` or `dense`"));
        }
        long want = (long) k * (BOX_FIELDS + p);
        if (in.dim(2).known() && in.dim(2).size() != want) {
            return ctx.fail(Diagnostic.error(Code.DETECTION_HEAD, ctx.span(), "`yolo` with k = " + k + " anchor" + (k == 1 ? "" : "s") + " and p = "
                    + p + " class" + (p == 1 ? "" : "es") + " needs k x (5 + p) = " + k + " x " + (BOX_FIELDS + p) + " = " + want
                    + " channels, but its input " + in + " has " + in.dim(2).size())
                .label("k = " + k + ", p = " + p)
                .secondary(ctx.inputSpans().get(0), "this produces " + in.dim(2).size() + " channels")
                .help("end the feature map with `conv " + want + " 1`"));
        }
        return Shape.of(List.of(in.dim(0), in.dim(1), Dim.of(k), Dim.of(BOX_FIELDS + p)));
    }
}
