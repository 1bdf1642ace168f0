package dev.dlx.runtime.gradcheck;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a gradient check: for every weight tensor (and every differentiable model
 * input) the number of entries compared and the largest relative error
 * `|a - n| / max(|a|, |n|, 1e-8)` between the analytical gradient a and the central difference n.
 * Entries whose step crossed a point where the model is not differentiable are counted apart
 * ({@code excluded}), not compared.
 */
public record GradientCheckReport(String model, double loss, List<Entry> entries) {

    public GradientCheckReport { entries = List.copyOf(entries); }

    /** One tensor: `layer` is a node name, `tensor` a parameter name or `input`; {@code excluded} entries sat at a kink. */
    public record Entry(String layer, String kind, String tensor, int checked, int excluded, double maxRelativeError,
                        double maxAbsoluteError) {}

    /** Entries left out because their step crossed a kink, over all tensors. */
    public int excluded() { return entries.stream().mapToInt(Entry::excluded).sum(); }

    /** The largest relative error per layer (and input), in model order. */
    public Map<String, Double> byLayer() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Entry e : entries) out.merge(e.layer(), e.maxRelativeError(), Math::max);
        return out;
    }

    public double maxRelativeError() { return entries.stream().mapToDouble(Entry::maxRelativeError).max().orElse(0); }

    public boolean passes(double tolerance) { return maxRelativeError() < tolerance; }

    /** A table: layer, kind, tensor, entries checked, largest relative and absolute error. */
    public String format() {
        StringBuilder s = new StringBuilder();
        s.append(String.format("gradient check of `%s` (loss %.6g)%n", model, loss));
        s.append(String.format("%-24s %-16s %-26s %7s %8s %12s %12s%n", "layer", "kind", "tensor", "checked", "at kinks",
            "rel. error", "abs. error"));
        for (Entry e : entries) {
            s.append(String.format("%-24s %-16s %-26s %7d %8d %12.3e %12.3e%n", e.layer(), e.kind(), e.tensor(), e.checked(),
                e.excluded(), e.maxRelativeError(), e.maxAbsoluteError()));
        }
        return s.toString();
    }

    @Override public String toString() { return format(); }
}
