package dev.dlx.runtime.run;

import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.data.LabelSpec;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.DataException;
import dev.dlx.runtime.data.LoadedData;
import dev.dlx.runtime.data.SampleSet;
import dev.dlx.runtime.graph.Tensors;
import dev.dlx.runtime.metrics.MetricAccumulator;
import dev.dlx.runtime.train.TrainGraph;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * `dlxc show`: what a trained classifier does on a split of its data. The confusion matrix (rows:
 * the true class, columns: the predicted one) as a table and a picture, and adversarial examples by
 * the fast gradient sign method (Goodfellow et al.): each input moved by {@code epsilon} along the
 * sign of the loss's gradient at it, and the accuracy before and after.
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
        try {
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
            out.print(table(m, names));
            // the run folder's own picture is drawn again each time; a file given with -o must destroy nothing
            Path file = png != null ? png : o.run().folder().dir().resolve("confusion_" + o.split() + ".png");
            String problem = png != null ? OutputGuard.fileProblem(png, List.of(dir), false)
                : Files.exists(file) && !Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? "`" + file + "` is not a regular file" : null;
            if (problem != null) {
                err.println("dlxc show: " + problem);
                return Runner.USAGE;
            }
            if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
            javax.imageio.ImageIO.write(picture(m, names), "png", file.toFile());
            out.println("wrote " + Runner.display(file));
            out.flush();
            return Runner.OK;
        } catch (DataException e) {
            err.print(e.render());
            err.flush();
            return Runner.ERRORS;
        } catch (IOException e) {
            err.println("dlxc show: " + e.getMessage());
            return Runner.ERRORS;
        }
    }

    /**
     * `dlxc show adversarial RUN --epsilon E`: every sample of the split moved by {@code epsilon}
     * (in the units of the model's input, after the dataset's steps and normalization) along the
     * sign of the loss's gradient; the accuracy before and after, and the first sample whose
     * prediction the move changed.
     */
    public int adversarial(Path dir, String split, String which, double epsilon) {
        try {
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
        } catch (DataException e) {
            err.print(e.render());
            err.flush();
            return Runner.ERRORS;
        }
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

    /** The matrix as text: a header of predicted classes, a row per true class, with its recall. */
    static String table(long[][] m, List<String> names) {
        int w = 5;
        for (String n : names) w = Math.max(w, Math.min(12, n.length()));
        for (long[] row : m) for (long v : row) w = Math.max(w, Long.toString(v).length());
        StringBuilder s = new StringBuilder();
        String cell = "%" + (w + 1) + "s";
        s.append(String.format(Locale.ROOT, "%-" + (w + 1) + "s", "true\\pred"));
        for (String n : names) s.append(String.format(Locale.ROOT, cell, cut(n, 12)));
        s.append("   recall\n");
        for (int t = 0; t < m.length; t++) {
            s.append(String.format(Locale.ROOT, "%-" + (w + 1) + "s", cut(names.get(t), 12)));
            long total = 0;
            for (long v : m[t]) total += v;
            for (long v : m[t]) s.append(String.format(Locale.ROOT, cell, v));
            s.append(total == 0 ? "        -" : String.format(Locale.ROOT, "   %.4f", (double) m[t][t] / total)).append('\n');
        }
        return s.toString();
    }

    private static String cut(String s, int n) { return s.length() <= n ? s : s.substring(0, n - 1) + "~"; }

    /** Cells shaded by the share of their row (the true class), with the counts written in. */
    static BufferedImage picture(long[][] m, List<String> names) {
        int k = m.length, cellSize = Math.max(24, Math.min(64, 640 / Math.max(1, k))), margin = 110;
        BufferedImage img = new BufferedImage(margin + k * cellSize + 20, margin + k * cellSize + 20, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(9, cellSize / 3)));
        for (int t = 0; t < k; t++) {
            long total = 0;
            for (long v : m[t]) total += v;
            for (int p = 0; p < k; p++) {
                double share = total == 0 ? 0 : (double) m[t][p] / total;
                int shade = (int) Math.round(255 * (1 - share));
                g.setColor(new Color(shade, shade, 255));
                g.fillRect(margin + p * cellSize, margin + t * cellSize, cellSize, cellSize);
                g.setColor(share > 0.5 ? Color.WHITE : Color.BLACK);
                String text = Long.toString(m[t][p]);
                g.drawString(text, margin + p * cellSize + (cellSize - g.getFontMetrics().stringWidth(text)) / 2,
                    margin + t * cellSize + cellSize / 2 + g.getFontMetrics().getAscent() / 3);
            }
            g.setColor(Color.BLACK);
            g.drawString(cut(names.get(t), 14), 4, margin + t * cellSize + cellSize / 2 + 4);
        }
        for (int p = 0; p < k; p++) {
            Graphics2D r = (Graphics2D) g.create();
            r.rotate(-Math.PI / 2, margin + p * cellSize + cellSize / 2.0, margin - 6);
            r.drawString(cut(names.get(p), 14), margin + p * cellSize + cellSize / 2, margin - 6);
            r.dispose();
        }
        g.drawString("true class (rows), predicted (columns)", 4, 14);
        g.dispose();
        return img;
    }
}
