package dev.dlx.runtime.run;

import com.google.gson.JsonObject;
import dev.dlx.compiler.data.Sampling;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.DataException;
import dev.dlx.runtime.data.Normalizer;
import dev.dlx.runtime.data.PairSampler;
import dev.dlx.runtime.data.SampleSet;
import dev.dlx.runtime.train.TrainGraph;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.types.TFloat32;

/**
 * How well a model trained on `pairs` or `triplets` embeds: the embedding is the last tensor the
 * model computes from its first input alone (the shared encoder's output for the `anchor` or the
 * `left`). Three scores, as the face-verification seeds define them:
 * <ul>
 * <li><b>verification</b>: pairs of one class or two (each validation or test sample with a
 *     positive and a negative of its split), called "same" below a squared distance; the threshold
 *     that is most accurate on validation pairs, then its accuracy on test pairs;</li>
 * <li><b>recognition</b>: each test sample gets the class of its nearest training sample;</li>
 * <li><b>one-shot N-way</b> on the classes `holdout` kept out of training: one example of each of N
 *     held-out classes, a query of one of them, the nearest example's class; N is the number of
 *     held-out classes, at most 5; 1,000 trials.</li>
 * </ul>
 */
final class MetricLearning {
    static final int TRIALS = 1000;
    static final int MAX_WAYS = 5;

    private MetricLearning() {}

    /** The scores, by name (missing where the splits do not allow one). */
    record Scores(Map<String, Double> values, List<String> lines) {
        JsonObject json() {
            JsonObject o = new JsonObject();
            values.forEach(o::addProperty);
            return o;
        }
    }

    /** The node of the embedding: the last one (model order) whose inputs are the first input alone; null when none. */
    static Node embedding(ModelIR model) {
        int first = model.inputIds().get(0);
        Map<Integer, Set<Integer>> reach = new HashMap<>();
        Node best = null;
        for (Node n : model.nodes()) {
            Set<Integer> ins = new HashSet<>();
            if (n.isInput()) ins.add(n.id());
            for (int i : n.inputs()) ins.addAll(reach.get(i));
            reach.put(n.id(), ins);
            if (!n.isInput() && ins.equals(Set.of(first))) best = n;
        }
        return best;
    }

    static Scores measure(TrainGraph g, Sampling sampling, Normalizer normalizer, SampleSet train, SampleSet val, SampleSet test,
                          SampleSet unseen, long seed) throws DataException {
        Node node = embedding(g.model().model());
        Map<String, Double> values = new java.util.LinkedHashMap<>();
        List<String> lines = new ArrayList<>();
        if (node == null) {
            lines.add("metric learning: no tensor is computed from the first input alone, so there is no embedding to score");
            return new Scores(values, lines);
        }
        Operand<TFloat32> tensor = g.model().tensor(node.id());
        float[][] trainE = embed(g, tensor, normalizer, train), valE = embed(g, tensor, normalizer, val), testE = embed(g, tensor, normalizer, test);
        if (!val.isEmpty() && !test.isEmpty()) {
            Pairs v = pairs(sampling, val, valE, seed), t = pairs(sampling, test, testE, seed);
            double threshold = bestThreshold(v);
            values.put("verification_threshold", threshold);
            values.put("val_verification_accuracy", accuracy(v, threshold));
            values.put("test_verification_accuracy", accuracy(t, threshold));
            lines.add(String.format(Locale.ROOT, "verification: same below squared distance %.4g (chosen on %,d validation pairs, accuracy %.4f): "
                + "test accuracy %.4f on %,d pairs", threshold, v.same.length, accuracy(v, threshold), accuracy(t, threshold), t.same.length));
        }
        if (!test.isEmpty() && !train.isEmpty()) {
            int right = 0;
            for (int j = 0; j < test.size(); j++) if (train.classOf(nearest(testE[j], trainE)) == test.classOf(j)) right++;
            double acc = (double) right / test.size();
            values.put("test_recognition_accuracy", acc);
            lines.add(String.format(Locale.ROOT, "recognition: nearest of %,d training samples: test accuracy %.4f on %,d samples", train.size(), acc,
                test.size()));
        }
        List<Integer> held = sampling.holdout();
        if (held.size() >= 2 && !unseen.isEmpty()) {
            float[][] unseenE = embed(g, tensor, normalizer, unseen);
            int ways = Math.min(MAX_WAYS, held.size());
            double acc = oneShot(unseen, unseenE, ways, seed);
            if (!Double.isNaN(acc)) {
                // the same trials on the samples' own values, for scale: what the encoder adds
                double raw = oneShot(unseen, features(normalizer, unseen), ways, seed);
                values.put("one_shot_" + ways + "_way_accuracy", acc);
                values.put("one_shot_" + ways + "_way_accuracy_of_inputs", raw);
                lines.add(String.format(Locale.ROOT, "one-shot %d-way on the %d held-out classes (%,d samples, never trained on): accuracy %.4f over %,d trials "
                    + "(%.4f on the inputs' own values)", ways, held.size(), unseen.size(), acc, TRIALS, raw));
            }
        }
        return new Scores(values, lines);
    }

    /** Each sample with a drawn positive and a drawn negative of its split: the pairs' squared distances and truths. */
    record Pairs(double[] distance, boolean[] same) {}

    static Pairs pairs(Sampling sampling, SampleSet set, float[][] e, long seed) throws DataException {
        Sampling triplets = new Sampling(Sampling.Kind.TRIPLETS, 0, sampling.seed(), List.of(), sampling.span());
        PairSampler.Drawn d = PairSampler.draw(triplets, set, PairSampler.epochSeed(seed, -1));
        Map<Integer, Integer> position = new HashMap<>();
        for (int j = 0; j < set.size(); j++) position.put(set.index()[j], j);
        double[] dist = new double[2 * set.size()];
        boolean[] same = new boolean[2 * set.size()];
        for (int j = 0; j < set.size(); j++) {
            dist[2 * j] = sqdist(e[j], e[position.get(d.partners()[0][j])]);
            same[2 * j] = true;
            dist[2 * j + 1] = sqdist(e[j], e[position.get(d.partners()[1][j])]);
        }
        return new Pairs(dist, same);
    }

    /** The threshold (midway between two sorted distances) with the most pairs right: same below it. */
    static double bestThreshold(Pairs p) {
        Integer[] order = new Integer[p.distance.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> Double.compare(p.distance[a], p.distance[b]));
        int different = 0;
        for (boolean s : p.same) if (!s) different++;
        // a threshold below every distance calls every pair different
        int right = different, best = right;
        double threshold = order.length == 0 ? 0 : p.distance[order[0]] / 2;
        for (int k = 0; k < order.length; k++) {
            right += p.same[order[k]] ? 1 : -1;
            // a threshold falls between two distinct distances: pairs at one distance are all below it or none is
            if (k + 1 < order.length && p.distance[order[k + 1]] == p.distance[order[k]]) continue;
            double next = k + 1 < order.length ? (p.distance[order[k]] + p.distance[order[k + 1]]) / 2 : p.distance[order[k]] * 1.5 + 1e-9;
            if (right > best) {
                best = right;
                threshold = next;
            }
        }
        return threshold;
    }

    static double accuracy(Pairs p, double threshold) {
        int right = 0;
        for (int i = 0; i < p.same.length; i++) if ((p.distance[i] < threshold) == p.same[i]) right++;
        return p.same.length == 0 ? Double.NaN : (double) right / p.same.length;
    }

    /** Trials of N-way one-shot recognition among the classes of {@code set}; NaN when fewer than N classes have two samples. */
    static double oneShot(SampleSet set, float[][] e, int ways, long seed) {
        Map<Integer, List<Integer>> byClass = new java.util.TreeMap<>();
        for (int j = 0; j < set.size(); j++) byClass.computeIfAbsent(set.classOf(j), c -> new ArrayList<>()).add(j);
        List<Integer> classes = byClass.keySet().stream().filter(c -> byClass.get(c).size() >= 2).toList();
        if (classes.size() < ways) return Double.NaN;
        Random random = new Random(PairSampler.epochSeed(seed, -2));
        int right = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            List<Integer> pool = new ArrayList<>(classes);
            java.util.Collections.shuffle(pool, random);
            List<Integer> chosen = pool.subList(0, ways);
            int truth = random.nextInt(ways);
            float[][] support = new float[ways][];
            float[] query = null;
            for (int k = 0; k < ways; k++) {
                List<Integer> members = byClass.get(chosen.get(k));
                int s = members.get(random.nextInt(members.size()));
                support[k] = e[s];
                if (k == truth) {
                    int q;
                    do q = members.get(random.nextInt(members.size())); while (q == s);
                    query = e[q];
                }
            }
            if (nearest(query, support) == truth) right++;
        }
        return (double) right / TRIALS;
    }

    private static int nearest(float[] x, float[][] among) {
        int best = 0;
        double bestD = Double.POSITIVE_INFINITY;
        for (int i = 0; i < among.length; i++) {
            double d = sqdist(x, among[i]);
            if (d < bestD) {
                bestD = d;
                best = i;
            }
        }
        return best;
    }

    static double sqdist(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (double) (a[i] - b[i]);
        return s;
    }

    /** A set's samples as the first input receives them (normalized), one array each. */
    static float[][] features(Normalizer normalizer, SampleSet set) {
        int n = set.size(), batch = 256;
        float[][] out = new float[n][];
        if (n == 0) return out;
        try (BatchFeeder feeder = new BatchFeeder(set, null, normalizer, null, batch)) {
            int d = feeder.sampleSize();
            for (int from = 0; from < n; from += batch) {
                int count = Math.min(batch, n - from);
                float[] all = dev.dlx.runtime.graph.Tensors.floats(feeder.batch(null, from, count, null).x);
                for (int i = 0; i < count; i++) out[from + i] = java.util.Arrays.copyOfRange(all, i * d, (i + 1) * d);
            }
        }
        return out;
    }

    /** The embeddings of a set's samples, in order, normalized as the first input is in training. */
    static float[][] embed(TrainGraph g, Operand<TFloat32> tensor, Normalizer normalizer, SampleSet set) {
        int n = set.size(), batch = 256;
        float[][] out = new float[n][];
        if (n == 0) return out;
        try (BatchFeeder feeder = new BatchFeeder(set, null, normalizer, null, batch)) {
            for (int from = 0; from < n; from += batch) {
                int count = Math.min(batch, n - from);
                BatchFeeder.Batch b = feeder.batch(null, from, count, null);
                try (Result r = g.session().runner().feed(g.model().inputs().get(0), b.x).fetch(tensor).run()) {
                    TFloat32 t = (TFloat32) r.get(0);
                    int width = (int) (t.shape().size() / count);
                    float[] all = new float[count * width];
                    t.asRawTensor().data().asFloats().read(all, 0, all.length);
                    for (int i = 0; i < count; i++) out[from + i] = java.util.Arrays.copyOfRange(all, i * width, (i + 1) * width);
                }
            }
        }
        return out;
    }
}
