package dev.dlx.runtime.gradcheck;

import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.layers.Activation;
import dev.dlx.compiler.layers.GlobalPool;
import dev.dlx.compiler.layers.Merge;
import dev.dlx.compiler.layers.Pool;
import dev.dlx.runtime.graph.ModelGraph;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat64;

/**
 * The points where a model is not differentiable, watched during a gradient check. A central
 * difference whose two sides x - h and x + h lie on different pieces of a piecewise function is
 * not the derivative, whatever the step; such an entry is left out of the comparison (and counted).
 *
 * <ul>
 *   <li>relu, relu6, leaky relu and elu with alpha != 1 have kinks at fixed inputs (0, and 6 for
 *       relu6): a kink lies between the sides when some input z takes values on both sides of it,
 *       {@code (z- - k)(z+ - k) <= 0} with {@code z- != z+} (a z exactly at 0, as after zero padding,
 *       counts as soon as the step moves it);</li>
 *   <li>max pooling and `maximum` switch between their inputs at ties: their output y is piecewise
 *       linear in the inputs, so where it switches the second difference {@code y+ + y- - 2 y} is of
 *       the order of h times the change of slope, against h² times the curvature elsewhere.</li>
 * </ul>
 */
final class Kinks {
    /** A second difference above this many times h is a switch between pieces, not curvature. */
    static final double SWITCH = 1e-3;

    /** One watched tensor: an activation's input with its kink points, or a max's output (no points). */
    record Probe(Operand<TFloat64> tensor, double[] points) {
        boolean bySecondDifference() { return points.length == 0; }
    }

    private final List<Probe> probes;

    Kinks(List<Probe> probes) { this.probes = List.copyOf(probes); }

    static Kinks of(ModelIR model, ModelGraph<TFloat64> graph) {
        List<Probe> probes = new ArrayList<>();
        for (Node n : model.layers()) {
            double[] points = kinkPoints(n);
            if (points != null) {
                Node in = model.node(n.inputs().get(0));
                graph.tensor(in.name()).ifPresent(t -> probes.add(new Probe(t, points)));
            } else if (switchesAtTies(n)) {
                graph.tensor(n.name()).ifPresent(t -> probes.add(new Probe(t, new double[0])));
            }
        }
        return new Kinks(probes);
    }

    /** The inputs where an activation has a kink, or null when it has none (or is no activation). */
    private static double[] kinkPoints(Node n) {
        if (!(n.settings() instanceof Activation.Settings a)) return null;
        return switch (a.function()) {
            case RELU, LEAKY_RELU -> new double[] {0};
            case RELU6 -> new double[] {0, 6};
            case ELU -> a.alpha() == 1 ? null : new double[] {0};
            default -> null;
        };
    }

    private static boolean switchesAtTies(Node n) {
        return n.kind() instanceof Pool p && p.op() == Pool.Op.MAX
            || n.kind() instanceof GlobalPool g && g.op() == Pool.Op.MAX
            || n.kind() instanceof Merge m && m.op() == Merge.Op.MAXIMUM;
    }

    List<Operand<TFloat64>> tensors() { return probes.stream().map(Probe::tensor).toList(); }

    boolean isEmpty() { return probes.isEmpty(); }

    /**
     * Whether the step from {@code minus} to {@code plus} (the probes' values at x - h and x + h,
     * {@code at} those at x) crosses a point where the model is not differentiable.
     */
    boolean crossed(List<double[]> minus, List<double[]> at, List<double[]> plus, double h) {
        for (int p = 0; p < probes.size(); p++) {
            Probe probe = probes.get(p);
            double[] lo = minus.get(p), mid = at.get(p), hi = plus.get(p);
            for (int i = 0; i < mid.length; i++) {
                if (probe.bySecondDifference()) {
                    if (Math.abs(hi[i] + lo[i] - 2 * mid[i]) > SWITCH * h) return true;
                    continue;
                }
                if (lo[i] == hi[i]) continue;
                for (double k : probe.points()) if ((lo[i] - k) * (hi[i] - k) <= 0) return true;
            }
        }
        return false;
    }
}
