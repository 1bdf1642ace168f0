package dev.dlx.runtime.run;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.dlx.compiler.syntax.Program;
import dev.dlx.runtime.plot.LearningCurves;
import dev.dlx.runtime.train.AtomicWrite;
import dev.dlx.runtime.train.Checkpoint;
import dev.dlx.runtime.train.CheckpointStore;
import dev.dlx.runtime.train.EpochRecord;
import dev.dlx.runtime.train.StepLosses;
import dev.dlx.support.TextFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A run's folder, `runs/<Model>-<yyyyMMdd-HHmmss>/`:
 * <pre>
 * run.json             what ran (file, model, dataset, seed, epochs, log_every), its status and results; read by --resume, evaluate, predict
 * source/              the .dlx file and its imports as they were, with files.json (see RunSource)
 * summary.txt          the model summary, the training settings and the results
 * metrics.csv          epoch, lr, loss, each metric, val_ versions (one row per epoch, appended as it goes)
 * steps.csv            epoch, batch, step, batches, loss: the training loss every K steps (`--log-every K` only, kept on --resume; see StepLosses)
 * learning_curves.png  loss and each metric, train vs val, per epoch
 * best.npz, last.npz   checkpoints (see Checkpoint), with best.json and last.json manifests
 * normalization.json   featurewise statistics of the training split (when the dataset normalizes): of the first input's feature
 * normalization.NAME.json  the same for feature NAME feeding another input (a dataset that names its features)
 * classes.json         class names in class order (classification)
 * classes.NAME.json    the class names of label NAME (a dataset that names its labels)
 * vocabulary.source.json, vocabulary.target.json  the token of every id of each side of `source parallel`
 * data.json            how samples were read: shape, CSV feature columns, category words
 * fold-N/              per fold, for K-fold runs (each a run folder of its own)
 * run.lock             locked by the process that trains while run.json says `running` (see RunLock)
 * </pre>
 * Every JSON file is written to a temporary file and moved into place.
 */
public final class RunFolder implements CheckpointStore {
    public static final String RUN_JSON = "run.json";
    public static final String BEST = "best.npz";
    public static final String LAST = "last.npz";
    public static final String METRICS = "metrics.csv";
    public static final String STEPS = "steps.csv";
    public static final String CURVES = "learning_curves.png";
    public static final String NORMALIZATION = "normalization.json";
    /** The scores of a model trained on `pairs` or `triplets`: verification, recognition, one-shot. */
    public static final String METRIC_LEARNING = "metric_learning.json";
    public static final String CLASSES = "classes.json";
    /** The words of a text read into word-embedding examples, by id (most frequent first after `<pad>` and `<unk>`). */
    public static final String VOCABULARY = "vocabulary.json";
    public static final String DATA = "data.json";
    public static final String SUMMARY = "summary.txt";

    /** The sides of `source parallel`, each with its vocabulary file. */
    public static final java.util.List<String> PARALLEL_SIDES = java.util.List.of("source", "target");

    /** The vocabulary (the token of each id) of side {@code side} of `source parallel`. */
    public static String vocabularyFile(String side) { return "vocabulary." + side + ".json"; }

    /** The class names of label {@code name} of a dataset that names its labels. */
    public static String classesFile(String name) { return "classes." + name + ".json"; }

    /** The normalization statistics of feature {@code name} feeding an input after the first. */
    public static String normalizationFile(String name) { return "normalization." + name + ".json"; }

    /** Copies what reading the data needs (classes.json, each classes.NAME.json, data.json) into {@code to}, e.g. a fold's folder. */
    public void copyDataFiles(RunFolder to) throws IOException {
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                boolean classes = n.equals(CLASSES) || n.startsWith("classes.") && n.endsWith(".json");
                if ((classes || n.equals(DATA)) && Files.isRegularFile(p)) {
                    Files.copy(p, to.file(n), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /**
     * The newest run folder under {@code runs} (by the time in its name) with a checkpoint, trained
     * from {@code file} where the run recorded its file, of {@code model} (null: any model); k-fold
     * runs, which hold one model per fold, are left out. Null when there is none.
     */
    public static Path newest(Path runs, String model, Path file) {
        if (!Files.isDirectory(runs)) return null;
        String abs = file.toAbsolutePath().normalize().toString();
        try (java.util.stream.Stream<Path> s = Files.list(runs)) {
            return s.filter(d -> Files.exists(d.resolve(BEST)) || Files.exists(d.resolve(LAST)))
                .filter(d -> {
                    try {
                        JsonObject run = open(d).readJson(RUN_JSON);
                        return (model == null || run.get("model").getAsString().equals(model)) && !run.has("kfold")
                            && (!run.has("file") || Path.of(run.get("file").getAsString()).toAbsolutePath().normalize().toString().equals(abs));
                    } catch (IOException | RuntimeException e) {
                        return false;
                    }
                })
                .max(java.util.Comparator.comparing((Path d) -> d.getFileName().toString().replaceAll("^.*-(\\d{8}-\\d{6}).*$", "$1"))
                    .thenComparing(d -> d.getFileName().toString()))
                .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeSpecialFloatingPointValues().create();

    private final Path dir;
    private List<String> columns;

    private boolean recovered;

    private RunFolder(Path dir) { this.dir = dir; }

    /** A new folder `<runs>/<model>-<timestamp>` (with `-2`, `-3`, ... when taken). */
    public static RunFolder create(Path runs, String model) throws IOException {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
        Files.createDirectories(runs);
        String base = model.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + stamp;
        for (int i = 1; ; i++) {
            Path dir = runs.resolve(i == 1 ? base : base + "-" + i);
            try {
                Files.createDirectory(dir);
                return new RunFolder(dir);
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                // try the next suffix
            }
        }
    }

    /**
     * An existing run folder (for resume, evaluate, predict). A run that says it is running while
     * no process holds its lock was killed: its temporary files are removed and it is marked
     * `interrupted` (see {@link #recovered()}).
     */
    public static RunFolder open(Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve(RUN_JSON))) {
            throw new IOException("`" + dir + "` is not a run folder (it has no " + RUN_JSON + ")");
        }
        RunFolder f = new RunFolder(dir);
        f.recovered = RunLock.recoverAbandoned(f);
        return f;
    }

    /** Whether {@link #open} found this run killed while it trained and marked it interrupted. */
    public boolean recovered() { return recovered; }

    /** Says so on {@code to} when {@link #recovered()}. */
    public void noteRecovery(java.io.PrintWriter to) {
        if (!recovered) return;
        to.println("note: `" + Runner.display(dir) + "` was stopped while it trained (its process ended without a word); it is marked "
            + "interrupted and its half-written files are removed; continue it with `dlxc run --resume " + Runner.display(dir) + "`");
        to.flush();
    }

    /** A sub-folder (a fold of K-fold). */
    public RunFolder child(String name) throws IOException {
        Path d = dir.resolve(name);
        Files.createDirectories(d);
        return new RunFolder(d);
    }

    public Path dir() { return dir; }
    public Path file(String name) { return dir.resolve(name); }
    public boolean has(String name) { return Files.exists(dir.resolve(name)); }

    /** Copies the root file and its imports into `source/` (see {@link RunSource}); returns the root copy's path in the folder. */
    public String copySources(List<Program> programs, Path rootFile) throws IOException {
        return RunSource.copy(dir, programs, rootFile);
    }

    public void writeText(String name, String text) throws IOException { atomic(dir.resolve(name), text); }

    public void writeJson(String name, JsonElement json) throws IOException {
        atomic(dir.resolve(name), GSON.toJson(json) + "\n");
        if (name.equals(RUN_JSON)) RunLock.follow(dir, json);
    }

    /** NAME as a JSON object; a file that is no JSON object is an IOException that names it. */
    public JsonObject readJson(String name) throws IOException {
        return parse(name, o -> o);
    }

    /** NAME read as a JSON object and given to {@code parse}; a damaged file (wrong types, missing entries) is an IOException naming it. */
    public <T> T parse(String name, java.util.function.Function<JsonObject, T> parse) throws IOException {
        return parseJson(name, e -> {
            if (!e.isJsonObject()) throw new IllegalStateException("not a JSON object");
            return parse.apply(e.getAsJsonObject());
        });
    }

    /** NAME read as JSON of any kind and given to {@code parse}; damage is an IOException naming the file. */
    public <T> T parseJson(String name, java.util.function.Function<JsonElement, T> parse) throws IOException {
        Path p = dir.resolve(name);
        String text = TextFiles.read(p, MAX_TEXT_BYTES);
        if (text.isBlank()) throw new IOException("`" + Runner.display(p) + "` is damaged (empty)");
        try {
            return parse.apply(JsonParser.parseString(text));
        } catch (RuntimeException e) {
            throw damaged(name, e);
        }
    }

    /** Why NAME cannot be used, from what its parsing threw. */
    private IOException damaged(String name, RuntimeException e) {
        String why = e instanceof com.google.gson.JsonParseException ? "not valid JSON"
            : e instanceof NullPointerException ? "an entry is missing"
            : e instanceof NumberFormatException || e instanceof UnsupportedOperationException || e instanceof ClassCastException
                ? "an entry has the wrong type"
            : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new IOException("`" + Runner.display(dir.resolve(name)) + "` is damaged (" + why + ")", e);
    }

    /** Updates run.json with the given properties. */
    public void updateRun(Map<String, JsonElement> changes) throws IOException {
        JsonObject run = has(RUN_JSON) ? readJson(RUN_JSON) : new JsonObject();
        changes.forEach(run::add);
        writeJson(RUN_JSON, run);
    }

    private static void atomic(Path file, String text) throws IOException { AtomicWrite.write(file, text); }

    @Override public void saveBest(Checkpoint checkpoint) throws IOException { checkpoint.write(dir.resolve(BEST)); }

    @Override public void saveLast(Checkpoint checkpoint) throws IOException { checkpoint.write(dir.resolve(LAST)); }

    /** Appends an epoch to metrics.csv (writing the header first when the file is new). */
    /** The column of metrics.csv naming the `phase` an epoch trained in (a training in phases only). */
    public static final String PHASE_COLUMN = "phase";

    private String phase;

    /** Names the phase the next epochs train in: metrics.csv gets a `phase` column (set before the first epoch). */
    public void phase(String name) { this.phase = name; }

    public void appendMetrics(EpochRecord r) {
        try {
            Path f = dir.resolve(METRICS);
            if (columns == null) {
                columns = Files.exists(f) ? readColumns(f) : null;
                if (columns == null) {
                    columns = new ArrayList<>(List.of("epoch", "lr"));
                    if (phase != null) columns.add(1, PHASE_COLUMN);
                    r.train().keySet().forEach(columns::add);
                    r.val().keySet().forEach(k -> columns.add("val_" + k));
                    Files.writeString(f, String.join(",", columns) + "\n", StandardCharsets.UTF_8);
                }
            }
            StringBuilder row = new StringBuilder();
            for (String c : columns) {
                if (row.length() > 0) row.append(',');
                if (c.equals(PHASE_COLUMN)) {
                    row.append(phase == null ? "" : phase);
                    continue;
                }
                double v = c.equals("epoch") ? r.epoch() : c.equals("lr") ? r.lr() : r.get(c);
                row.append(c.equals("epoch") ? Integer.toString(r.epoch()) : Double.isNaN(v) ? "" : Num.compact(v));
            }
            Files.writeString(f, row + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + METRICS + ": " + e.getMessage(), e);
        }
    }

    private static List<String> readColumns(Path f) throws IOException {
        List<String> lines = TextFiles.lines(f, MAX_CSV_BYTES);
        return lines.isEmpty() ? null : new ArrayList<>(List.of(lines.get(0).split(",")));
    }

    /** metrics.csv as columns (epoch numbers and each column's values, not the phase names); empty when there is none. */
    public Map<String, List<Double>> readMetrics() throws IOException {
        Map<String, List<Double>> out = new LinkedHashMap<>();
        Path f = dir.resolve(METRICS);
        if (!Files.exists(f)) return out;
        List<String> lines = TextFiles.lines(f, MAX_CSV_BYTES);
        if (lines.isEmpty()) return out;
        String[] header = lines.get(0).split(",");
        for (String h : header) if (!h.equals(PHASE_COLUMN)) out.put(h, new ArrayList<>());
        for (int n = 1; n < lines.size(); n++) {
            if (lines.get(n).isBlank()) continue;
            double[] row = metricsRow(f, header, lines, n);
            for (int i = 0; i < header.length; i++) if (!header[i].equals(PHASE_COLUMN)) out.get(header[i]).add(row[i]);
        }
        return out;
    }

    /** Row {@code n} of metrics.csv as numbers by column (NaN for an empty cell or the phase column); a damaged row names its line. */
    private static double[] metricsRow(Path f, String[] header, List<String> lines, int n) throws IOException {
        String[] cells = lines.get(n).split(",", -1);
        if (cells.length > header.length) throw damagedRow(f, n, header.length + " cells, as the header has", cells.length + "");
        double[] row = new double[header.length];
        for (int i = 0; i < header.length; i++) {
            String c = i < cells.length ? cells[i] : "";
            try {
                row[i] = header[i].equals(PHASE_COLUMN) || c.isEmpty() ? Double.NaN : Double.parseDouble(c);
            } catch (NumberFormatException e) {
                throw damagedRow(f, n, "a number in column `" + header[i] + "`", "`" + c + "`");
            }
        }
        return row;
    }

    /**
     * Cuts the run back to its `last` checkpoint for a resumed run, which trains what follows again:
     * metrics.csv to the epochs up to {@code epoch}, steps.csv to the {@code stepsDone} optimizer
     * steps `last` holds (-1, a checkpoint that does not count them: to batch {@code batchesDone} of
     * epoch {@code epoch + 1}). Both files are read and their kept rows checked before either is
     * written, so a damaged row leaves both as they were; a row that is cut (one half written when
     * the run ended, say) needs only a readable epoch.
     */
    public void cutForResume(int epoch, int batchesDone, long stepsDone) throws IOException {
        String metrics = keptMetrics(epoch), steps = keptSteps(epoch, batchesDone, stepsDone);
        if (metrics != null) atomic(dir.resolve(METRICS), metrics);
        if (steps != null) atomic(dir.resolve(STEPS), steps);
    }

    /** metrics.csv without the rows after {@code epoch}; null when there is no such file. */
    private String keptMetrics(int epoch) throws IOException {
        Path f = dir.resolve(METRICS);
        if (!Files.exists(f)) return null;
        List<String> lines = TextFiles.lines(f, MAX_CSV_BYTES);
        if (lines.isEmpty()) return "";
        String[] header = lines.get(0).split(",");
        List<String> kept = new ArrayList<>(List.of(lines.get(0)));
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            String first = lines.get(i).split(",", 2)[0];
            int rowEpoch;
            try {
                rowEpoch = Integer.parseInt(first);
            } catch (NumberFormatException e) {
                throw damagedRow(f, i, "an epoch number first", "`" + first + "`");
            }
            if (rowEpoch > epoch) continue;
            metricsRow(f, header, lines, i);
            kept.add(lines.get(i));
        }
        return String.join("\n", kept) + "\n";
    }

    /** A run folder's JSON and text files (run.json, summary.txt, the sources' index) are small; larger ones are not read (see TextFiles). */
    public static final long MAX_TEXT_BYTES = 64L << 20;
    /** metrics.csv holds a row an epoch and steps.csv a row every K steps: far below this. */
    public static final long MAX_CSV_BYTES = 256L << 20;

    /** "`path:LINE` is a damaged row: expected ..., found ..." ({@code index} counts the file's lines from 0, the header). */
    private static IOException damagedRow(Path f, int index, String expected, String found) {
        return new IOException("`" + Runner.display(f) + ":" + (index + 1) + "` is a damaged row: expected " + expected + ", found " + found
            + "; the file was left as it is");
    }

    private static final String STEPS_HEADER = "epoch,batch,step,batches,loss";

    /** Appends rows of the training loss every K steps to steps.csv (writing the header first when the file is new). */
    public void appendSteps(List<StepLosses.Row> rows) {
        if (rows.isEmpty()) return;
        try {
            Path f = dir.resolve(STEPS);
            StringBuilder text = new StringBuilder(Files.exists(f) ? "" : STEPS_HEADER + "\n");
            for (StepLosses.Row r : rows) text.append(line(r)).append('\n');
            Files.writeString(f, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + STEPS + ": " + e.getMessage(), e);
        }
    }

    /** A row of steps.csv; the loss as the shortest text of its float32 value (what a cluster's mean over the workers holds). */
    private static String line(StepLosses.Row r) {
        return r.epoch() + "," + r.batch() + "," + r.step() + "," + r.batches() + "," + Float.toString((float) r.loss());
    }

    /** steps.csv's rows (none when there is no such file). */
    public List<StepLosses.Row> readSteps() throws IOException {
        Path f = dir.resolve(STEPS);
        List<StepLosses.Row> rows = new ArrayList<>();
        if (!Files.exists(f)) return rows;
        List<String> lines = TextFiles.lines(f, MAX_CSV_BYTES);
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank()) continue;
            String[] c = line.split(",", -1);
            try {
                if (c.length != 5) throw new NumberFormatException();
                rows.add(new StepLosses.Row(Integer.parseInt(c[0]), Integer.parseInt(c[1]), Long.parseLong(c[2]), Integer.parseInt(c[3]),
                    Float.parseFloat(c[4])));
            } catch (NumberFormatException e) {
                throw damagedRow(f, n, "5 numbers `" + STEPS_HEADER + "`", "`" + (line.length() > 80 ? line.substring(0, 80) + "…" : line) + "`");
            }
        }
        return rows;
    }

    /** steps.csv without the rows after the checkpoint (see {@link #cutForResume}); null when there is no such file. */
    private String keptSteps(int epoch, int batchesDone, long stepsDone) throws IOException {
        if (!Files.exists(dir.resolve(STEPS))) return null;
        List<String> kept = new ArrayList<>(List.of(STEPS_HEADER));
        for (StepLosses.Row r : readSteps()) {
            boolean taken = stepsDone >= 0 ? r.step() <= stepsDone : r.epoch() <= epoch || r.epoch() == epoch + 1 && r.batch() <= batchesDone;
            if (taken) kept.add(line(r));
        }
        return String.join("\n", kept) + "\n";
    }

    /** Draws learning_curves.png from metrics.csv. */
    public void plot(String title) throws IOException {
        Map<String, List<Double>> m = readMetrics();
        List<Double> epochs = m.remove("epoch");
        if (epochs == null || epochs.isEmpty()) return;
        m.remove("lr");
        LearningCurves.write(dir.resolve(CURVES), title, epochs.stream().map(Double::intValue).toList(), m);
    }

    public static JsonArray strings(List<String> values) {
        JsonArray a = new JsonArray();
        values.forEach(a::add);
        return a;
    }
}
