package dev.dlx.runtime.search;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.dlx.runtime.run.RunFolder;
import dev.dlx.support.TextFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What a trial's run folder says: the objective (a `val_` metric from run.json, the k-fold mean with `kfold`; any other from the last row of metrics.csv) and its epochs. */
final class TrialResult {
    private TrialResult() {}

    /** The folder holding run.json under {@code runs} (the trial's own runs folder); null when the trial made none. */
    static Path findRun(Path runs) throws IOException {
        if (!Files.isDirectory(runs)) return null;
        try (Stream<Path> s = Files.list(runs)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("run.json"))).sorted().findFirst().orElse(null);
        }
    }

    static JsonObject run(Path folder) throws IOException {
        return JsonParser.parseString(TextFiles.read(folder.resolve(RunFolder.RUN_JSON), RunFolder.MAX_TEXT_BYTES)).getAsJsonObject();
    }

    /** The objective's value in the run; NaN when the run does not report it. */
    static double objective(Path folder, String objective) throws IOException {
        JsonObject run = run(folder);
        if (objective.startsWith("val_")) {
            if (run.has("kfold_results") && run.getAsJsonObject("kfold_results").has(objective)) {
                return number(run.getAsJsonObject("kfold_results").getAsJsonObject(objective).get("mean"));
            }
            String base = objective.substring(4);
            if (run.has("val") && run.getAsJsonObject("val").has(base)) return number(run.getAsJsonObject("val").get(base));
        }
        Path csv = folder.resolve("metrics.csv");
        if (!Files.isRegularFile(csv)) return Double.NaN;
        List<String> lines = TextFiles.lines(csv, RunFolder.MAX_CSV_BYTES);
        if (lines.size() < 2) return Double.NaN;
        List<String> header = List.of(lines.get(0).split(","));
        int col = header.indexOf(objective);
        if (col < 0) return Double.NaN;
        String[] last = lines.get(lines.size() - 1).split(",");
        return col < last.length ? parse(last[col]) : Double.NaN;
    }

    /** Epochs the run trained. */
    static int epochs(Path folder) throws IOException {
        JsonObject run = run(folder);
        return run.has("completed_epochs") ? run.get("completed_epochs").getAsInt() : run.has("epochs") ? run.get("epochs").getAsInt() : 0;
    }

    private static double number(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() ? e.getAsDouble() : Double.NaN;
    }

    private static double parse(String s) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
