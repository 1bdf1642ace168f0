package dev.dlx.compiler.data;

import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.shape.Dim;
import dev.dlx.compiler.shape.Shape;
import java.util.List;

/**
 * One preprocessing step of `features`, applied to every sample of every split, in order:
 * `features reshape [8, 8, 1] scale 1/16`. Schemas and checks live in {@code FeatureSteps}.
 */
public sealed interface FeatureStep {
    String name();
    Span span();

    /** The sample shape after this step; UNKNOWN in, UNKNOWN out, except where the step fixes the shape. */
    Shape apply(Shape in);

    /** `reshape [8, 8, 1]`: same elements, new shape. */
    record Reshape(Shape target, Span span) implements FeatureStep {
        @Override public String name() { return "reshape"; }
        @Override public Shape apply(Shape in) { return target; }
    }

    /** `scale 1/16 [offset -1]`: x * factor + offset, element-wise. */
    record Scale(double factor, double offset, Span span) implements FeatureStep {
        @Override public String name() { return "scale"; }
        @Override public Shape apply(Shape in) { return in; }
    }

    /** `resize 32x32`: images [H, W, C] to [height, width, C] (bilinear). */
    record Resize(int height, int width, Span span) implements FeatureStep {
        @Override public String name() { return "resize"; }
        @Override public Shape apply(Shape in) {
            return in.isUnknown() ? Shape.UNKNOWN : Shape.of(List.of(Dim.of(height), Dim.of(width), in.dim(2)));
        }
    }

    /** `grayscale`: RGB images [H, W, 3] to [H, W, 1] (luma). */
    record Grayscale(Span span) implements FeatureStep {
        @Override public String name() { return "grayscale"; }
        @Override public Shape apply(Shape in) { return in.isUnknown() ? Shape.UNKNOWN : in.withLast(Dim.of(1)); }
    }

    /** `flatten`: any shape to [elements]. */
    record Flatten(Span span) implements FeatureStep {
        @Override public String name() { return "flatten"; }
        @Override public Shape apply(Shape in) {
            return in.isUnknown() || in.elements() < 0 ? Shape.UNKNOWN : Shape.of(in.elements());
        }
    }
}
