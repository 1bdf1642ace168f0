package dev.dlx.runtime.run;

import dev.dlx.compiler.data.Sampling;
import dev.dlx.compiler.ir.Node;
import dev.dlx.runtime.data.Normalizer;
import dev.dlx.runtime.data.SampleSet;
import dev.dlx.runtime.train.TrainGraph;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Semi-hard negatives for `triplets mining semihard` (FaceNet): at the start of a training epoch,
 * the split is embedded with the current weights, and each anchor's negative becomes, among {@link
 * #CANDIDATES} samples of other classes drawn for it, the nearest one that is farther from the
 * anchor than its positive but within the margin (d(a,p) < d(a,n) < d(a,p) + margin); the random
 * negative stays when no candidate is semi-hard.
 */
final class Mining {
    /** Candidates per anchor: what one epoch's mining costs (embeddings aside) is this many distances per sample. */
    static final int CANDIDATES = 32;

    private final TrainGraph graph;
    private final Operand<TFloat32> embedding;
    private final Normalizer normalizer;

    private Mining(TrainGraph graph, Operand<TFloat32> embedding, Normalizer normalizer) {
        this.graph = graph;
        this.embedding = embedding;
        this.normalizer = normalizer;
    }

    /** Mining with {@code graph}'s embedding (see {@link MetricLearning#embedding}); null when the model has none. */
    static Mining of(TrainGraph graph, Normalizer normalizer) {
        Node node = MetricLearning.embedding(graph.model().model());
        return node == null ? null : new Mining(graph, graph.model().tensor(node.id()), normalizer);
    }

    /**
     * Replaces, in place, the negatives of a split's triplets ({@code positives[j]}, {@code
     * negatives[j]}: indices into the split's base, for its j-th anchor); returns how many became
     * semi-hard.
     */
    int mine(Sampling sampling, SampleSet split, int[] positives, int[] negatives, long seed) {
        float[][] e = MetricLearning.embed(graph, embedding, normalizer, split);
        return semiHard(e, split, positives, negatives, sampling.margin(), new Random(seed));
    }

    /** The rule on given embeddings ({@code e[j]}: the split's j-th sample's); returns how many negatives became semi-hard. */
    static int semiHard(float[][] e, SampleSet split, int[] positives, int[] negatives, double margin, Random random) {
        int n = split.size();
        java.util.Map<Integer, Integer> position = new java.util.HashMap<>(n * 2);
        for (int j = 0; j < n; j++) position.put(split.index()[j], j);
        int mined = 0;
        for (int j = 0; j < n; j++) {
            int c = split.classOf(j);
            double ap = MetricLearning.sqdist(e[j], e[position.get(positives[j])]);
            double best = Double.POSITIVE_INFINITY;
            int choice = -1;
            for (int k = 0; k < CANDIDATES; k++) {
                int q = random.nextInt(n);
                if (split.classOf(q) == c) continue;
                double an = MetricLearning.sqdist(e[j], e[q]);
                if (an > ap && an < ap + margin && an < best) {
                    best = an;
                    choice = q;
                }
            }
            if (choice >= 0) {
                negatives[j] = split.index()[choice];
                mined++;
            }
        }
        return mined;
    }
}
