package dev.dlx.runtime.run;

import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.shape.Shape;
import dev.dlx.compiler.train.Noise;
import dev.dlx.compiler.train.TrainIR;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.Samples;
import dev.dlx.runtime.graph.GraphOptions;
import dev.dlx.runtime.graph.ModelGraph;
import dev.dlx.runtime.train.StepGraph;
import dev.dlx.runtime.train.TrainGraph;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * `dlxc generate` of a run whose model has `noise` inputs (a GAN's generator): images of the tensor
 * it generates from noise alone, drawn from a seed; and their judgement by a classifier trained
 * separately (a digit classifier: the share of images it labels with probability >= 0.9, and how
 * the images spread over its classes), with the same figures for uniform noise as the baseline.
 */
public final class ImageGeneration {
    private ImageGeneration() {}

    /** Generated images, [count, h, w, c] values, and the tensor they come from. */
    public record Images(float[] values, int count, int h, int w, int channels, String tensor) {}

    /** Probability at or above which an image counts as confidently classified. */
    public static final double CONFIDENT = 0.9;

    /**
     * {@code count} images of {@code run}'s generated tensor ({@code tensor}, or the one the
     * training picks when null) from noise drawn with {@code seed}. IllegalArgumentException when
     * the run's model has no noise inputs or the tensor is not an image.
     */
    public static Images generate(SavedRun run, int count, long seed, String tensor) {
        TrainIR t = run.train();
        ModelIR model = run.model();
        if (t.noise().isEmpty()) {
            throw new IllegalArgumentException("model `" + model.name() + "` has no `noise` input to generate from: its training "
                + "gives none (`noise z normal`)");
        }
        String name = tensor != null ? tensor : t.generated();
        if (name == null) throw new IllegalArgumentException("model `" + model.name() + "` computes no image [h, w, 1 or 3] from its noise alone");
        Node node = model.layer(name).orElseThrow(() -> new IllegalArgumentException("model `" + model.name() + "` has no tensor `" + name + "`"));
        Shape s = node.shape();
        if (s.isUnknown() || s.rank() != 3 || !s.fullyKnown() || (s.last().size() != 1 && s.last().size() != 3)) {
            throw new IllegalArgumentException("tensor `" + name + "` is " + s + ", not an image [h, w, 1 or 3]");
        }
        try (ModelGraph<TFloat32> g = ModelGraph.build(model, TFloat32.class, GraphOptions.seeded(run.seed()));
             Session session = new Session(g.graph(), dev.dlx.runtime.device.Device.configure(org.tensorflow.proto.ConfigProto.newBuilder()).build())) {
            g.initialize(session);
            g.writeWeights(session, run.checkpoint().weights());
            List<Operand<TFloat32>> inputs = new ArrayList<>();
            List<Noise> noises = new ArrayList<>();
            List<long[]> shapes = new ArrayList<>();
            for (int i = 0; i < model.inputs().size(); i++) {
                Node in = model.inputs().get(i);
                for (Noise n : t.noise()) {
                    if (!n.input().equals(in.name())) continue;
                    inputs.add(g.inputs().get(i));
                    noises.add(n);
                    shapes.add(in.shape().dims().stream().mapToLong(d -> d.size()).toArray());
                }
            }
            float[] v = StepGraph.Generator.run(session, g, inputs, noises, shapes, name, count, seed);
            return new Images(v, count, (int) s.dim(0).size(), (int) s.dim(1).size(), (int) s.dim(2).size(), name);
        }
    }

    /** Uniform noise images in [0, 1), the baseline of a judgement. */
    public static float[] uniform(int values, long seed) {
        Random r = new Random(seed);
        float[] v = new float[values];
        for (int i = 0; i < values; i++) v[i] = r.nextFloat();
        return v;
    }

    /**
     * What a classifier makes of a set of images.
     *
     * @param confident images whose most likely class has probability >= {@link #CONFIDENT}
     * @param perClass  images by their most likely class
     */
    public record Verdict(int count, int confident, int[] perClass, List<String> classNames) {
        public double confidentShare() { return count == 0 ? 0 : (double) confident / count; }

        public int classesPresent() { return (int) Arrays.stream(perClass).filter(c -> c > 0).count(); }

        /** `58 of 64 (90.6%) classified with p >= 0.9; 10 of 10 classes present: 0:7 1:5 ...`. */
        public String line() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%d of %d (%.1f%%) classified with p >= %.1f; %d of %d classes present:",
                confident, count, 100 * confidentShare(), CONFIDENT, classesPresent(), perClass.length));
            for (int k = 0; k < perClass.length; k++) {
                s.append(' ').append(classNames != null && k < classNames.size() ? classNames.get(k) : Integer.toString(k)).append(':').append(perClass[k]);
            }
            return s.toString();
        }
    }

    /**
     * The classifier's verdict on {@code count} images (values as the images were generated, in the
     * classifier's feature scale): its own normalization applied, the images reshaped to its input
     * when the sizes agree. IllegalArgumentException when they do not, or it is not a classifier.
     */
    public static Verdict judge(SavedRun classifier, float[] images, int count, int threads) {
        int[] expected = classifier.model().inputs().get(0).shape().dims().stream().mapToInt(d -> (int) d.size()).toArray();
        int size = Samples.size(expected);
        if (classifier.model().inputs().size() != 1 || classifier.model().outputs().size() != 1 || size * count != images.length) {
            throw new IllegalArgumentException("classifier `" + classifier.model().name() + "` takes " + classifier.model().inputs().get(0).shape()
                + ", which the " + count + " generated images of " + (images.length / Math.max(1, count)) + " values do not fill");
        }
        boolean logits = classifier.train().loss() != null && classifier.train().loss().fromLogits();
        Samples samples = new Samples(images.clone(), count, expected, null, null, 0);
        int confident = 0;
        int[] perClass = null;
        try (TrainGraph g = classifier.graph(threads);
             BatchFeeder feed = new BatchFeeder(samples.all(), null, classifier.normalizer(), null, 256)) {
            int width = g.outputWidth();
            if (width < 2) throw new IllegalArgumentException("model `" + classifier.model().name() + "` is not a classifier over several classes");
            perClass = new int[width];
            for (int from = 0; from < count; from += 256) {
                int n = Math.min(256, count - from);
                g.evaluate(feed.batch(null, from, n, null));
                float[] p = g.predictions();
                for (int i = 0; i < n; i++) {
                    double[] q = new double[width];
                    for (int j = 0; j < width; j++) q[j] = p[i * width + j];
                    if (logits) softmax(q);
                    int best = 0;
                    for (int j = 1; j < width; j++) if (q[j] > q[best]) best = j;
                    perClass[best]++;
                    if (q[best] >= CONFIDENT) confident++;
                }
            }
        }
        return new Verdict(count, confident, perClass, classifier.classNames());
    }

    private static void softmax(double[] q) {
        double max = Arrays.stream(q).max().orElse(0), sum = 0;
        for (int j = 0; j < q.length; j++) sum += q[j] = Math.exp(q[j] - max);
        for (int j = 0; j < q.length; j++) q[j] /= sum;
    }
}
