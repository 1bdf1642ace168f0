package dev.dlx.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;

class TensorFlowSmokeTest {
    @Test
    void graphGradientOfSquareIsTwiceX() {
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat64> x = tf.placeholder(TFloat64.class);
            var y = tf.math.mul(x, x);
            Output<?>[] grads = g.addGradients(y.asOutput(), new Output<?>[] {x.asOutput()});
            try (TFloat64 in = TFloat64.scalarOf(3.0);
                 Result r = s.runner().feed(x, in).fetch(grads[0]).run()) {
                assertEquals(6.0, ((TFloat64) r.get(0)).getDouble(), 1e-12);
            }
        }
    }
}
