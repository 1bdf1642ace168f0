package dev.dlx.cli;

import dev.dlx.runtime.run.StyleTransfer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `dlxc stylize RUN --content IMG --style IMG`: neural style transfer over a trained convolutional network. */
@Command(name = "stylize", mixinStandardHelpOptions = true,
        description = {"Neural style transfer over a trained convolutional network (the run's weights, frozen): a picture "
            + "with the content of one image and the style of another, found by Adam or L-BFGS on its pixels (kept within black..white).",
            "It lowers alpha J_content + beta sum_l lambda_l J_style[l]: J_content = 1/2 ||a(C) - a(G)||^2 at the content layer, "
            + "J_style[l] = 1/(2 nH nW nC)^2 ||G(S) - G(G)||_F^2 with the Gram matrices G_kk' = sum_ij a_ijk a_ijk' of each style layer.",
            "The images (PNG, JPEG, BMP, GIF) are resized to the model's input, in gray or RGB as it takes them. Black..white is "
            + "the range of the training data's feature values (0..1 for images scaled by 1/255), normalized as in training.",
            "Prints the content and style costs at the start, every tenth of the steps and at the end; writes the picture "
            + "(`stylized.png` in the run folder, or -o) and, with --costs, the costs as JSON."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:done", "1:the run, its data or an image cannot be used", "2:wrong usage"})
final class StylizeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN", description = "a run folder of a convolutional network")
    Path run;

    @Option(names = "--content", paramLabel = "IMG", required = true, description = "the content image")
    Path content;

    @Option(names = "--style", paramLabel = "IMG", required = true, description = "the style image")
    Path style;

    @Option(names = "--content-layer", paramLabel = "L", description = "the layer of the content cost (default: the last convolution's output, after its activation)")
    String contentLayer;

    @Option(names = "--style-layers", paramLabel = "L[:W]", split = ",",
            description = "the style layers with their weights lambda (a layer without :w weighs 1/n, n the number of layers; "
                + "default: the other convolutions' outputs, after their activations)")
    String[] styleLayers;

    @Option(names = "--alpha", paramLabel = "A", defaultValue = "1", description = "the content cost's weight (default: ${DEFAULT-VALUE})")
    double alpha;

    @Option(names = "--beta", paramLabel = "B", defaultValue = "1e5", description = "the style cost's weight (default: ${DEFAULT-VALUE})")
    double beta;

    @Option(names = "--optimizer", paramLabel = "OPT", defaultValue = "adam",
            description = "adam, or lbfgs (L-BFGS with a backtracking line search, the pixels projected into black..white) (default: ${DEFAULT-VALUE})")
    String optimizer;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "300", description = "steps on the pixels (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "0.02",
            description = "Adam's step size, or the largest change of a pixel in L-BFGS's first step, in pixels from 0 (black) to 1 (white) "
                + "(default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--init", paramLabel = "FROM", defaultValue = "content", description = "content (the content image mixed with --noise) or noise (default: ${DEFAULT-VALUE})")
    String init;

    @Option(names = "--noise", paramLabel = "SHARE", defaultValue = "0.6", description = "with --init content: the share of uniform noise mixed in, 0 to 1 (default: ${DEFAULT-VALUE})")
    double noise;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "the seed of the noise (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--zoom", paramLabel = "Z", defaultValue = "1", description = "each pixel as Z x Z pixels in the written picture (default: ${DEFAULT-VALUE})")
    int zoom;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "where to write the picture (default: stylized.png in the run folder)")
    Path output;

    @Option(names = "--costs", paramLabel = "FILE", description = "also write the costs (start, every tenth of the steps, end) as JSON")
    Path costs;

    @Option(names = "--weights", paramLabel = "WHICH", description = "best or last (default: best, else last)")
    String weights;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "TensorFlow threads inside each op (default: by the model's size)")
    int threads;

    @Spec CommandSpec spec;

    @Override public Integer call() {
        var err = spec.commandLine().getErr();
        String problem = weights != null && !weights.equals("best") && !weights.equals("last") ? "--weights takes best or last, not `" + weights + "`"
            : !optimizer.equals("adam") && !optimizer.equals("lbfgs") ? "--optimizer takes adam or lbfgs, not `" + optimizer + "`"
            : !init.equals("content") && !init.equals("noise") ? "--init takes content or noise, not `" + init + "`"
            : !(noise >= 0 && noise <= 1) ? "--noise takes a share from 0 to 1, not " + noise
            : steps < 0 ? "--steps takes 0 or more, not " + steps
            : !(rate > 0) || Double.isInfinite(rate) ? "--rate takes a number above 0, not " + rate
            : !(alpha >= 0) || !(beta >= 0) || Double.isInfinite(alpha) || Double.isInfinite(beta) ? "--alpha and --beta take numbers of 0 or more"
            : zoom < 1 || zoom > 32 ? "--zoom takes 1 to 32, not " + zoom : null;
        Map<String, Double> layers = new LinkedHashMap<>();
        if (problem == null && styleLayers != null) {
            for (String part : styleLayers) {
                String[] nw = part.split(":", -1);
                Double w = null;
                if (nw.length == 2) {
                    try {
                        w = Double.parseDouble(nw[1]);
                    } catch (NumberFormatException e) {
                        w = null;
                    }
                }
                if (nw[0].isBlank() || nw.length > 2 || (nw.length == 2 && (w == null || !(w >= 0) || w.isInfinite()))) {
                    problem = "--style-layers takes LAYER or LAYER:WEIGHT (a weight of 0 or more), separated by commas, not `" + part + "`";
                    break;
                }
                if (layers.containsKey(nw[0])) {
                    problem = "--style-layers names `" + nw[0] + "` twice";
                    break;
                }
                layers.put(nw[0], w);
            }
        }
        if (problem != null) {
            err.println("dlxc stylize: " + problem);
            return Main.USAGE;
        }
        var o = new StyleTransfer.Options(contentLayer, layers, alpha, beta, optimizer, steps, rate, init, noise, seed, zoom);
        return new StyleTransfer(spec.commandLine().getOut(), err, threads).stylize(run, weights, content, style, o, output, costs);
    }
}
