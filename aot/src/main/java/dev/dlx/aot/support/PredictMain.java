package dev.dlx.aot.support;

import dev.dlx.support.CsvRows;
import dev.dlx.support.FeatureEncoding;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command line of a built model JAR:
 * <pre>
 * java -jar model.jar predict INPUT.csv [-o OUT.csv]   predictions as `dlxc predict` prints them
 *                                                    (the same rows, encoding and errors: support's CsvRows)
 * java -jar model.jar info                             the model description (model.json)
 * </pre>
 * Exit status: 0 done, 1 bad input, 2 wrong usage.
 */
public final class PredictMain {
    private static final int BATCH = 256;

    private PredictMain() {}

    public static int run(Class<?> owner, String folder, String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        return run(owner, folder, args, out, err);
    }

    public static int run(Class<?> owner, String folder, String[] args, PrintWriter out, PrintWriter err) {
        String usage = "usage: java -jar <model>.jar predict INPUT.csv [-o OUT.csv]\n       java -jar <model>.jar info";
        if (args.length == 1 && args[0].equals("info")) {
            try {
                out.println(new com.google.gson.GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create()
                    .toJson(FrozenModel.manifest(owner, folder).json()));
                return 0;
            } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
                err.println("error: " + e.getMessage());
                return 1;
            }
        }
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.println(usage);
            return 0;
        }
        Path output = null;
        if (args.length == 4 && (args[2].equals("-o") || args[2].equals("--output"))) output = Path.of(args[3]);
        if (args.length < 2 || !args[0].equals("predict") || (args.length != 2 && output == null)) {
            err.println(args.length == 0 ? "missing command" : "unexpected arguments: " + String.join(" ", args));
            err.println(usage);
            return 2;
        }
        Path input = Path.of(args[1]);
        if (!Files.isRegularFile(input)) {
            err.println("cannot read `" + input + "`: no such file");
            return 2;
        }
        String unsafe = output == null ? null : unsafeOutput(output, input);
        if (unsafe != null) {
            err.println("will not write the predictions to `" + output + "`: it is " + unsafe + "; write to another file");
            return 2;
        }
        try (FrozenModel m = FrozenModel.load(owner, folder)) {
            if (m.manifest().inputs().size() > 1 || m.manifest().outputs().size() > 1) return several(m, input, output, out);
            float[] samples = samples(m, input);
            int count = samples.length / m.inputSize();
            float[] flat = new float[count * m.outputSize()];
            for (int from = 0; from < count; from += BATCH) {
                int n = Math.min(BATCH, count - from);
                float[] part = new float[n * m.inputSize()];
                System.arraycopy(samples, from * m.inputSize(), part, 0, part.length);
                System.arraycopy(m.run(part, n), 0, flat, from * m.outputSize(), n * m.outputSize());
            }
            float[][] predictions = Shapes.rows(flat, count, m.outputSize());
            write(m, count, output, out, w -> PredictionFormat.write(m.manifest(), predictions, w));
            return 0;
        } catch (InputException e) {
            err.print(e.render());
            err.flush();
            return 1;
        } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
            // a model description this code cannot read (another format), a damaged or incomplete JAR
            err.println("error: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    /**
     * The samples of a CSV file, laid end to end in the model's input shape: the feature columns,
     * reshaped to the source's sample shape, then the dataset's `features` steps.
     */
    public static float[] samples(FrozenModel m, Path input) throws InputException {
        ModelManifest manifest = m.manifest();
        FeatureEncoding encoding = manifest.encoding();
        int[] source = manifest.sourceShape();
        if (encoding.columns().isEmpty()) { // no feature columns recorded: the row is the sample's values
            List<Integer> columns = new ArrayList<>();
            int n = source != null ? Shapes.size(source) : m.inputSize();
            for (int i = 0; i < n; i++) columns.add(i);
            encoding = FeatureEncoding.of(columns, Map.of(), encoding.missing(), null);
        }
        char delimiter = CsvRows.delimiter(input, manifest.delimiter());
        float[][] rows = CsvSamples.read(input, delimiter, encoding, manifest.groups());
        int[] expected = m.inputShape();
        float[] out = new float[Math.multiplyExact(rows.length, m.inputSize())];
        for (int i = 0; i < rows.length; i++) {
            int[] shape = source != null && Shapes.size(source) == rows[i].length ? source : new int[] {rows[i].length};
            FeatureSteps.Sample s;
            try {
                s = FeatureSteps.apply(manifest.featureSteps(), new FeatureSteps.Sample(rows[i], shape));
            } catch (IllegalArgumentException e) {
                throw new InputException(input + ": " + e.getMessage(), null);
            }
            if (!java.util.Arrays.equals(s.shape(), expected)) {
                throw new InputException(input + ": the samples are " + Shapes.text(s.shape()) + " after the feature steps, but the model takes "
                    + Shapes.text(expected), "give rows with the training file's columns, or only its feature columns");
            }
            System.arraycopy(s.x(), 0, out, i * m.inputSize(), s.x().length);
        }
        return out;
    }

    /** What writes the predictions' rows. */
    private interface Rows {
        void to(Writer w) throws IOException;
    }

    /** The rows on standard output, or in {@code output} with a line saying so. */
    private static void write(FrozenModel m, int count, Path output, PrintWriter out, Rows rows) throws IOException {
        if (output == null) {
            rows.to(out);
            out.flush();
            return;
        }
        try (Writer w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            rows.to(w);
        }
        out.println(count + " predictions of `" + m.manifest().model() + "` written to " + output);
    }

    /** A model with several inputs or outputs: each row cut into each input's columns, every output written under its name. */
    private static int several(FrozenModel m, Path input, Path output, PrintWriter out) throws InputException, IOException {
        float[][] samples = samplesEach(m, input);
        List<ModelManifest.Tensor> ins = m.manifest().inputs(), outs = m.manifest().outputs();
        int count = samples[0].length / Shapes.size(ins.get(0).shape());
        float[][][] predictions = new float[outs.size()][count][];
        for (int from = 0; from < count; from += BATCH) {
            int n = Math.min(BATCH, count - from);
            float[][] part = new float[ins.size()][];
            for (int i = 0; i < part.length; i++) {
                int size = Shapes.size(ins.get(i).shape());
                part[i] = java.util.Arrays.copyOfRange(samples[i], from * size, (from + n) * size);
            }
            float[][] got = m.runAll(part, n);
            for (int k = 0; k < outs.size(); k++) {
                int size = Shapes.size(outs.get(k).shape());
                for (int j = 0; j < n; j++) predictions[k][from + j] = java.util.Arrays.copyOfRange(got[k], j * size, (j + 1) * size);
            }
        }
        write(m, count, output, out, w -> PredictionFormat.write(m.manifest(), predictions, w));
        return 0;
    }

    /**
     * The samples of each input of a model with several (model order), each laid end to end: the
     * CSV's feature columns (the training file's layout, or the feature columns alone), cut into each
     * input's columns, through that input's feature steps.
     */
    public static float[][] samplesEach(FrozenModel m, Path input) throws InputException {
        ModelManifest manifest = m.manifest();
        FeatureEncoding encoding = manifest.encoding();
        char delimiter = CsvRows.delimiter(input, manifest.delimiter());
        float[][] rows = CsvSamples.read(input, delimiter, encoding, manifest.groups());
        com.google.gson.JsonArray described = manifest.json().getAsJsonArray("inputs");
        List<ModelManifest.Tensor> ins = manifest.inputs();
        float[][] out = new float[ins.size()][];
        for (int k = 0; k < ins.size(); k++) {
            com.google.gson.JsonObject d = described.get(k).getAsJsonObject();
            if (!d.has("columns")) throw new InputException("input `" + ins.get(k).name() + "` reads no csv columns", null);
            // where this input's values start in a row of every feature column, and how many they are
            int offset = 0, width = 0;
            List<Integer> mine = new ArrayList<>();
            for (var e : d.getAsJsonArray("columns")) mine.add(e.getAsInt());
            for (FeatureEncoding.Column c : encoding.columns()) {
                if (mine.contains(c.column())) width += c.width();
                else if (width == 0) offset += c.width();
            }
            List<com.google.gson.JsonObject> steps = new ArrayList<>();
            if (d.has("feature_steps")) for (var e : d.getAsJsonArray("feature_steps")) steps.add(e.getAsJsonObject());
            int[] expected = ins.get(k).shape();
            int size = Shapes.size(expected);
            out[k] = new float[Math.multiplyExact(rows.length, size)];
            for (int i = 0; i < rows.length; i++) {
                float[] x = java.util.Arrays.copyOfRange(rows[i], offset, offset + width);
                FeatureSteps.Sample s;
                try {
                    s = FeatureSteps.apply(steps, new FeatureSteps.Sample(x, new int[] {width}));
                } catch (IllegalArgumentException e) {
                    throw new InputException(input + ": input `" + ins.get(k).name() + "`: " + e.getMessage(), null);
                }
                if (!java.util.Arrays.equals(s.shape(), expected)) {
                    throw new InputException(input + ": input `" + ins.get(k).name() + "` is " + Shapes.text(s.shape())
                        + " after its feature steps, but the model takes " + Shapes.text(expected),
                        "give rows with the training file's columns, or only its feature columns");
                }
                System.arraycopy(s.x(), 0, out[k], i * size, size);
            }
        }
        return out;
    }

    /** What {@code output} is, when writing there would destroy something (the input, a source, a folder); null when it is safe. */
    static String unsafeOutput(Path output, Path input) {
        if (Files.isDirectory(output)) return "a folder";
        Path name = output.getFileName();
        if (name != null && name.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".dlx")) return "a .dlx source";
        try {
            if (Files.exists(output) && Files.isSameFile(output, input)) return "the input";
        } catch (java.io.IOException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
        return output.toAbsolutePath().normalize().equals(input.toAbsolutePath().normalize()) ? "the input" : null;
    }
}
