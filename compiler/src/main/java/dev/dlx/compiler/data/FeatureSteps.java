package dev.dlx.compiler.data;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;
import dev.dlx.compiler.shape.Dim;
import dev.dlx.compiler.shape.Shape;
import java.util.ArrayList;
import java.util.List;

/** The feature step kinds (one entry each) and their checks against the incoming shape. */
public final class FeatureSteps {
    private FeatureSteps() {}

    public static final KindTable<StepContext, FeatureStep> KINDS = new KindTable<>("feature step",
        new KindTable.Kind<>("reshape", "give samples a new shape with the same number of elements",
            Schema.of(Attr.of("shape", Type.SHAPE, "the new shape; one `?` is inferred").positional().required()),
            FeatureSteps::reshape),
        new KindTable.Kind<>("scale", "multiply by a factor, then add an offset: `scale 1/255`",
            Schema.of(Attr.of("factor", Type.FLOAT, "the factor every value is multiplied by").positional().required(),
                Attr.of("offset", Type.FLOAT, "added after scaling").defaults(0.0)),
            (a, ctx) -> new FeatureStep.Scale(a.number("factor"), a.number("offset"), ctx.span())),
        new KindTable.Kind<>("resize", "resize images [H, W, C] to a new height and width",
            Schema.of(Attr.of("size", Type.SIZES, "height x width: `32x32`").positional().required().atLeast(1)),
            FeatureSteps::resize),
        new KindTable.Kind<>("grayscale", "turn RGB images into one channel",
            Schema.of(),
            FeatureSteps::grayscale),
        new KindTable.Kind<>("flatten", "turn each sample into a vector",
            Schema.of(),
            (a, ctx) -> new FeatureStep.Flatten(ctx.span())));

    static FeatureStep reshape(Attrs a, StepContext ctx) {
        @SuppressWarnings("unchecked") List<Long> dims = (List<Long>) a.get("shape");
        Span at = a.span("shape");
        int unknown = 0;
        long known = 1;
        for (long d : dims) {
            if (d < 0) unknown++;
            else known = dev.dlx.compiler.shape.Shape.saturatingMultiply(known, d);
        }
        if (unknown > 1) {
            ctx.error(Code.BAD_SHAPE, at, "`reshape` can infer one `?` dimension, found " + unknown, "several `?`",
                "write all dimensions but one");
            return null;
        }
        Shape in = ctx.input();
        long elements = in.isUnknown() ? -1 : in.elements();
        List<Dim> out = new ArrayList<>();
        if (unknown == 1) {
            if (elements < 0) {
                for (long d : dims) out.add(d < 0 ? Dim.UNKNOWN : Dim.of(d));
                return new FeatureStep.Reshape(Shape.of(out), ctx.span());
            }
            if (elements % known != 0) {
                reportSize(ctx, at, in, Shape.of(dims.stream().map(d -> d < 0 ? Dim.UNKNOWN : Dim.of(d)).toList()),
                    elements + " elements cannot be split into parts of " + known);
                return null;
            }
            for (long d : dims) out.add(Dim.of(d < 0 ? elements / known : d));
            return new FeatureStep.Reshape(Shape.of(out), ctx.span());
        }
        Shape target = Shape.of(dims.stream().mapToLong(Long::longValue).toArray());
        if (elements >= 0 && elements != known) {
            reportSize(ctx, at, in, target, in + " has " + elements + " elements, " + target + " has " + known);
            return null;
        }
        return new FeatureStep.Reshape(target, ctx.span());
    }

    private static void reportSize(StepContext ctx, Span at, Shape in, Shape target, String detail) {
        Diagnostic.Builder b = Diagnostic.error(Code.RESHAPE_SIZE, at,
                "cannot reshape samples of shape " + in + " to " + target)
            .label(detail);
        long n = in.elements();
        if (in.rank() == 1 && isSquare(n)) {
            long side = (long) Math.sqrt((double) n);
            b.help("for square images use `reshape [" + side + ", " + side + ", 1]`");
        } else {
            b.help("the new shape must hold the same " + n + " elements");
        }
        ctx.sink().report(b);
    }

    private static boolean isSquare(long n) {
        long s = (long) Math.sqrt((double) n);
        return n > 0 && s * s == n;
    }

    static FeatureStep resize(Attrs a, StepContext ctx) {
        if (!ctx.needsImage()) return null;
        List<Integer> size = a.sizes("size");
        if (size.size() > 2) {
            ctx.error(Code.WRONG_TYPE, a.span("size"), "`resize` takes height x width, found " + size.size() + " numbers",
                "expected `HxW`", "channels do not change: write `resize " + size.get(0) + "x" + size.get(1) + "`");
            return null;
        }
        return new FeatureStep.Resize(size.get(0), size.size() == 2 ? size.get(1) : size.get(0), ctx.span());
    }

    static FeatureStep grayscale(Attrs a, StepContext ctx) {
        if (!ctx.needsImage()) return null;
        Shape in = ctx.input();
        if (!in.isUnknown() && in.last().known() && in.last().size() != 3) {
            ctx.error(Code.RANK_MISMATCH, ctx.span(), "`grayscale` turns RGB images [H, W, 3] into one channel, but samples here are " + in,
                "needs 3 channels", in.last().size() == 1 ? "the images already have one channel: remove `grayscale`" : null);
            return null;
        }
        return new FeatureStep.Grayscale(ctx.span());
    }
}
