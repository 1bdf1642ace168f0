package dev.dlx.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dlx.compiler.Compilation;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.train.Fixtures;
import dev.dlx.runtime.train.TrainGraph;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first two steps of each optimizer, against its update rule computed by hand: one weight w
 * (a dense layer of one unit, no bias), one sample x = 1 with target 0 and the mse loss, so the
 * loss is w² and the gradient g = 2w, starting at w = 0.5.
 */
class OptimizerRulesTest {
    static final double W0 = 0.5;

    @TempDir Path dir;

    /** The weight after each of two steps. */
    private double[] twoSteps(String optimizer) throws Exception {
        String program = """
            dataset d {
                source csv "d.csv" { features 0..0, label 1 }
                labels regression
            }
            model M(x [1]) -> [1] {
                dense 1 bias false
            }
            train M on d {
                loss mse
                optimizer %s
            }
            """.formatted(optimizer);
        Compilation c = Fixtures.compile(dir, program, Map.of("d.csv", "1,0\n"));
        try (TrainGraph g = Fixtures.graph(c, 1);
             BatchFeeder feed = Fixtures.regressionFeeder(c, new float[] {1f}, 1, new float[] {0f})) {
            g.writeWeights(Map.of("dense_1/kernel", new float[] {(float) W0}));
            double[] w = new double[2];
            for (int step = 0; step < 2; step++) {
                g.step(feed.batch(null, 0, 1, null), true);
                w[step] = g.readWeights().get("dense_1/kernel")[0];
            }
            return w;
        }
    }

    private static void assertSteps(double[] expected, double[] actual) {
        for (int i = 0; i < 2; i++) {
            double change = i == 0 ? expected[0] - W0 : expected[1] - expected[0];
            double tolerance = Math.max(1e-7, Math.abs(change) * 1e-4);
            assertEquals(expected[i], actual[i], tolerance, "weight after step " + (i + 1));
        }
    }

    private static double g(double w) { return 2 * w; }

    @Test
    void sgd() throws Exception {
        double a = 0.1;
        double w1 = W0 - a * g(W0), w2 = w1 - a * g(w1);
        assertSteps(new double[] {w1, w2}, twoSteps("sgd lr 0.1"));
    }

    @Test
    void momentum() throws Exception {
        double a = 0.1, b = 0.8;
        double v1 = (1 - b) * g(W0), w1 = W0 - a * v1;
        double v2 = b * v1 + (1 - b) * g(w1), w2 = w1 - a * v2;
        assertSteps(new double[] {w1, w2}, twoSteps("momentum lr 0.1 beta 0.8"));
    }

    @Test
    void nesterov() throws Exception {
        double a = 0.1, b = 0.8;
        double v1 = (1 - b) * g(W0), w1 = W0 - a * (b * v1 + (1 - b) * g(W0));
        double v2 = b * v1 + (1 - b) * g(w1), w2 = w1 - a * (b * v2 + (1 - b) * g(w1));
        assertSteps(new double[] {w1, w2}, twoSteps("momentum lr 0.1 beta 0.8 nesterov true"));
    }

    @Test
    void rmsprop() throws Exception {
        double a = 0.01, rho = 0.9, eps = 1e-7;
        double s1 = (1 - rho) * g(W0) * g(W0), w1 = W0 - a * g(W0) / (Math.sqrt(s1) + eps);
        double s2 = rho * s1 + (1 - rho) * g(w1) * g(w1), w2 = w1 - a * g(w1) / (Math.sqrt(s2) + eps);
        assertSteps(new double[] {w1, w2}, twoSteps("rmsprop lr 0.01 rho 0.9"));
    }

    @Test
    void adamIsBiasCorrected() throws Exception {
        double a = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-7;
        double w = W0, m = 0, v = 0;
        double[] expected = new double[2];
        for (int t = 1; t <= 2; t++) {
            double gr = g(w);
            m = b1 * m + (1 - b1) * gr;
            v = b2 * v + (1 - b2) * gr * gr;
            double mHat = m / (1 - Math.pow(b1, t)), vHat = v / (1 - Math.pow(b2, t));
            w = w - a * mHat / (Math.sqrt(vHat) + eps);
            expected[t - 1] = w;
        }
        // bias correction makes the first step exactly lr in size (m̂ / sqrt(v̂) = sign(g))
        assertEquals(W0 - a, expected[0], 1e-6);
        assertSteps(expected, twoSteps("adam lr 0.01"));
    }

    @Test
    void adagrad() throws Exception {
        double a = 0.1, initial = 0.1, eps = 1e-7;
        double s1 = initial + g(W0) * g(W0), w1 = W0 - a * g(W0) / (Math.sqrt(s1) + eps);
        double s2 = s1 + g(w1) * g(w1), w2 = w1 - a * g(w1) / (Math.sqrt(s2) + eps);
        assertSteps(new double[] {w1, w2}, twoSteps("adagrad lr 0.1"));
    }

    @Test
    void adadelta() throws Exception {
        double a = 1.0, rho = 0.9, eps = 1e-3;
        double w = W0, s = 0, d = 0;
        double[] expected = new double[2];
        for (int t = 0; t < 2; t++) {
            double gr = g(w);
            s = rho * s + (1 - rho) * gr * gr;
            double u = Math.sqrt(d + eps) / Math.sqrt(s + eps) * gr;
            d = rho * d + (1 - rho) * u * u;
            w = w - a * u;
            expected[t] = w;
        }
        assertSteps(expected, twoSteps("adadelta lr 1.0 rho 0.9 epsilon 1e-3"));
    }
}
