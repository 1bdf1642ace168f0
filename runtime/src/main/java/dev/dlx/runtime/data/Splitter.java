package dev.dlx.runtime.data;

import dev.dlx.compiler.data.KFold;
import dev.dlx.compiler.data.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Hold-out splits and K-fold folds, reproducible from a seed: the samples are shuffled (unless
 * `shuffle false`), then cut train | val | test by the declared shares, rounding val and test and
 * giving train the rest; with `stratify` each class is cut on its own, so every split keeps the
 * class proportions. A source with its own test files gives the test split.
 */
public final class Splitter {
    private Splitter() {}

    /** The three splits (val and test may be empty). */
    public record Splits(SampleSet train, SampleSet val, SampleSet test) {
        /** Train and val together: what K-fold cuts. */
        public SampleSet pool() {
            int[] both = new int[train.size() + val.size()];
            System.arraycopy(train.index(), 0, both, 0, train.size());
            System.arraycopy(val.index(), 0, both, train.size(), val.size());
            return new SampleSet(train.base(), both);
        }
    }

    /** One fold of K-fold: train on the other folds, validate on this one. */
    public record Fold(int round, int index, SampleSet train, SampleSet val) {}

    public static Splits split(LoadedData data, long seed) {
        Split split = data.ir().split();
        SampleSet all = data.samples().all();
        SampleSet externalTest = data.testSamples() == null ? null : data.testSamples().all();
        SampleSet empty = new SampleSet(data.samples(), new int[0]);
        if (split == null) return new Splits(seen(data, all), empty, externalTest == null ? empty : seen(data, externalTest));
        long s = split.seed().isPresent() ? split.seed().getAsInt() : seed;
        int[] order = order(all.size(), split.shuffle(), new Random(s));
        boolean stratify = split.stratify() && data.samples().hasClasses();
        double[] shares = {split.train(), split.val(), externalTest == null ? split.test() : 0};
        List<int[]> parts = stratify ? stratified(all, order, shares, data.labels().classes()) : cut(order, shares);
        SampleSet train = all.select(parts.get(0)), val = all.select(parts.get(1));
        SampleSet test = externalTest != null ? externalTest : all.select(parts.get(2));
        return new Splits(seen(data, train), seen(data, val), seen(data, test));
    }

    /** The samples of the classes `pairs ... holdout` or `triplets ... holdout` keep out of every split; empty without. */
    public static SampleSet unseen(LoadedData data) {
        return keep(data.samples().all(), heldOut(data), true);
    }

    /** {@code set} without the held-out classes. */
    private static SampleSet seen(LoadedData data, SampleSet set) {
        java.util.Set<Integer> out = heldOut(data);
        return out.isEmpty() ? set : keep(set, out, false);
    }

    private static java.util.Set<Integer> heldOut(LoadedData data) {
        dev.dlx.compiler.data.Sampling s = data.ir().sampling();
        return s == null ? java.util.Set.of() : new java.util.HashSet<>(s.holdout());
    }

    private static SampleSet keep(SampleSet set, java.util.Set<Integer> classes, boolean in) {
        if (classes.isEmpty()) return new SampleSet(set.base(), in ? new int[0] : set.index());
        int[] positions = java.util.stream.IntStream.range(0, set.size()).filter(j -> classes.contains(set.classOf(j)) == in).toArray();
        return set.select(positions);
    }

    /** The folds of `kfold K [repeat R]` over {@code pool}: K * R of them, round by round. */
    public static List<Fold> folds(SampleSet pool, KFold kfold, long seed, boolean stratify) {
        List<Fold> out = new ArrayList<>();
        long s = kfold.seed().isPresent() ? kfold.seed().getAsInt() : seed;
        boolean byClass = stratify && pool.base().hasClasses();
        for (int round = 0; round < kfold.repeats(); round++) {
            int[] order = order(pool.size(), kfold.shuffle() || round > 0, new Random(s + 7919L * round));
            int[] foldOf = new int[pool.size()];
            if (byClass) {
                int classes = 0;
                for (int i = 0; i < pool.size(); i++) classes = Math.max(classes, pool.classOf(i) + 1);
                int next = 0;
                for (int c = 0; c < classes; c++) {
                    for (int p : order) if (pool.classOf(p) == c) foldOf[p] = next++ % kfold.k();
                }
            } else {
                for (int i = 0; i < order.length; i++) foldOf[order[i]] = (int) ((long) i * kfold.k() / order.length);
            }
            for (int f = 0; f < kfold.k(); f++) {
                List<Integer> tr = new ArrayList<>(), va = new ArrayList<>();
                for (int p : order) (foldOf[p] == f ? va : tr).add(p);
                out.add(new Fold(round, f, pool.select(ints(tr)), pool.select(ints(va))));
            }
        }
        return out;
    }

    static int[] order(int n, boolean shuffle, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        if (shuffle) shuffle(order, random);
        return order;
    }

    /** Fisher-Yates, from the end. */
    public static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static List<int[]> cut(int[] order, double[] shares) {
        int n = order.length;
        int nVal = (int) Math.round(n * shares[1]), nTest = (int) Math.round(n * shares[2]);
        int nTrain = Math.max(0, n - nVal - nTest);
        List<int[]> out = new ArrayList<>();
        out.add(java.util.Arrays.copyOfRange(order, 0, nTrain));
        out.add(java.util.Arrays.copyOfRange(order, nTrain, nTrain + nVal));
        out.add(java.util.Arrays.copyOfRange(order, nTrain + nVal, n));
        return out;
    }

    private static List<int[]> stratified(SampleSet all, int[] order, double[] shares, int classes) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) byClass.add(new ArrayList<>());
        for (int p : order) byClass.get(all.classOf(p)).add(p);
        List<Integer> train = new ArrayList<>(), val = new ArrayList<>(), test = new ArrayList<>();
        for (List<Integer> members : byClass) {
            int n = members.size();
            int nVal = (int) Math.round(n * shares[1]), nTest = (int) Math.round(n * shares[2]);
            int nTrain = Math.max(0, n - nVal - nTest);
            train.addAll(members.subList(0, nTrain));
            val.addAll(members.subList(nTrain, Math.min(n, nTrain + nVal)));
            test.addAll(members.subList(Math.min(n, nTrain + nVal), n));
        }
        // each split keeps the shuffled order rather than class after class
        int[] rank = new int[order.length];
        for (int i = 0; i < order.length; i++) rank[order[i]] = i;
        java.util.Comparator<Integer> byRank = java.util.Comparator.comparingInt(p -> rank[p]);
        train.sort(byRank);
        val.sort(byRank);
        test.sort(byRank);
        return List.of(ints(train), ints(val), ints(test));
    }

    private static int[] ints(List<Integer> list) { return list.stream().mapToInt(Integer::intValue).toArray(); }
}
