package dev.dlx.compiler.data;

import dev.dlx.compiler.data.Augmentation.Axis;
import dev.dlx.compiler.data.Augmentation.BrightnessMode;
import dev.dlx.compiler.data.Augmentation.Distribution;
import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;
import java.util.ArrayList;
import java.util.List;

/** The augmentation kinds (one entry each, each with a probability `p`) and their checks against the sample shape. */
public final class Augmentations {
    private Augmentations() {}

    private static Attr p() {
        return Attr.of("p", Type.FLOAT, "probability that a sample is transformed").defaults(1.0).atLeast(0).atMost(1);
    }

    private static Schema schema(Attr... attrs) {
        List<Attr> all = new ArrayList<>(List.of(attrs));
        all.add(p());
        return new Schema(all);
    }

    public static final KindTable<StepContext, Augmentation> KINDS = new KindTable<>("augmentation",
        new KindTable.Kind<>("flip", "mirror images",
            schema(Attr.of("axis", Type.choice("horizontal", "vertical", "both"), "which mirror: left-right, top-bottom or either")
                .positional().defaults("horizontal")),
            (a, ctx) -> !ctx.needsImage() ? null
                : new Augmentation.Flip(Axis.valueOf(a.word("axis").toUpperCase()), a.number("p"), ctx.span())),
        new KindTable.Kind<>("rotate", "rotate images by a random angle",
            schema(Attr.of("degrees", Type.ANGLE, "largest rotation, either way: `15deg`").positional().required().atLeast(0).atMost(180)),
            (a, ctx) -> !ctx.needsImage() ? null : new Augmentation.Rotate(a.number("degrees"), a.number("p"), ctx.span())),
        new KindTable.Kind<>("crop", "pad, then crop a random window of the image's own size",
            schema(Attr.of("size", Type.SIZES, "height x width of the window: the image's size").positional().required().atLeast(1),
                Attr.of("pad", Type.INT, "pixels of zeros added on each side first").defaults(0).atLeast(0)),
            Augmentations::crop),
        new KindTable.Kind<>("shift", "translate images randomly",
            schema(Attr.of("fraction", Type.FLOAT, "largest shift as a fraction of height and width").positional().required()
                .atLeast(0).below(1)),
            (a, ctx) -> !ctx.needsImage() ? null : new Augmentation.Shift(a.number("fraction"), a.number("p"), ctx.span())),
        new KindTable.Kind<>("zoom", "zoom images in or out randomly",
            schema(Attr.of("range", Type.NUMBER_RANGE, "zoom factors `0.9..1.1`; a single z < 1 means `1-z..1+z`").positional()
                .required().above(0)),
            (a, ctx) -> {
                if (!ctx.needsImage()) return null;
                double[] r = around1(a.as("range"));
                return new Augmentation.Zoom(r[0], r[1], a.number("p"), ctx.span());
            }),
        new KindTable.Kind<>("shear", "shear images by a random angle",
            schema(Attr.of("degrees", Type.ANGLE, "largest shear angle, either way: `10deg`").positional().required().atLeast(0).below(90)),
            (a, ctx) -> !ctx.needsImage() ? null : new Augmentation.Shear(a.number("degrees"), a.number("p"), ctx.span())),
        new KindTable.Kind<>("noise", "add random noise to every value",
            schema(Attr.of("amount", Type.FLOAT, "standard deviation (gaussian) or half-width (uniform)").positional().required().above(0),
                Attr.of("gaussian", Type.BOOL, "normally distributed noise (the default)").defaults(false),
                Attr.of("uniform", Type.BOOL, "uniformly distributed noise").defaults(false)),
            Augmentations::noise),
        new KindTable.Kind<>("erase", "set random patches to zero (cutout)",
            schema(Attr.of("size", Type.SIZES, "height x width of each patch").positional().required().atLeast(1),
                Attr.of("count", Type.INT, "patches per image").defaults(1).atLeast(1)),
            Augmentations::erase),
        new KindTable.Kind<>("contrast", "change the contrast by a random factor",
            schema(Attr.of("range", Type.NUMBER_RANGE, "contrast factors `0.8..1.2`; a single c < 1 means `1-c..1+c`").positional()
                .required().atLeast(0)),
            (a, ctx) -> {
                if (!ctx.needsImage()) return null;
                double[] r = around1(a.as("range"));
                return new Augmentation.Contrast(r[0], r[1], a.number("p"), ctx.span());
            }),
        new KindTable.Kind<>("brightness", "change the brightness randomly",
            schema(Attr.of("factor", Type.NUMBER_RANGE, "multiply every value by a factor from this range: `factor 0.8..1.2`, "
                    + "`factor 0.3..0.5` (darker), `factor 1.2..1.5` (brighter); a single f < 1 means `1-f..1+f`").above(0),
                Attr.of("delta", Type.NUMBER_RANGE, "add an offset from this range to every value (values in [0, 1]): "
                    + "`delta -0.1..0.1`; a single d means `-d..d`").atLeast(-1).atMost(1),
                Attr.of("range", Type.NUMBER_RANGE, "a range without `factor` or `delta`: only a delta range with a negative "
                    + "bound (`-0.1..0.1`) reads one way").positional().atLeast(-1)),
            Augmentations::brightness),
        new KindTable.Kind<>("colorshift", "shift each color channel by a random offset",
            schema(Attr.of("amount", Type.FLOAT, "largest offset per channel, values being in [0, 1]").positional().required()
                .above(0).atMost(1)),
            (a, ctx) -> !ctx.needsImage() ? null : new Augmentation.ColorShift(a.number("amount"), a.number("p"), ctx.span())));

    /** `0.1` written alone means `0.9..1.1`, as Keras's zoom_range does. */
    private static double[] around1(double[] r) {
        if (r[0] == r[1] && r[0] < 1) return new double[] {1 - r[0], 1 + r[0]};
        return r;
    }

    private static Augmentation crop(Attrs a, StepContext ctx) {
        if (!ctx.needsImage()) return null;
        List<Integer> size = a.sizes("size");
        int h = size.get(0), w = size.size() > 1 ? size.get(1) : size.get(0);
        if (size.size() > 2) {
            ctx.error(Code.WRONG_TYPE, a.span("size"), "`crop` takes height x width, found " + size.size() + " numbers",
                "expected `HxW`", "write `crop " + h + "x" + w + "`");
            return null;
        }
        long ih = ctx.height(), iw = ctx.width();
        if (ih >= 0 && iw >= 0 && (h != ih || w != iw)) {
            ctx.error(Code.OUT_OF_RANGE, a.span("size"),
                "a random crop of " + h + "x" + w + " would change the " + ih + "x" + iw + " samples the model sees",
                "not the sample's size " + ih + "x" + iw,
                "`crop " + ih + "x" + iw + " pad " + Math.max(1, a.integer("pad")) + "` pads then crops back, keeping the shape");
            return null;
        }
        return new Augmentation.Crop(h, w, a.integer("pad"), a.number("p"), ctx.span());
    }

    private static Augmentation noise(Attrs a, StepContext ctx) {
        if (a.flag("gaussian") && a.flag("uniform")) {
            ctx.error(Code.INVALID_CHOICE, a.span("uniform"), "`noise` is either `gaussian` or `uniform`, not both",
                "second distribution", "keep one of them");
            return null;
        }
        Distribution d = a.flag("uniform") ? Distribution.UNIFORM : Distribution.GAUSSIAN;
        return new Augmentation.Noise(d, a.number("amount"), a.number("p"), ctx.span());
    }

    private static Augmentation erase(Attrs a, StepContext ctx) {
        if (!ctx.needsImage()) return null;
        List<Integer> size = a.sizes("size");
        int h = size.get(0), w = size.size() > 1 ? size.get(1) : size.get(0);
        long ih = ctx.height(), iw = ctx.width();
        if (size.size() > 2 || (ih >= 0 && (h > ih || w > iw))) {
            ctx.error(Code.OUT_OF_RANGE, a.span("size"),
                "an erased patch of " + size.stream().map(String::valueOf).reduce((x, y) -> x + "x" + y).orElse("")
                    + " does not fit in the " + ih + "x" + iw + " samples",
                "larger than the image", "use a patch smaller than the image, such as `erase " + Math.max(1, ih / 4) + "x"
                    + Math.max(1, iw / 4) + "`");
            return null;
        }
        return new Augmentation.Erase(h, w, a.integer("count"), a.number("p"), ctx.span());
    }

    /**
     * `brightness factor A..B` multiplies, `brightness delta A..B` adds. A bare range is read only
     * where it cannot mean the other: a negative bound is a delta; any other bare range is refused
     * with both spellings, since `0.3..0.5` reads as darkening factors and as small offsets alike.
     */
    private static Augmentation brightness(Attrs a, StepContext ctx) {
        int given = (a.given("factor") ? 1 : 0) + (a.given("delta") ? 1 : 0) + (a.given("range") ? 1 : 0);
        if (given != 1) {
            Span at = given == 0 ? a.owner() : a.span(a.given("range") ? "range" : "delta");
            ctx.error(given == 0 ? Code.MISSING_ARGUMENT : Code.INVALID_CHOICE, at,
                given == 0 ? "`brightness` needs a `factor` or a `delta` range" : "`brightness` takes one range: a `factor` or a `delta`",
                given == 0 ? "expected `factor A..B` or `delta A..B`" : "second range",
                "`brightness factor 0.8..1.2` multiplies values, `brightness delta -0.1..0.1` adds to them");
            return null;
        }
        double p = a.number("p");
        if (a.given("factor")) {
            double[] r = around1(a.as("factor"));
            return new Augmentation.Brightness(BrightnessMode.FACTOR, r[0], r[1], p, ctx.span());
        }
        if (a.given("delta")) {
            double[] r = a.as("delta");
            if (r[0] == r[1]) r = new double[] {-Math.abs(r[0]), Math.abs(r[0])};
            return new Augmentation.Brightness(BrightnessMode.DELTA, r[0], r[1], p, ctx.span());
        }
        double[] r = a.as("range");
        if (r[0] < 0 && r[1] <= 1) return new Augmentation.Brightness(BrightnessMode.DELTA, r[0], r[1], p, ctx.span());
        String written = a.span("range").text();
        ctx.error(Code.INVALID_CHOICE, a.span("range"), "`brightness " + written + "` could be factors or offsets",
            "a factor or a delta?", "write `brightness factor " + written + "` to multiply values, or `brightness delta " + written
                + "` to add to them");
        return null;
    }
}
