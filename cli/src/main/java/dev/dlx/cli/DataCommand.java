package dev.dlx.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.syntax.Decl;
import dev.dlx.runtime.data.Augmenter;
import dev.dlx.runtime.data.DataException;
import dev.dlx.runtime.data.DataReport;
import dev.dlx.runtime.data.LoadedData;
import dev.dlx.runtime.data.SampleGrid;
import dev.dlx.runtime.data.Samples;
import dev.dlx.runtime.run.Programs;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `dlxc data FILE`: what each dataset's pipeline yields, and a picture of its augmented samples. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = {"Reads each dataset of FILE through its pipeline and shows what training would get: samples per split and "
            + "per class, the sample shape after the feature steps, statistics of the training split (per channel for images) "
            + "before and after normalization, the label encoding, batches per epoch, K-fold partitions and augmentations.",
            "--grid writes a PNG of training samples: originals in the first column, augmented variants beside them.",
            "Exit code 0 when the data reads cleanly, 1 for errors in the program or the data, 2 for wrong usage."})
final class DataCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "the .dlx file")
    Path file;

    @Option(names = "--dataset", paramLabel = "NAME", description = "only this dataset")
    String dataset;

    @Option(names = "--grid", paramLabel = "PNG", description = "write a grid of original and augmented training samples")
    Path grid;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "8", description = "rows of the grid (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--variants", paramLabel = "N", defaultValue = "6", description = "augmented variants per row (default: ${DEFAULT-VALUE})")
    int variants;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "seed of splits the file leaves unseeded, of the grid's samples and augmentations (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--anchors", paramLabel = "K",
            description = "for box data: K anchor boxes by k-means on the training boxes' sizes (distance 1 - IoU), as `yolo anchors ...` takes them")
    Integer anchors;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
    String format;

    @Spec CommandSpec spec;

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!format.equals("text") && !format.equals("json")) {
            err.println("dlxc data: --format is `text` or `json`, not `" + format + "`");
            return Main.USAGE;
        }
        if (samples < 1 || variants < 0) {
            err.println("dlxc data: --samples must be at least 1 and --variants at least 0");
            return Main.USAGE;
        }
        Compilation c = Programs.compile(file, err);
        if (c == null) return Files.exists(file) ? Main.ERRORS : Main.USAGE;
        List<DatasetIR> chosen = new ArrayList<>();
        List<String> names = c.root().all(Decl.Dataset.class).stream().map(d -> d.name().name()).distinct().toList();
        for (String n : names) if (dataset == null || n.equals(dataset)) chosen.add(c.datasets().get(n));
        if (dataset != null && chosen.isEmpty() && c.datasets().containsKey(dataset)) chosen.add(c.datasets().get(dataset));
        chosen.removeIf(Objects::isNull);
        if (chosen.isEmpty()) {
            err.println("dlxc data: no dataset" + (dataset == null ? "" : " named `" + dataset + "`") + " in `" + file + "`"
                + (names.isEmpty() ? "" : " (it declares " + String.join(", ", names.stream().map(n -> "`" + n + "`").toList()) + ")"));
            return Main.ERRORS;
        }
        if (grid != null && chosen.size() > 1) {
            err.println("dlxc data: `" + file + "` declares " + chosen.size() + " datasets; choose the one to draw with --dataset NAME");
            return Main.USAGE;
        }
        JsonArray all = new JsonArray();
        for (DatasetIR ds : chosen) {
            LoadedData data;
            try {
                data = LoadedData.load(ds);
            } catch (DataException e) {
                err.print(e.render());
                err.flush();
                return Main.ERRORS;
            }
            DataReport report = DataReport.of(data, seed);
            JsonObject json = format.equals("json") ? report.json() : null;
            if (json == null) {
                out.print(report.text());
                out.println();
            }
            if (anchors != null) {
                int code = anchors(ds, report, out, err, json);
                if (code != Main.OK) return code;
            }
            if (grid != null) {
                int code = drawGrid(ds, data, report, out, err, json);
                if (code != Main.OK) return code;
            }
            if (json != null) all.add(json);
        }
        if (format.equals("json")) out.println(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(all));
        out.flush();
        return Main.OK;
    }

    /** `--anchors K`: k-means on the sizes of the training split's boxes. */
    private int anchors(DatasetIR ds, DataReport report, PrintWriter out, PrintWriter err, JsonObject json) {
        if (ds.labels() == null || !ds.labels().isBoxes()) {
            err.println("dlxc data: --anchors needs box labels (`source coco` or `source yolo`); dataset `" + ds.name() + "` has none");
            return Main.ERRORS;
        }
        if (anchors < 1) {
            err.println("dlxc data: --anchors must be at least 1");
            return Main.USAGE;
        }
        var train = report.splits().train();
        int rows = ds.labels().targets(), width = rows * dev.dlx.compiler.data.LabelSpec.BOX_VALUES;
        List<double[]> sizes = new ArrayList<>();
        for (int i : train.index()) {
            for (var b : dev.dlx.runtime.detect.BoxPicture.rows(train.base().targets(), i * width, rows)) {
                if (b.width() > 0 && b.height() > 0) sizes.add(new double[] {b.width(), b.height()});
            }
        }
        if (sizes.size() < anchors) {
            err.println("dlxc data: the training split of `" + ds.name() + "` has " + sizes.size() + " boxes, too few for " + anchors + " anchors");
            return Main.ERRORS;
        }
        var r = dev.dlx.runtime.detect.AnchorBoxes.kMeans(sizes, anchors, seed);
        StringBuilder words = new StringBuilder("yolo anchors");
        JsonArray list = new JsonArray();
        for (double[] a : r.anchors()) {
            words.append(String.format(java.util.Locale.ROOT, " %.3f %.3f", a[0], a[1]));
            JsonArray pair = new JsonArray();
            pair.add(a[0]);
            pair.add(a[1]);
            list.add(pair);
        }
        if (json != null) {
            json.add("anchors", list);
            json.addProperty("anchors_mean_iou", r.meanIou());
        } else {
            out.println("anchors (k-means on " + sizes.size() + " training boxes, width and height as fractions of the image, mean IoU "
                + String.format(java.util.Locale.ROOT, "%.3f", r.meanIou()) + " with the nearest):");
            out.println("  " + words + " classes " + ds.labels().classes());
        }
        return Main.OK;
    }

    private int drawGrid(DatasetIR ds, LoadedData data, DataReport report, PrintWriter out, PrintWriter err, JsonObject json) {
        if (data.sampleShape().length != 3) {
            err.println("dlxc data: --grid draws images [H, W, C]; the samples of `" + ds.name() + "` are "
                + Samples.shapeText(data.sampleShape()));
            err.println("  = help: declare `features reshape [H, W, C]` if the values are pixels");
            return Main.ERRORS;
        }
        Augmenter augmenter = ds.augmentsFor(DatasetIR.TRAIN).map(a -> new Augmenter(a.steps(), data.sampleShape())).orElse(null);
        try {
            int boxRows = ds.labels() != null && ds.labels().isBoxes() ? ds.labels().targets() : 0;
            SampleGrid.write(SampleGrid.render(report.splits().train(), augmenter, data.classNames(), samples, variants, seed, boxRows), grid);
        } catch (IOException | RuntimeException e) {
            err.println("dlxc data: cannot write `" + grid + "`: " + e.getMessage());
            return Main.ERRORS;
        }
        String what = augmenter == null ? "originals only: the dataset has no `augment train`" : variants + " augmented variants per sample";
        if (json != null) json.addProperty("grid", grid.toString());
        else out.println("grid of " + Math.min(samples, report.splits().train().size()) + " training samples (" + what + ") written to " + grid);
        return Main.OK;
    }
}
