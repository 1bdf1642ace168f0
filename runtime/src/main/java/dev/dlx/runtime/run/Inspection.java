package dev.dlx.runtime.run;

import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.data.LabelSpec;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.DataException;
import dev.dlx.runtime.data.LoadedData;
import dev.dlx.runtime.data.SampleSet;
import dev.dlx.runtime.graph.Tensors;
import dev.dlx.runtime.metrics.MetricAccumulator;
import dev.dlx.runtime.train.TrainGraph;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.tensorflow.types.TFloat32;

/**
 * `dlxc show`: what a trained classifier does on a split of its data. The confusion matrix (rows:
 * the true class, columns: the predicted one) as a table and a picture; adversarial examples by
 * the fast gradient sign method (Goodfellow et al.): each input moved by {@code epsilon} along the
 * sign of the loss's gradient at it, and the accuracy before and after; and a class-activation heat
 * map of one input (Grad-CAM).
 */
public final class Inspection {
    private final PrintWriter out;
    private final PrintWriter err;
    private final int threads;

    public Inspection(PrintWriter out, PrintWriter err, int threads) {
        this.out = out;
        this.err = err;
        this.threads = threads;
    }

    /** A command's body: it returns the exit code, or throws what {@link #guarded} turns into a message. */
    private interface Job {
        int run() throws DataException, IOException;
    }

    /** Runs a command: a wrong argument is a usage error, a data problem or a file that cannot be read a message, never a trace. */
    private int guarded(Job job) {
        try {
            return job.run();
        } catch (IllegalArgumentException e) {
            err.println("dlxc show: " + e.getMessage());
            return Runner.USAGE;
        } catch (DataException e) {
            err.print(e.render());
            err.flush();
            return Runner.ERRORS;
        } catch (IOException e) {
            err.println("dlxc show: " + e.getMessage());
            return Runner.ERRORS;
        }
    }

    /** The run's classifier with its data, or null after saying why not. */
    private record Opened(SavedRun run, LoadedData data, List<SampleSet> sets, String split) {}

    private Opened open(Path dir, String split, String which) throws DataException {
        SavedRun r = SavedRun.open(dir, which, err);
        if (r == null) return null;
        LabelSpec labels = r.dataset().labels();
        if (r.model().inputs().size() != 1 || r.model().outputs().size() != 1 || r.dataset().multiTensor()) {
            err.println("dlxc show: `" + Runner.display(dir) + "` is a model with several inputs or outputs; `show` takes one input and one output");
            return null;
        }
        if (labels == null || !labels.isClassification() || labels.shape().rank() > 1 || (labels.shape().rank() == 1
            && labels.encoding() == LabelSpec.Encoding.SPARSE)) {
            err.println("dlxc show: model `" + r.model().name() + "` is not a classifier of one class per sample, so it has no confusion matrix");
            return null;
        }
        String s = split != null ? split : r.dataset().hasSplit(DatasetIR.TEST) ? DatasetIR.TEST : r.dataset().hasSplit(DatasetIR.VAL) ? DatasetIR.VAL
            : DatasetIR.TRAIN;
        if (!r.dataset().hasSplit(s)) {
            err.println("dlxc show: dataset `" + r.dataset().name() + "` has no `" + s + "` split (it has " + String.join(", ", r.dataset().splitNames()) + ")");
            return null;
        }
        LoadedData data = LoadedData.load(r.dataset(), r.seed());
        data.checkFits(r.model());
        return new Opened(r, data, Evaluation.sets(data, s, r.seed()), s);
    }

    /** `dlxc show confusion RUN`: the table, and the picture at {@code png} (default: `confusion_SPLIT.png` in the run folder). */
    public int confusion(Path dir, String split, String which, Path png) {
        return guarded(() -> {
            Opened o = open(dir, split, which);
            if (o == null) return Runner.ERRORS;
            MetricAccumulator acc;
            try (TrainGraph g = o.run().graph(threads)) {
                acc = Evaluation.measure(g, o.run().train(), o.data().labels(), o.run().normalizer(), o.sets(), o.run().train().batchSize());
            }
            long[][] m = acc.confusion();
            List<String> names = classNames(o.run(), m.length);
            out.println(String.format(Locale.ROOT, "%s on %s.%s: %,d samples, accuracy %.4f; rows are the true class, columns the predicted one",
                o.run().model().name(), o.run().dataset().name(), o.split(), acc.samples(), acc.accuracy()));
            out.print(Pictures.table(m, names));
            // the run folder's own picture is drawn again each time; a file given with -o must destroy nothing
            Path file = png != null ? png : o.run().folder().dir().resolve("confusion_" + o.split() + ".png");
            String problem = png != null ? OutputGuard.fileProblem(png, List.of(dir), false)
                : Files.exists(file) && !Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? "`" + file + "` is not a regular file" : null;
            if (problem != null) {
                err.println("dlxc show: " + problem);
                return Runner.USAGE;
            }
            if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
            javax.imageio.ImageIO.write(Pictures.picture(m, names), "png", file.toFile());
            out.println("wrote " + Runner.display(file));
            out.flush();
            return Runner.OK;
        });
    }

    /**
     * `dlxc show adversarial RUN --epsilon E`: every sample of the split moved by {@code epsilon}
     * (in the units of the model's input, after the dataset's steps and normalization) along the
     * sign of the loss's gradient; the accuracy before and after, and the first sample whose
     * prediction the move changed.
     */
    public int adversarial(Path dir, String split, String which, double epsilon) {
        return guarded(() -> {
            Opened o = open(dir, split, which);
            if (o == null) return Runner.ERRORS;
            List<String> names = classNames(o.run(), Math.max(2, o.run().dataset().labels().classes()));
            Result res = attack(o, epsilon);
            out.println(String.format(Locale.ROOT, "%s on %s.%s, fast gradient sign with epsilon %s: accuracy %.4f before, %.4f after (%,d samples)",
                o.run().model().name(), o.run().dataset().name(), o.split(), Num.compact(epsilon), res.before(), res.after(), res.samples()));
            if (res.example() >= 0) {
                out.println(String.format(Locale.ROOT, "  sample %d of the split: %s %s (%.3f) before, %s (%.3f) after; true class %s", res.example(),
                    "predicted", names.get(res.exampleBefore()), res.confidenceBefore(), names.get(res.exampleAfter()), res.confidenceAfter(),
                    names.get(res.exampleTruth())));
            }
            out.flush();
            return Runner.OK;
        });
    }

    /** One sample of a split, as the model's input receives it: its values (normalized), shape and class. */
    record Sample(float[] x, int[] shape, int truth) {}

    private static Sample sample(Opened o, int index) {
        int n = o.sets().stream().mapToInt(SampleSet::size).sum();
        if (index < 0 || index >= n) throw new IllegalArgumentException("--sample takes 0 to " + (n - 1) + " (the " + o.split() + " split has " + n
            + " samples), not " + index);
        for (SampleSet s : o.sets()) {
            if (index >= s.size()) {
                index -= s.size();
                continue;
            }
            SampleSet one = s.select(new int[] {index});
            try (BatchFeeder f = new BatchFeeder(one, o.data().labels(), o.run().normalizer(), null, 1)) {
                BatchFeeder.Batch b = f.batch(null, 0, 1, null);
                return new Sample(Tensors.floats(b.x), one.base().shape(), b.classes == null ? -1 : b.classes[0]);
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /** A batch of one sample. */
    static TFloat32 one(float[] x, int[] shape) {
        long[] batchShape = new long[shape.length + 1];
        batchShape[0] = 1;
        for (int i = 0; i < shape.length; i++) batchShape[i + 1] = shape[i];
        TFloat32 t = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(batchShape));
        t.asRawTensor().data().asFloats().write(x);
        return t;
    }

    /**
     * `dlxc show heatmap RUN --sample N [--class C] [--layer L]`: Grad-CAM of sample N of the split
     * (its predicted class unless --class) at the last convolutional layer (or L), drawn over the
     * input and written to {@code png} (default: `heatmap_SPLIT_N.png` in the run folder).
     */
    public int heatmap(Path dir, String split, String which, int index, Integer cls, String layerName, Path png) {
        return guarded(() -> {
            Opened o = open(dir, split, which);
            if (o == null) return Runner.ERRORS;
            ModelIR model = o.run().model();
            Node layer = layerName == null ? GradCam.lastConvolutional(model) : model.layer(layerName).orElse(null);
            if (layer == null || layer.isInput() || layer.shape().isUnknown() || layer.shape().rank() != 3) {
                err.println("dlxc show: " + (layerName == null ? "model `" + model.name() + "` has no layer with [height, width, channels] outputs"
                    : "`" + layerName + "` is not a layer of `" + model.name() + "` with [height, width, channels] outputs")
                    + "; Grad-CAM needs one (the layers are those `dlxc check` lists)");
                return Runner.USAGE;
            }
            Sample x = sample(o, index);
            int[] shape = x.shape();
            if (shape.length != 3) {
                err.println("dlxc show: the inputs of `" + model.name() + "` are not images [height, width, channels]");
                return Runner.USAGE;
            }
            try (TrainGraph g = o.run().graph(threads)) {
                int width = g.outputWidth();
                if (cls != null && (cls < 0 || cls >= Math.max(2, width))) {
                    err.println("dlxc show: --class takes 0 to " + (Math.max(2, width) - 1) + ", not " + cls);
                    return Runner.USAGE;
                }
                int predicted;
                try (TFloat32 input = one(x.x(), shape);
                     org.tensorflow.Result r = g.session().runner().feed(g.model().inputs().get(0), input).fetch(g.model().output()).run()) {
                    predicted = predicted(Tensors.floats(r.get(0)), 0, width);
                }
                int c = cls != null ? cls : predicted;
                float[][] cam = GradCam.gradCam(g, layer, c, x.x(), shape);
                List<String> names = classNames(o.run(), Math.max(2, width));
                double[] q = GradCam.quadrants(cam);
                out.println(String.format(Locale.ROOT, "%s, sample %d of %s.%s (true class %s, predicted %s): Grad-CAM of class %s at `%s` %s; "
                        + "its mass by quadrant: top left %.2f, top right %.2f, bottom left %.2f, bottom right %.2f", model.name(), index,
                    o.run().dataset().name(), o.split(), x.truth() < 0 ? "-" : names.get(x.truth()), names.get(predicted), names.get(c), layer.name(),
                    layer.shape(), q[0], q[1], q[2], q[3]));
                Path file = png != null ? png : o.run().folder().dir().resolve("heatmap_" + o.split() + "_" + index + ".png");
                String problem = png != null ? OutputGuard.fileProblem(png, List.of(dir), false) : null;
                if (problem != null) {
                    err.println("dlxc show: " + problem);
                    return Runner.USAGE;
                }
                javax.imageio.ImageIO.write(GradCam.overlay(x.x(), shape, cam), "png", file.toFile());
                out.println("wrote " + Runner.display(file));
                out.flush();
                return Runner.OK;
            }
        });
    }

    /** The layer named {@code name} (default: the last with [H, W, C] outputs) or null after saying why not. */
    private Node spatialLayer(ModelIR model, String name) {
        Node layer = name == null ? GradCam.lastConvolutional(model) : model.layer(name).orElse(null);
        if (layer != null && !layer.isInput() && !layer.shape().isUnknown() && (layer.shape().rank() == 3 || (name != null && layer.shape().rank() == 1))) {
            return layer;
        }
        err.println("dlxc show: " + (name == null ? "model `" + model.name() + "` has no layer with [height, width, channels] outputs"
            : "`" + name + "` is not a layer of `" + model.name() + "` with [height, width, channels] or [units] outputs")
            + " (the layers are those `dlxc check` lists)");
        return null;
    }

    /**
     * `dlxc show activations RUN --sample N [--layer L]`: the layer's output for one input, a map per
     * channel (each stretched to its own range; a channel that is 0 everywhere is dark and counted).
     */
    public int activations(Path dir, String split, String which, int index, String layerName, Path png) {
        return guarded(() -> {
            Opened o = open(dir, split, which);
            if (o == null) return Runner.ERRORS;
            Node layer = spatialLayer(o.run().model(), layerName);
            if (layer == null) return Runner.USAGE;
            Sample x = sample(o, index);
            float[] a;
            try (TrainGraph g = o.run().graph(threads);
                 TFloat32 input = one(x.x(), x.shape());
                 org.tensorflow.Result r = g.session().runner().feed(g.model().inputs().get(0), input).fetch(g.model().tensor(layer.id())).run()) {
                a = Tensors.floats(r.get(0));
            }
            int[] s = layer.shape().rank() == 3 ? new int[] {(int) layer.shape().dim(0).size(), (int) layer.shape().dim(1).size(),
                (int) layer.shape().dim(2).size()} : new int[] {1, 1, (int) layer.shape().dim(0).size()};
            int channels = s[2], dead = 0;
            for (int k = 0; k < channels; k++) {
                boolean zero = true;
                for (int i = 0; i < s[0] * s[1] && zero; i++) zero = a[i * channels + k] == 0;
                if (zero) dead++;
            }
            out.println(String.format(Locale.ROOT, "%s, sample %d of %s.%s: `%s` %s, %d channel%s, %d of them 0 everywhere for this input",
                o.run().model().name(), index, o.run().dataset().name(), o.split(), layer.name(), layer.shape(), channels, channels == 1 ? "" : "s", dead));
            return write(dir, png, o.run().folder().dir().resolve("activations_" + layer.name().replace('/', '_') + "_" + index + ".png"),
                Pictures.grid(a, s[0], s[1], channels, 1));
        });
    }

    /** `dlxc show filters RUN [--layer L]`: each channel's pattern by gradient ascent, in a grid, and how many excite their own channel most. */
    public int filters(Path dir, String which, String layerName, Path png) {
        return guarded(() -> {
            Opened o = open(dir, null, which);
            if (o == null) return Runner.ERRORS;
            Node layer = spatialLayer(o.run().model(), layerName);
            if (layer == null) return Runner.USAGE;
            int[] shape = o.data().sampleShape();
            if (shape.length != 3) {
                err.println("dlxc show: the inputs of `" + o.run().model().name() + "` are not images [height, width, channels]");
                return Runner.USAGE;
            }
            FilterPatterns.Patterns p;
            try (TrainGraph g = o.run().graph(threads)) {
                p = FilterPatterns.of(g, layer, shape, o.run().seed());
            }
            int channels = p.inputs().length, own = FilterPatterns.ownBest(p.response());
            out.println(String.format(Locale.ROOT, "%s: the patterns of the %d channels of `%s` %s (%d steps of gradient ascent from gray); "
                + "%d channels respond to their own pattern more than to any other channel's", o.run().model().name(), channels, layer.name(),
                layer.shape(), FilterPatterns.ASCENT_STEPS, own));
            int h = shape[0], w = shape[1], c = shape[2];
            float[] all = new float[h * w * channels];
            for (int f = 0; f < channels; f++) for (int i = 0; i < h * w; i++) all[i * channels + f] = p.inputs()[f][i * c];
            return write(dir, png, o.run().folder().dir().resolve("filters_" + layer.name().replace('/', '_') + ".png"), Pictures.grid(all, h, w, channels, 0));
        });
    }

    /** Writes a picture at {@code png} (guarded: it destroys nothing) or at the run folder's own {@code fallback}. */
    private int write(Path dir, Path png, Path fallback, BufferedImage img) throws IOException {
        String problem = png != null ? OutputGuard.fileProblem(png, List.of(dir), false) : null;
        if (problem != null) {
            err.println("dlxc show: " + problem);
            return Runner.USAGE;
        }
        Path file = png != null ? png : fallback;
        javax.imageio.ImageIO.write(img, "png", file.toFile());
        out.println("wrote " + Runner.display(file));
        out.flush();
        return Runner.OK;
    }

    /** Accuracy before and after, and the first sample whose predicted class changed (-1: none). */
    record Result(double before, double after, long samples, int example, int exampleTruth, int exampleBefore, double confidenceBefore,
                  int exampleAfter, double confidenceAfter) {}

    private Result attack(Opened o, double epsilon) {
        SavedRun r = o.run();
        long right = 0, fooled = 0, n = 0;
        int example = -1, truth = 0, before = 0, after = 0;
        double cBefore = 0, cAfter = 0;
        int offset = 0;
        try (TrainGraph g = r.graph(threads)) {
            for (SampleSet s : o.sets()) {
                if (s.isEmpty()) continue;
                int batch = Math.max(256, r.train().batchSize());
                try (BatchFeeder f = new BatchFeeder(s, o.data().labels(), r.normalizer(), null, batch)) {
                    for (int from = 0; from < s.size(); from += batch) {
                        int count = Math.min(batch, s.size() - from);
                        BatchFeeder.Batch b = f.batch(null, from, count, null);
                        g.evaluate(b);
                        int width = g.outputWidth();
                        float[] p0 = g.predictions().clone();
                        float[] grad = g.inputGradient(b);
                        float[] x = Tensors.floats(b.x);
                        for (int i = 0; i < x.length; i++) x[i] += (float) (epsilon * Math.signum(grad[i]));
                        b.x.asRawTensor().data().asFloats().write(x);
                        g.evaluate(b);
                        float[] p1 = g.predictions();
                        for (int i = 0; i < count; i++) {
                            int y = b.classes[i], c0 = predicted(p0, i, width), c1 = predicted(p1, i, width);
                            if (c0 == y) right++;
                            if (c1 == y) fooled++;
                            if (example < 0 && c0 == y && c1 != y) {
                                example = offset + from + i;
                                truth = y;
                                before = c0;
                                after = c1;
                                cBefore = confidence(p0, i, width, c0);
                                cAfter = confidence(p1, i, width, c1);
                            }
                        }
                        n += count;
                    }
                }
                offset += s.size();
            }
        }
        return new Result((double) right / Math.max(1, n), (double) fooled / Math.max(1, n), n, example, truth, before, cBefore, after, cAfter);
    }

    /** The predicted class of sample {@code i}: the arg max, or for one sigmoid unit, above 0.5. */
    static int predicted(float[] p, int i, int width) {
        if (width == 1) return p[i] >= 0.5f ? 1 : 0;
        int best = 0;
        for (int j = 1; j < width; j++) if (p[i * width + j] > p[i * width + best]) best = j;
        return best;
    }

    private static double confidence(float[] p, int i, int width, int c) {
        return width == 1 ? (c == 1 ? p[i] : 1 - p[i]) : p[i * width + c];
    }

    private static List<String> classNames(SavedRun r, int k) {
        List<String> names = r.classNames();
        if (names != null && names.size() == k) return names;
        return java.util.stream.IntStream.range(0, k).mapToObj(Integer::toString).toList();
    }

}
