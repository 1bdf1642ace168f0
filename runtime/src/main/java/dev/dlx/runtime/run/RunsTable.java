package dev.dlx.runtime.run;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.dlx.runtime.plot.LearningCurves;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * `dlxc runs [DIR]` and `dlxc runs compare RUN...`: run folders side by side. Each row reads only
 * the run's own files (run.json, the checkpoint's manifest copy, metric_learning.json, metrics.csv);
 * a folder whose run.json is damaged is listed as such, never skipped silently.
 */
public final class RunsTable {
    private final PrintWriter out;
    private final PrintWriter err;

    public RunsTable(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    /** What a row says of one run: its settings (the columns compared), its scores, or why it cannot be read. */
    record Row(Path dir, Map<String, String> settings, Map<String, String> scores, String problem) {}

    /** The columns of a run's settings, in order. */
    static final List<String> SETTINGS = List.of("model", "dataset", "status", "seed", "epochs", "batch", "optimizer", "lr", "started");

    static Row read(Path dir) {
        Map<String, String> settings = new LinkedHashMap<>(), scores = new LinkedHashMap<>();
        try {
            RunFolder f = RunFolder.open(dir);
            JsonObject run = f.readJson(RunFolder.RUN_JSON);
            settings.put("model", text(run, "model"));
            settings.put("dataset", text(run, "dataset"));
            settings.put("status", text(run, "status") + (run.has("kfold") ? " (k-fold)" : ""));
            settings.put("seed", text(run, "seed"));
            settings.put("epochs", run.has("completed_epochs") ? text(run, "completed_epochs") + "/" + text(run, "epochs") : text(run, "epochs"));
            settings.put("batch", text(run, "batch"));
            JsonObject meta = manifest(f);
            settings.put("optimizer", meta == null ? "-" : text(meta, "optimizer"));
            settings.put("lr", meta == null || !meta.has("learning_rate") ? "-" : Num.compact(meta.get("learning_rate").getAsDouble()));
            settings.put("started", text(run, "started").replaceAll("\\.\\d+Z$", "Z"));
            for (String part : List.of("val", "test")) {
                if (!run.has(part) || !run.get(part).isJsonObject()) continue;
                for (Map.Entry<String, JsonElement> e : run.getAsJsonObject(part).entrySet()) {
                    if (e.getValue().isJsonPrimitive() && e.getValue().getAsJsonPrimitive().isNumber()) {
                        scores.put(part + "_" + e.getKey(), dev.dlx.runtime.metrics.MetricText.of(e.getValue().getAsDouble()));
                    }
                }
            }
            if (run.has("mean") && run.get("mean").isJsonObject()) {
                for (Map.Entry<String, JsonElement> e : run.getAsJsonObject("mean").entrySet()) {
                    if (e.getValue().isJsonPrimitive() && e.getValue().getAsJsonPrimitive().isNumber()) {
                        scores.put("mean_" + e.getKey(), dev.dlx.runtime.metrics.MetricText.of(e.getValue().getAsDouble()));
                    }
                }
            }
            if (f.has(RunFolder.METRIC_LEARNING)) {
                // verification, recognition and one-shot of a model trained on pairs or triplets
                for (Map.Entry<String, JsonElement> e : f.readJson(RunFolder.METRIC_LEARNING).entrySet()) {
                    if (e.getKey().endsWith("accuracy") && e.getValue().isJsonPrimitive() && e.getValue().getAsJsonPrimitive().isNumber()) {
                        scores.put(e.getKey(), dev.dlx.runtime.metrics.MetricText.of(e.getValue().getAsDouble()));
                    }
                }
            }
            return new Row(dir, settings, scores, null);
        } catch (IOException | RuntimeException e) {
            return new Row(dir, settings, scores, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    /** best.json, else last.json (the manifests' copies): the optimizer and learning rate; null when neither reads. */
    private static JsonObject manifest(RunFolder f) {
        for (String name : List.of("best.json", "last.json")) {
            try {
                if (f.has(name)) return f.readJson(name);
            } catch (IOException | RuntimeException e) {
                // a damaged copy: try the other, else show "-"
            }
        }
        return null;
    }

    private static String text(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? "-" : e.isJsonPrimitive() ? e.getAsString() : e.toString();
    }

    /** The run folders directly inside {@code dir} (a folder with a run.json), oldest first by name. */
    static List<Path> folders(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isDirectory(p) && Files.isRegularFile(p.resolve(RunFolder.RUN_JSON)))
                .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
    }

    /** `dlxc runs DIR`: one line per run with the settings that differ among them and every score. */
    public int list(Path dir) {
        if (!Files.isDirectory(dir)) {
            err.println("dlxc runs: `" + Runner.display(dir) + "` is not a folder (runs are in `runs/` unless --runs says otherwise)");
            return Runner.USAGE;
        }
        List<Row> rows;
        try {
            rows = folders(dir).stream().map(RunsTable::read).toList();
        } catch (IOException e) {
            err.println("dlxc runs: cannot list `" + Runner.display(dir) + "`: " + e.getMessage());
            return Runner.ERRORS;
        }
        if (rows.isEmpty()) {
            out.println("no run folders in " + Runner.display(dir));
            out.flush();
            return Runner.OK;
        }
        out.print(table(rows, false));
        out.flush();
        return Runner.OK;
    }

    /** `dlxc runs compare A B ...`: every setting and score side by side (differences marked) and the curves overlaid at {@code png}. */
    public int compare(List<Path> dirs, Path png) {
        List<Row> rows = new ArrayList<>();
        for (Path d : dirs) {
            if (!Files.isDirectory(d) || !Files.isRegularFile(d.resolve(RunFolder.RUN_JSON))) {
                err.println("dlxc runs: `" + Runner.display(d) + "` is not a run folder (it has no " + RunFolder.RUN_JSON + ")");
                return Runner.USAGE;
            }
            rows.add(read(d));
        }
        out.print(table(rows, true));
        Map<String, Map<String, List<Double>>> metrics = new LinkedHashMap<>();
        for (Row r : rows) {
            try {
                Map<String, List<Double>> m = RunFolder.open(r.dir()).readMetrics();
                if (m.containsKey("epoch")) metrics.put(label(r.dir(), dirs), m);
                else out.println("  (" + Runner.display(r.dir()) + " has no epochs in " + RunFolder.METRICS + ")");
            } catch (IOException | RuntimeException e) {
                out.println("  (the curves of " + Runner.display(r.dir()) + " cannot be read: " + e.getMessage() + ")");
            }
        }
        // the validation loss when every run has one, else the training loss
        String quantity = metrics.values().stream().allMatch(m -> m.containsKey("val_loss")) ? "val_loss" : "loss";
        Map<String, Map.Entry<List<Integer>, List<Double>>> curves = new LinkedHashMap<>();
        metrics.forEach((label, m) -> {
            if (m.containsKey(quantity)) curves.put(label, new AbstractMap.SimpleEntry<>(m.get("epoch").stream().map(Double::intValue).toList(), m.get(quantity)));
        });
        if (png != null && curves.isEmpty()) out.println("no curves to draw: none of the runs has " + RunFolder.METRICS + " with `" + quantity + "`");
        if (png != null && !curves.isEmpty()) {
            String problem = OutputGuard.fileProblem(png, dirs, false);
            if (problem != null) {
                err.println("dlxc runs: " + problem);
                return Runner.USAGE;
            }
            try {
                LearningCurves.overlay(png, quantity, curves);
                out.println("wrote " + Runner.display(png) + " (" + quantity + " of " + curves.size() + " run" + (curves.size() == 1 ? "" : "s") + ")");
            } catch (IOException e) {
                err.println("dlxc runs: cannot draw `" + Runner.display(png) + "`: " + e.getMessage());
                return Runner.ERRORS;
            }
        }
        out.flush();
        return Runner.OK;
    }

    /** A run's label in the picture: its folder's name, or its path when two runs share that name. */
    private static String label(Path dir, List<Path> all) {
        String name = dir.getFileName().toString();
        long same = all.stream().filter(d -> d.getFileName().toString().equals(name)).count();
        return same > 1 ? Runner.display(dir) : name;
    }

    /**
     * The rows as a table: the run's folder name, then the settings (all of them with {@code all},
     * else only those that differ between rows, and always model and status), then every score.
     */
    static String table(List<Row> rows, boolean all) {
        List<String> columns = new ArrayList<>();
        for (String c : SETTINGS) {
            Set<String> values = new LinkedHashSet<>();
            for (Row r : rows) if (r.problem() == null) values.add(r.settings().getOrDefault(c, "-"));
            if (all || values.size() > 1 || c.equals("model") || c.equals("status")) columns.add(c);
        }
        Set<String> scoreNames = new LinkedHashSet<>();
        for (Row r : rows) scoreNames.addAll(r.scores().keySet());
        List<String> header = new ArrayList<>(List.of("run"));
        header.addAll(columns);
        header.addAll(scoreNames);
        List<List<String>> cells = new ArrayList<>();
        for (Row r : rows) {
            List<String> line = new ArrayList<>(List.of(r.dir().getFileName().toString()));
            if (r.problem() != null) {
                line.add("cannot be read: " + r.problem());
            } else {
                for (String c : columns) line.add(r.settings().getOrDefault(c, "-"));
                for (String sc : scoreNames) line.add(r.scores().getOrDefault(sc, "-"));
            }
            cells.add(line);
        }
        int[] width = new int[header.size()];
        for (int i = 0; i < header.size(); i++) width[i] = header.get(i).length();
        for (List<String> line : cells) {
            if (line.size() != header.size()) continue;
            for (int i = 0; i < line.size(); i++) width[i] = Math.max(width[i], line.get(i).length());
        }
        StringBuilder s = new StringBuilder();
        appendLine(s, header, width);
        for (List<String> line : cells) {
            if (line.size() == header.size()) appendLine(s, line, width);
            else s.append(String.join("  ", line)).append('\n');
        }
        if (all && rows.size() > 1) {
            List<String> differ = new ArrayList<>();
            for (String c : SETTINGS) {
                Set<String> values = new LinkedHashSet<>();
                for (Row r : rows) if (r.problem() == null) values.add(r.settings().getOrDefault(c, "-"));
                if (values.size() > 1 && !c.equals("started")) differ.add(c);
            }
            s.append(differ.isEmpty() ? "the runs' settings are the same but for when they started\n" : "settings that differ: " + String.join(", ", differ) + "\n");
        }
        return s.toString();
    }

    private static void appendLine(StringBuilder s, List<String> line, int[] width) {
        for (int i = 0; i < line.size(); i++) {
            if (i > 0) s.append("  ");
            s.append(i == line.size() - 1 ? line.get(i) : String.format("%-" + width[i] + "s", line.get(i)));
        }
        s.append('\n');
    }
}
