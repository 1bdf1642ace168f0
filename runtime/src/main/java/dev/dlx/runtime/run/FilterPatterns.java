package dev.dlx.runtime.run;

import dev.dlx.compiler.ir.Node;
import dev.dlx.runtime.graph.Tensors;
import dev.dlx.runtime.train.TrainGraph;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** What excites each channel of a layer, by gradient ascent on the input (Chollet's filter visualization). */
final class FilterPatterns {
    private FilterPatterns() {}

    /** Gradient-ascent steps of a filter pattern, and the size of each (along the gradient scaled to unit root mean square). */
    static final int ASCENT_STEPS = 40;
    static final double ASCENT_STEP = 0.5;

    /**
     * What excites each channel of {@code layer} (Chollet's filter visualization): from a gray input
     * with a little seeded noise, {@link #ASCENT_STEPS} steps of gradient ascent on the channel's
     * mean activation; then every pattern through the layer, {@code response[f][k]} the mean of
     * channel k on pattern f. The patterns are in the model's input units (after normalization).
     */
    record Patterns(float[][] inputs, double[][] response) {}

    static Patterns of(TrainGraph g, Node layer, int[] inputShape, long seed) {
        Ops tf = g.model().tf().withSubScope("dlx.inspect");
        Operand<TFloat32> maps = g.model().tensor(layer.id());
        int channels = (int) layer.shape().last().size();
        int size = 1;
        for (int d : inputShape) size *= d;
        float[][] patterns = new float[channels][];
        double[][] response = new double[channels][channels];
        Operand<TFloat32> means = tf.math.mean(maps, tf.constant(java.util.stream.IntStream.range(0, layer.shape().rank()).toArray()));
        Random random = new Random(seed);
        for (int f = 0; f < channels; f++) {
            float[] mask = new float[channels];
            mask[f] = 1;
            Operand<TFloat32> target = tf.reduceSum(tf.math.mul(means, tf.constant(mask)), tf.constant(0));
            InputObjective ascent = new InputObjective(g.model(), g.session(), target, java.util.List.of());
            float[] x = new float[size];
            for (int i = 0; i < size; i++) x[i] = (float) (0.1 * random.nextGaussian());
            for (int step = 0; step < ASCENT_STEPS; step++) {
                float[] d = ascent.at(x, inputShape).gradient();
                double rms = 0;
                for (float v : d) rms += v * (double) v;
                rms = Math.sqrt(rms / size) + 1e-8;
                for (int i = 0; i < size; i++) x[i] += (float) (ASCENT_STEP * d[i] / rms);
            }
            patterns[f] = x;
        }
        for (int f = 0; f < channels; f++) {
            try (TFloat32 input = Inspection.one(patterns[f], inputShape);
                 org.tensorflow.Result r = g.session().runner().feed(g.model().inputs().get(0), input).fetch(means).run()) {
                float[] m = Tensors.floats(r.get(0));
                for (int k = 0; k < channels; k++) response[f][k] = m[k];
            }
        }
        return new Patterns(patterns, response);
    }

    /** How many channels k respond most to their own pattern: {@code response[k][k]} above every {@code response[f][k]}, f != k. */
    static int ownBest(double[][] response) {
        int own = 0;
        for (int k = 0; k < response.length; k++) {
            boolean best = true;
            for (int f = 0; f < response.length && best; f++) if (f != k && response[f][k] >= response[k][k]) best = false;
            if (best) own++;
        }
        return own;
    }
}
