package dev.dlx.compiler.data;

import dev.dlx.compiler.diag.Span;

/**
 * One random transformation of `augment SPLIT { ... }`, applied on the fly to each sample of that
 * split's batches with probability {@link #p()} (the tips-and-tricks cheatsheet's table: flip,
 * rotation, random crop, color shift, noise, information loss, contrast change; Chollet's shift,
 * shear and zoom). Every augmentation keeps the sample's shape. Ranges are inclusive.
 */
public sealed interface Augmentation {
    String name();
    double p();
    Span span();

    enum Axis { HORIZONTAL, VERTICAL, BOTH }

    enum Distribution { GAUSSIAN, UNIFORM }

    /** How `brightness` reads its range: a factor around 1, or a delta added to values in [0, 1]. */
    enum BrightnessMode { FACTOR, DELTA }

    /** `flip horizontal`: mirror left-right (horizontal), top-bottom (vertical) or either (both). */
    record Flip(Axis axis, double p, Span span) implements Augmentation {
        @Override public String name() { return "flip"; }
    }

    /** `rotate 15deg`: rotate by an angle drawn from [-degrees, degrees]. */
    record Rotate(double degrees, double p, Span span) implements Augmentation {
        @Override public String name() { return "rotate"; }
    }

    /** `crop 28x28 pad 4`: pad each side by {@code pad} pixels, then cut a random height x width window (the sample's size). */
    record Crop(int height, int width, int pad, double p, Span span) implements Augmentation {
        @Override public String name() { return "crop"; }
    }

    /** `shift 0.1`: translate by up to this fraction of the height and width. */
    record Shift(double fraction, double p, Span span) implements Augmentation {
        @Override public String name() { return "shift"; }
    }

    /** `zoom 0.9..1.1`: scale by a factor drawn from [min, max]. */
    record Zoom(double min, double max, double p, Span span) implements Augmentation {
        @Override public String name() { return "zoom"; }
    }

    /** `shear 10deg`: shear by an angle drawn from [-degrees, degrees]. */
    record Shear(double degrees, double p, Span span) implements Augmentation {
        @Override public String name() { return "shear"; }
    }

    /** `noise 0.05 gaussian`: add noise of this standard deviation (gaussian) or half-width (uniform). */
    record Noise(Distribution distribution, double amount, double p, Span span) implements Augmentation {
        @Override public String name() { return "noise"; }
    }

    /** `erase 8x8`: set {@code count} random height x width patches to 0 (cutout, information loss). */
    record Erase(int height, int width, int count, double p, Span span) implements Augmentation {
        @Override public String name() { return "erase"; }
    }

    /** `contrast 0.8..1.2`: scale each sample's deviation from its mean by a factor from [min, max]. */
    record Contrast(double min, double max, double p, Span span) implements Augmentation {
        @Override public String name() { return "contrast"; }
    }

    /** `brightness 0.9..1.1` (a factor) or `brightness -0.1..0.1` (a delta): see {@link BrightnessMode}. */
    record Brightness(BrightnessMode mode, double min, double max, double p, Span span) implements Augmentation {
        @Override public String name() { return "brightness"; }
    }

    /** `colorshift 0.1`: add to each channel its own offset from [-amount, amount] (values in [0, 1]). */
    record ColorShift(double amount, double p, Span span) implements Augmentation {
        @Override public String name() { return "colorshift"; }
    }
}
