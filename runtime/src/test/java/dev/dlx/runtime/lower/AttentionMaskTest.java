package dev.dlx.runtime.lower;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.dlx.runtime.testing.Run;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat64;

/**
 * `embedding ... mask_zero` marks id 0 as padding; the mask travels with the sequence through
 * per-step layers, and attention gives padded key steps exactly zero weight.
 */
class AttentionMaskTest {

    /** Ids of two sequences of 5 steps: the first padded after 3 real tokens, the second all padding. */
    private static final double[] IDS = {4, 2, 6, 0, 0, 0, 0, 0, 0, 0};

    private static double[] weights(Run<TFloat64> run, double[] ids) {
        try (Tensor t = dev.dlx.runtime.graph.Tensors.of(TFloat64.class, new long[] {ids.length / 5, 5}, ids);
             Result r = run.session.runner().feed(run.graph.inputs().get(0), t).fetch("attention_1/weights").run()) {
            return dev.dlx.runtime.graph.Tensors.doubles(r.get(0));
        }
    }

    @Test
    void paddedStepsGetExactlyZeroWeight() {
        try (Run<TFloat64> run = Run.of("model M(tokens [5]) { embedding 7 3 mask_zero -> dense 3 -> attention score scaled_dot }",
                TFloat64.class)) {
            run.randomizeWeights(5);
            double[] a = weights(run, IDS);                    // [2, 5, 5]
            for (int q = 0; q < 5; q++) {
                double sum = 0;
                for (int k = 0; k < 5; k++) {
                    double w = a[q * 5 + k];
                    if (k >= 3) assertEquals(0.0, w, 0, "query " + q + ", padded key " + k);
                    else sum += w;
                }
                assertEquals(1.0, sum, 1e-12, "the real keys share all the weight");
            }
            // a sequence of padding only: no weight anywhere, a zero context
            for (int i = 25; i < 50; i++) assertEquals(0.0, a[i], 0);
            double[] out = run.forward(false, IDS);
            for (int i = 15; i < 30; i++) assertEquals(0.0, out[i], 0);
        }
    }

    @Test
    void outputsAtRealStepsIgnoreWhatPaddedStepsHold() {
        String source = "model M(tokens [5]) { embedding 7 3 mask_zero -> dense 3 -> attention }";
        try (Run<TFloat64> run = Run.of(source, TFloat64.class)) {
            run.randomizeWeights(8);
            double[] before = Arrays.copyOf(run.forward(false, IDS), 9);   // the 3 real steps of the first sequence
            double[] table = run.get("embedding_1/embeddings");
            table[0] = 1e3;                                                  // the padding row, seen only at padded steps
            table[1] = -7;
            table[2] = 0.5;
            run.set("embedding_1/embeddings", table);
            double[] after = Arrays.copyOf(run.forward(false, IDS), 9);
            assertArrayEquals(before, after, 0);

            // without the mask the padded steps do count: the same change moves the outputs
            try (Run<TFloat64> plain = Run.of(source.replace(" mask_zero", ""), TFloat64.class)) {
                plain.randomizeWeights(8);
                double[] p0 = Arrays.copyOf(plain.forward(false, IDS), 9);
                plain.set("embedding_1/embeddings", table);
                assertFalse(Arrays.equals(p0, Arrays.copyOf(plain.forward(false, IDS), 9)));
            }
        }
    }

    @Test
    void maskedAttentionOverPaddedStepsEqualsAttentionOverTheRealStepsAlone() {
        // the same weights on the unpadded sequence [4, 2, 6]: the real steps' outputs agree
        try (Run<TFloat64> padded = Run.of("model M(tokens [5]) { embedding 7 3 mask_zero -> attention causal }", TFloat64.class);
             Run<TFloat64> real = Run.of("model M(tokens [3]) { embedding 7 3 -> attention causal }", TFloat64.class)) {
            padded.randomizeWeights(2);
            real.set("embedding_1/embeddings", padded.get("embedding_1/embeddings"));
            double[] reference = real.forward(false, new double[] {4, 2, 6});
            double[] e = padded.get("embedding_1/embeddings");
            double[][] x = {Arrays.copyOfRange(e, 12, 15), Arrays.copyOfRange(e, 6, 9), Arrays.copyOfRange(e, 18, 21)};
            assertArrayEquals(SequenceMergeReshapeTest.attention(x, x, x, 1, true), reference, 1e-12);
            assertArrayEquals(reference, Arrays.copyOf(padded.forward(false, IDS), 9), 1e-12);
        }
    }
}
