package dev.dlx.runtime.run;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.layers.Role;
import dev.dlx.runtime.data.DataException;
import dev.dlx.runtime.data.ImageFolderReader;
import dev.dlx.runtime.data.LoadedData;
import dev.dlx.runtime.graph.ModelGraph;
import dev.dlx.runtime.graph.Tensors;
import dev.dlx.runtime.train.TrainGraph;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * `dlxc stylize RUN --content IMG --style IMG`: neural style transfer (Gatys et al.) over a trained
 * convolutional network. The network is frozen and the picture is the variable: from the content
 * image (with some noise) or from noise, steps of Adam or L-BFGS on the pixels, kept in [0, 1]
 * (black to white, see {@link PixelInput}; {@link BoxDescent}), lower {@code alpha J_content + beta sum_l lambda_l
 * J_style^[l]} ({@link StyleCosts}). The gradient with respect to the picture is
 * {@link InputObjective}'s, as for filter patterns.
 */
public final class StyleTransfer {
    private final PrintWriter out;
    private final PrintWriter err;
    private final int threads;

    public StyleTransfer(PrintWriter out, PrintWriter err, int threads) {
        this.out = out;
        this.err = err;
        this.threads = threads;
    }

    /**
     * What to optimize and how: {@code contentLayer} and {@code styleLayers} (a null weight: 1/n)
     * as {@link #layers} says. {@code init} `content` (mixed with {@code noise}, a share of uniform noise) or
     * `noise`; {@code optimizer} `adam` or `lbfgs` ({@link BoxDescent}); {@code rate} Adam's step
     * size in pixel units, or the largest change of a pixel in L-BFGS's first step.
     */
    public record Options(String contentLayer, Map<String, Double> styleLayers, double alpha, double beta, String optimizer, int steps,
                          double rate, String init, double noise, long seed, int zoom) {}

    /** The costs at one step: content, style (weighted sum over the layers), total, and each style layer's (unweighted). */
    public record Costs(int step, double content, double style, double total, double[] layers) {}

    /** The costs at the start and after every tenth of the steps (the last entry is the end), and the picture. */
    public record Outcome(List<Costs> history, float[] pixels) {
        public Costs start() { return history.get(0); }
        public Costs end() { return history.get(history.size() - 1); }
    }

    /** Runs the command: 0 done, 1 the run or an image cannot be used, 2 wrong usage (a layer that is not there). */
    public int stylize(Path dir, String which, Path content, Path style, Options o, Path png, Path json) {
        try {
            SavedRun run = SavedRun.open(dir, which, err);
            if (run == null) return Runner.ERRORS;
            ModelIR model = run.model();
            Path file = png != null ? png : run.folder().dir().resolve("stylized.png");
            for (Path target : json == null ? List.of(file) : List.of(file, json)) {
                String problem = target == file && png == null ? null : OutputGuard.fileProblem(target, List.of(dir, content, style), false);
                if (problem != null) {
                    err.println("dlxc stylize: " + problem);
                    return Runner.USAGE;
                }
            }
            Layers layers = layers(model, o);
            if (layers == null) return Runner.USAGE;
            dev.dlx.compiler.shape.Shape in = model.inputs().get(0).shape();
            boolean picture = model.inputs().size() == 1 && !in.isUnknown() && in.rank() == 3 && in.dim(0).known() && in.dim(1).known()
                && (in.last().size() == 1 || in.last().size() == 3);
            if (!picture) {
                err.println("dlxc stylize: model `" + model.name() + "` does not take one picture [height, width, 1 or 3 channels]; its input is " + in);
                return Runner.USAGE;
            }
            int[] shape = {(int) in.dim(0).size(), (int) in.dim(1).size(), (int) in.dim(2).size()};
            float[] c = PixelInput.fromBytes(ImageFolderReader.decode(content, shape[0], shape[1], shape[2]));
            float[] s = PixelInput.fromBytes(ImageFolderReader.decode(style, shape[0], shape[1], shape[2]));
            // black and white: the smallest and largest feature values the network was trained on
            LoadedData data = LoadedData.load(run.dataset(), run.seed());
            data.checkFits(model);
            float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
            for (float v : data.samples().x()) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            PixelInput pixels = new PixelInput(shape, lo, hi, run.normalizer());
            out.println(String.format(Locale.ROOT, "%s: content layer `%s` %s, style layers %s; alpha %s, beta %s; %s (rate %s) on the %dx%dx%d "
                    + "pixels, %d steps from %s", model.name(), layers.content().name(), layers.content().shape(), describe(layers.style()),
                Num.compact(o.alpha()), Num.compact(o.beta()), o.optimizer().equals("lbfgs") ? "L-BFGS" : "Adam", Num.compact(o.rate()),
                shape[0], shape[1], shape[2], o.steps(),
                o.init().equals("noise") ? "noise" : o.noise() > 0 ? "the content image with " + Num.compact(100 * o.noise()) + "% noise" : "the content image"));
            out.flush();
            Outcome result;
            try (TrainGraph g = run.graph(threads)) {
                result = optimize(g.model(), g.session(), layers, pixels, c, s, o, out);
            }
            Costs a = result.start(), b = result.end();
            out.println(String.format(Locale.ROOT, "the style cost %s; the content cost is %s", a.style() > 0 && b.style() > 0
                ? "fell " + Num.compact(round3(a.style() / b.style())) + "x" : "went from " + Num.compact(a.style()) + " to " + Num.compact(b.style()),
                a.content() > 0 ? Num.compact(round3(b.content() / a.content())) + "x its start" : "now " + Num.compact(b.content()) + " (it started at 0)"));
            if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
            javax.imageio.ImageIO.write(pixels.picture(result.pixels(), Math.max(1, o.zoom())), "png", file.toFile());
            out.println("wrote " + Runner.display(file));
            if (json != null) {
                Files.writeString(json, new GsonBuilder().setPrettyPrinting().create().toJson(json(model, layers, o, result)) + "\n");
                out.println("wrote " + Runner.display(json));
            }
            out.flush();
            return Runner.OK;
        } catch (DataException e) {
            err.print(e.render());
            err.flush();
            return Runner.ERRORS;
        } catch (IOException | IllegalArgumentException e) {
            err.println("dlxc stylize: " + e.getMessage());
            return Runner.ERRORS;
        }
    }

    private static double round3(double v) { return Math.round(v * 1000) / 1000.0; }

    /** The content layer and the weighted style layers, by name. */
    record Layers(Node content, Map<Node, Double> style) {}

    /**
     * The layers {@code o} names, or the defaults, or null after saying which name is not a layer
     * and which are. Default content layer: the last convolution's output; default style layers:
     * the other convolutions' outputs (all of them when there is one). A style layer without a
     * weight weighs 1/n, n the number of style layers.
     */
    Layers layers(ModelIR model, Options o) {
        List<Node> convolutions = convolutionOutputs(model);
        Node content;
        if (o.contentLayer() == null) {
            content = convolutions.isEmpty() ? null : convolutions.get(convolutions.size() - 1);
        } else {
            content = model.layer(o.contentLayer()).filter(x -> !x.isInput() && !x.shape().isUnknown()).orElse(null);
            if (content == null) {
                err.println("dlxc stylize: `" + o.contentLayer() + "` is not a layer of `" + model.name() + "`");
                err.println("  = help: its layers: " + String.join(", ", model.layers().stream().map(n -> n.name() + " " + n.shape()).toList()));
                return null;
            }
        }
        Map<Node, Double> style = new LinkedHashMap<>();
        if (o.styleLayers().isEmpty()) {
            List<Node> others = convolutions.stream().filter(n -> n != content).toList();
            for (Node n : others.isEmpty() ? convolutions : others) style.put(n, null);
        } else {
            for (var e : o.styleLayers().entrySet()) {
                Node n = model.layer(e.getKey()).filter(x -> !x.isInput()).orElse(null);
                if (n == null || n.shape().isUnknown() || n.shape().rank() != 3) {
                    err.println("dlxc stylize: " + (n == null ? "`" + e.getKey() + "` is not a layer of `" + model.name() + "`"
                        : "style layer `" + e.getKey() + "` has outputs " + n.shape() + ", not [height, width, channels] (a Gram matrix is over channels)"));
                    err.println("  = help: its layers with [height, width, channels] outputs: " + spatialLayers(model));
                    return null;
                }
                style.put(n, e.getValue());
            }
        }
        if (style.isEmpty() || content == null) {
            err.println("dlxc stylize: model `" + model.name() + "` has no convolution with [height, width, channels] outputs; style transfer needs one");
            return null;
        }
        int n = style.size();
        style.replaceAll((k, w) -> w == null ? 1.0 / n : w);
        return new Layers(content, style);
    }

    /** The output of every convolution with [H, W, C] outputs, after its activation when one follows it directly: the default style layers. */
    static List<Node> convolutionOutputs(ModelIR model) {
        List<Node> out = new ArrayList<>();
        for (Node n : model.layers()) {
            if (n.kind().role() != Role.CONV || n.shape().isUnknown() || n.shape().rank() != 3) continue;
            List<Node> next = model.consumers(n.id());
            out.add(next.size() == 1 && next.get(0).kind().role() == Role.ACTIVATION ? next.get(0) : n);
        }
        return out;
    }

    private static String spatialLayers(ModelIR model) {
        List<String> names = model.layers().stream().filter(n -> !n.shape().isUnknown() && n.shape().rank() == 3).map(n -> n.name() + " " + n.shape())
            .toList();
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    private static String describe(Map<Node, Double> style) {
        List<String> parts = new ArrayList<>();
        for (var e : style.entrySet()) parts.add("`" + e.getKey().name() + "` (" + Num.compact(round3(e.getValue())) + ")");
        return String.join(", ", parts);
    }

    /**
     * The objective on {@code model}'s graph: the content activation and the style Gram matrices of
     * the two images (pixels) become constants; its parts are the content cost, the weighted style
     * cost and each style layer's cost.
     */
    static InputObjective objective(ModelGraph<TFloat32> model, Session session, Layers layers, PixelInput pixels, float[] content, float[] style,
                                    double alpha, double beta) {
        Ops tf = model.tf().withSubScope("dlx.style");
        int[] shape = pixels.shape();
        Operand<TFloat32> contentMaps = model.tensor(layers.content().id());
        List<Node> styleLayers = new ArrayList<>(layers.style().keySet());
        List<Operand<TFloat32>> grams = new ArrayList<>();
        for (Node n : styleLayers) grams.add(StyleCosts.gram(tf, model.tensor(n.id())));
        float[] target = fetch(model, session, pixels.input(content), shape, List.of(contentMaps)).get(0);
        List<float[]> targetGrams = fetch(model, session, pixels.input(style), shape, grams);
        long[] contentShape = contentMaps.shape().asArray();
        contentShape[0] = 1;
        Operand<TFloat32> jContent = StyleCosts.content(tf, contentMaps, tf.constant(Shape.of(contentShape), DataBuffers.of(target, true, false)));
        List<Operand<TFloat32>> parts = new ArrayList<>();
        parts.add(jContent);
        Operand<TFloat32> jStyle = null;
        for (int l = 0; l < styleLayers.size(); l++) {
            long channels = grams.get(l).shape().get(0);
            Operand<TFloat32> j = StyleCosts.style(tf, model.tensor(styleLayers.get(l).id()),
                tf.constant(Shape.of(channels, channels), DataBuffers.of(targetGrams.get(l), true, false)));
            parts.add(j);
            Operand<TFloat32> weighted = tf.math.mul(tf.constant(layers.style().get(styleLayers.get(l)).floatValue()), j);
            jStyle = jStyle == null ? weighted : tf.math.add(jStyle, weighted);
        }
        parts.add(1, jStyle);
        Operand<TFloat32> total = tf.math.add(tf.math.mul(tf.constant((float) alpha), jContent), tf.math.mul(tf.constant((float) beta), jStyle));
        return new InputObjective(model, session, total, parts);
    }

    /** Adam or L-BFGS on the pixels, kept in [0, 1], from the content image mixed with noise (or noise), lowering the objective. */
    static Outcome optimize(ModelGraph<TFloat32> model, Session session, Layers layers, PixelInput pixels, float[] content, float[] style, Options o,
                            PrintWriter progress) {
        InputObjective objective = objective(model, session, layers, pixels, content, style, o.alpha(), o.beta());
        int[] shape = pixels.shape();
        int n = pixels.size();
        Random random = new Random(o.seed());
        float[] p = new float[n];
        for (int i = 0; i < n; i++) {
            float u = random.nextFloat();
            p[i] = o.init().equals("noise") ? u : (float) ((1 - o.noise()) * content[i] + o.noise() * u);
        }
        BoxDescent descent = o.optimizer().equals("lbfgs") ? new BoxDescent.Lbfgs(o.rate()) : new BoxDescent.Adam(o.rate());
        java.util.function.Function<float[], BoxDescent.Point<InputObjective.Value>> at = x -> {
            InputObjective.Value value = objective.at(pixels.input(x), shape);
            return new BoxDescent.Point<>(x, value.objective(), pixels.gradient(x, value.gradient()), value);
        };
        BoxDescent.Point<InputObjective.Value> point = at.apply(p);
        List<Costs> history = new ArrayList<>();
        int every = Math.max(1, o.steps() / 10);
        for (int step = 0; ; step++) {
            if (step % every == 0 || step == o.steps()) {
                Costs costs = costs(step, point.value());
                history.add(costs);
                if (progress != null) {
                    progress.println(String.format(Locale.ROOT, "%s: content cost %s, style cost %s (total %s)",
                        step == 0 ? "start" : step == o.steps() ? "end (step " + step + ")" : "step " + step,
                        sig(costs.content()), sig(costs.style()), sig(costs.total())));
                    progress.flush();
                }
            }
            if (step == o.steps()) break;
            point = descent.step(point, at);
        }
        p = point.x();
        return new Outcome(history, p);
    }

    private static Costs costs(int step, InputObjective.Value at) {
        double[] a = at.also();
        return new Costs(step, a[0], a[1], at.objective(), java.util.Arrays.copyOfRange(a, 2, a.length));
    }

    /** Four significant digits. */
    static String sig(double v) { return String.format(Locale.ROOT, "%.4g", v); }

    /** The tensors {@code of} for one input. */
    private static List<float[]> fetch(ModelGraph<TFloat32> model, Session session, float[] x, int[] shape, List<Operand<TFloat32>> of) {
        try (TFloat32 input = Inspection.one(x, shape)) {
            var runner = session.runner().feed(model.inputs().get(0), input);
            for (Operand<TFloat32> t : of) runner.fetch(t);
            try (org.tensorflow.Result r = runner.run()) {
                List<float[]> values = new ArrayList<>();
                for (int k = 0; k < of.size(); k++) values.add(Tensors.floats(r.get(k)));
                return values;
            }
        }
    }

    private static JsonObject json(ModelIR model, Layers layers, Options o, Outcome result) {
        JsonObject j = new JsonObject();
        j.addProperty("model", model.name());
        j.addProperty("content_layer", layers.content().name());
        JsonObject style = new JsonObject();
        for (var e : layers.style().entrySet()) style.addProperty(e.getKey().name(), e.getValue());
        j.add("style_layers", style);
        j.addProperty("alpha", o.alpha());
        j.addProperty("beta", o.beta());
        j.addProperty("optimizer", o.optimizer());
        j.addProperty("rate", o.rate());
        j.addProperty("steps", o.steps());
        j.addProperty("init", o.init());
        if (!o.init().equals("noise")) j.addProperty("noise", o.noise());
        j.addProperty("seed", o.seed());
        j.add("start", costs(result.start(), layers));
        j.add("end", costs(result.end(), layers));
        JsonArray history = new JsonArray();
        for (Costs c : result.history()) history.add(costs(c, layers));
        j.add("history", history);
        return j;
    }

    private static JsonObject costs(Costs c, Layers layers) {
        JsonObject j = new JsonObject();
        j.addProperty("step", c.step());
        j.addProperty("content", c.content());
        j.addProperty("style", c.style());
        j.addProperty("total", c.total());
        JsonObject each = new JsonObject();
        int l = 0;
        for (Node n : layers.style().keySet()) each.addProperty(n.name(), c.layers()[l++]);
        j.add("style_by_layer", each);
        return j;
    }
}
