package dev.dlx.runtime.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.ir.ParamSpec;
import dev.dlx.compiler.ir.WeightRole;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** A weight starts by the role its kind declares, whatever it is called. */
class InitializersTest {

    private static float[] initial(ParamSpec spec) {
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            Operand<TFloat32> v = Initializers.initialValue(tf, spec, TFloat32.class, null, 3, 0);
            try (TFloat32 t = (TFloat32) s.runner().fetch(v).run().get(0)) {
                float[] out = new float[(int) t.size()];
                for (int i = 0; i < out.length; i++) out[i] = t.getFloat(spec.shape().size() == 1 ? new long[] {i} : new long[] {i / spec.shape().get(1), i % spec.shape().get(1)});
                return out;
            }
        }
    }

    @Test
    void aScaleNamedScaleStartsAtOne() {
        for (float v : initial(ParamSpec.of(WeightRole.SCALE, "scale", 5))) assertEquals(1f, v);
        for (float v : initial(ParamSpec.of(WeightRole.MOVING_VARIANCE, "var", 5))) assertEquals(1f, v);
    }

    @Test
    void theNameDoesNotDecide() {
        // a bias that happens to be called `kernel` still starts at zero
        for (float v : initial(ParamSpec.of(WeightRole.BIAS, "kernel", 4))) assertEquals(0f, v);
        for (float v : initial(ParamSpec.of(WeightRole.SHIFT, "gamma", 4))) assertEquals(0f, v);
        // a kernel called `w` is drawn by the default scheme, Glorot uniform: limit sqrt(6 / (fan_in + fan_out))
        float[] w = initial(ParamSpec.of(WeightRole.KERNEL, "w", 30, 20));
        double limit = Math.sqrt(6.0 / (30 + 20));
        double max = 0;
        for (float v : w) {
            assertTrue(Math.abs(v) <= limit, v + " outside ±" + limit);
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max > 0.8 * limit, "draws span the interval: largest " + max);
    }

    @Test
    void rolesSayWhatIsPenalizedAndLearned() {
        assertTrue(WeightRole.KERNEL.regularizable());
        for (WeightRole r : new WeightRole[] {WeightRole.BIAS, WeightRole.SCALE, WeightRole.SHIFT, WeightRole.EMBEDDINGS}) {
            assertEquals(false, r.regularizable(), r.name());
            assertEquals(true, ParamSpec.of(r, "x", 2).trainable(), r.name());
        }
        assertEquals(false, ParamSpec.of(WeightRole.MOVING_MEAN, "m", 2).trainable());
        assertEquals(false, ParamSpec.of(WeightRole.KERNEL, "k", 2).frozen().trainable());
    }
}
