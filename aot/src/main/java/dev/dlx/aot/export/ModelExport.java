package dev.dlx.aot.export;

import com.google.gson.GsonBuilder;
import dev.dlx.aot.freeze.FrozenRun;
import dev.dlx.aot.support.FrozenModel;
import dev.dlx.aot.support.ModelManifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.proto.GraphDef;

/**
 * `dlxc export`: a frozen run in a format other tools read.
 * <ul>
 *   <li>{@code savedmodel}: a TensorFlow SavedModel (tag `serve`) whose `serving_default`
 *       signature maps the model's input name (e.g. `image`, float32 [batch, 8, 8, 1]) to `output`
 *       (float32 [batch, 10]); a model with several inputs and outputs names each (`left`,
 *       `right` -> `kind`, `flag`); TensorFlow Serving, Python's `tf.saved_model.load` and Java's
 *       {@link SavedModelBundle} load it. The model description rides in `assets.extra/model.json`.</li>
 *   <li>{@code frozen}: `graph.pb` (a GraphDef with the weights as constants, input `dlx.input:0`,
 *       output `dlx.output:0`) and `model.json`.</li>
 * </ul>
 * Both take samples as the dataset's `features` steps leave them: the normalization of the training
 * split is inside the graph, so they give the run's answers.
 */
public final class ModelExport {
    public enum Format {
        SAVEDMODEL, FROZEN;

        public static Format parse(String text) {
            String t = text.toLowerCase(Locale.ROOT);
            if (t.equals("savedmodel") || t.equals("saved_model")) return SAVEDMODEL;
            if (t.equals("frozen") || t.equals("graphdef")) return FROZEN;
            return null;
        }
    }

    /** The signature every export serves. */
    public static final String SIGNATURE = Signature.DEFAULT_KEY;

    private ModelExport() {}

    public static void write(FrozenRun frozen, Format format, Path dir) throws IOException {
        Files.createDirectories(dir);
        String manifest = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(frozen.manifest()) + "\n";
        if (format == Format.FROZEN) {
            Files.write(dir.resolve(FrozenModel.GRAPH), frozen.graph());
            Files.writeString(dir.resolve(FrozenModel.MANIFEST), manifest, StandardCharsets.UTF_8);
            return;
        }
        ModelManifest m = frozen.parsed();
        try (Graph g = new Graph()) {
            g.importGraphDef(GraphDef.parseFrom(frozen.graph()));
            try (Session s = new Session(g)) {
                Signature.Builder b = Signature.builder(SIGNATURE);
                if (m.inputs().size() == 1 && m.outputs().size() == 1) {
                    b.input(m.inputName(), g.outputOrThrow(m.inputOp()))
                        .output(frozen.manifest().getAsJsonObject("output").get("name").getAsString(), g.outputOrThrow(m.outputOp()));
                } else {
                    for (ModelManifest.Tensor t : m.inputs()) b.input(t.name(), g.outputOrThrow(t.op()));
                    for (ModelManifest.Tensor t : m.outputs()) b.output(t.name(), g.outputOrThrow(t.op()));
                }
                Signature signature = b.build();
                SavedModelBundle.exporter(dir.toString()).withFunction(SessionFunction.create(signature, s)).export();
            }
        }
        Path extra = dir.resolve("assets.extra");
        Files.createDirectories(extra);
        Files.writeString(extra.resolve(FrozenModel.MANIFEST), manifest, StandardCharsets.UTF_8);
    }
}
