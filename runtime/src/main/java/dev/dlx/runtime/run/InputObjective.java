package dev.dlx.runtime.run;

import dev.dlx.runtime.graph.ModelGraph;
import dev.dlx.runtime.graph.Tensors;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * A scalar objective of a model's first input, with the weights held fixed, and its gradient with
 * respect to that input: what gradient ascent (filter patterns) and descent (style
 * transfer) on the input step along. The gradient is added to the graph once, at construction;
 * {@link #at} runs the model in inference mode on a batch of one.
 */
final class InputObjective {
    private final ModelGraph<TFloat32> model;
    private final Session session;
    private final Operand<TFloat32> objective;
    private final Output<?> gradient;
    private final List<Operand<TFloat32>> also;

    /** {@code objective}: a scalar of the model's tensors; {@code also}: scalars fetched with it (the parts of a sum). */
    InputObjective(ModelGraph<TFloat32> model, Session session, Operand<TFloat32> objective, List<Operand<TFloat32>> also) {
        this.model = model;
        this.session = session;
        this.objective = objective;
        this.also = List.copyOf(also);
        this.gradient = model.graph().addGradients(objective.asOutput(), new Output<?>[] {model.inputs().get(0).asOutput()})[0];
    }

    /** The objective at one input, its gradient (the input's layout) and the values of {@code also}. */
    record Value(double objective, float[] gradient, double[] also) {}

    /** The objective and its gradient at input {@code x} of shape {@code shape} (without the batch). */
    Value at(float[] x, int[] shape) {
        try (TFloat32 input = Inspection.one(x, shape)) {
            var runner = session.runner().feed(model.inputs().get(0), input).fetch(objective).fetch(gradient);
            for (Operand<TFloat32> a : also) runner.fetch(a);
            try (Result r = runner.run()) {
                double[] parts = new double[also.size()];
                for (int k = 0; k < parts.length; k++) parts[k] = Tensors.floats(r.get(2 + k))[0];
                return new Value(Tensors.floats(r.get(0))[0], Tensors.floats(r.get(1)), parts);
            }
        }
    }
}
