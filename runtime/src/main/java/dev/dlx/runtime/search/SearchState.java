package dev.dlx.runtime.search;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.dlx.compiler.schema.Value;
import dev.dlx.compiler.search.Hyperparam;
import dev.dlx.compiler.search.SearchSpec;
import dev.dlx.runtime.train.AtomicWrite;
import dev.dlx.runtime.run.RunFolder;
import dev.dlx.support.TextFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A search folder's `search.json`: what was searched (file, parameters, objective, rungs) and every
 * trial's state. Written whole and atomically after each change, so that an interrupted search
 * leaves the last consistent state and a resumed one repeats no finished trial.
 */
public final class SearchState {
    public static final String FILE = "search.json";
    static final String FORMAT = "dlx-search 1";

    final Path file;
    final SearchSpec spec;
    final List<Halving.Rung> rungs;
    final List<Trial> trials = new ArrayList<>();
    Integer best;

    SearchState(Path file, SearchSpec spec, List<Halving.Rung> rungs) {
        this.file = file;
        this.spec = spec;
        this.rungs = List.copyOf(rungs);
    }

    public List<Trial> trials() { return List.copyOf(trials); }
    public List<Halving.Rung> rungs() { return rungs; }
    public SearchSpec spec() { return spec; }

    /** The best trial (by the objective at the last rung it finished, rungs compared highest first); null when none finished. */
    public Trial best() {
        Trial best = null;
        for (Trial t : trials) {
            if (t.status == Trial.Status.FAILED || Double.isNaN(t.objective())) continue;
            if (best == null || better(t, best)) best = t;
        }
        return best;
    }

    /** Whether {@code a} ranks above {@code b}: the further rung first, then the objective. */
    boolean better(Trial a, Trial b) {
        int ra = a.objectives.size(), rb = b.objectives.size();
        if (ra != rb) return ra > rb;
        double la = Observation.loss(a.objective(), spec.maximize()), lb = Observation.loss(b.objective(), spec.maximize());
        return la < lb || la == lb && a.id < b.id;
    }

    /** What identifies the search: a state of another search in the same folder is refused. */
    static String signature(SearchSpec spec, List<Halving.Rung> rungs) {
        StringBuilder s = new StringBuilder(spec.strategy().word() + " seed " + spec.seed() + ", objective " + spec.objective()
            + (spec.maximize() ? " max" : " min") + ", " + spec.trials() + " trials, rungs");
        for (Halving.Rung r : rungs) s.append(' ').append(r.trials()).append('x').append(r.epochs());
        for (Hyperparam p : spec.params()) {
            s.append("; ").append(p.name()).append(' ').append(p.kind().word()).append(' ')
                .append(p.kind() == Hyperparam.Kind.CHOICE ? String.join(",", p.choices().stream().map(Hyperparam::text).toList())
                    : Hyperparam.text(p.at(0)) + ".." + Hyperparam.text(p.at(1)));
        }
        return s.toString();
    }

    void save(Path dir) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        o.addProperty("file", file.toAbsolutePath().normalize().toString());
        o.addProperty("search", signature(spec, rungs));
        o.addProperty("objective", spec.objective());
        o.addProperty("maximize", spec.maximize());
        JsonArray rs = new JsonArray();
        for (Halving.Rung r : rungs) {
            JsonObject j = new JsonObject();
            j.addProperty("epochs", r.epochs());
            j.addProperty("trials", r.trials());
            rs.add(j);
        }
        o.add("rungs", rs);
        Trial b = best();
        if (b != null) o.addProperty("best", b.id);
        JsonArray ts = new JsonArray();
        for (Trial t : trials) {
            JsonObject j = new JsonObject();
            j.addProperty("id", t.id);
            JsonObject values = new JsonObject();
            t.point.forEach((k, v) -> values.addProperty(k, Hyperparam.text(v)));
            j.add("values", values);
            j.addProperty("status", t.status.word());
            j.addProperty("rung", t.rung);
            JsonArray objs = new JsonArray();
            for (double d : t.objectives) {
                if (Double.isNaN(d)) objs.add((JsonElement) null);
                else objs.add(d);
            }
            j.add("objectives", objs);
            j.addProperty("epochs", t.epochs);
            j.addProperty("seconds", Math.round(t.seconds * 10) / 10.0);
            if (t.run != null) j.addProperty("run", t.run);
            if (t.error != null) j.addProperty("error", t.error);
            ts.add(j);
        }
        o.add("trials", ts);
        AtomicWrite.write(dir.resolve(FILE), new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(o) + "\n");
    }

    /** The state in {@code dir}, or null when there is none; refuses the state of a different search. */
    static SearchState load(Path dir, Path file, SearchSpec spec, List<Halving.Rung> rungs) throws IOException {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) return null;
        JsonObject o;
        try {
            o = JsonParser.parseString(TextFiles.read(f, RunFolder.MAX_TEXT_BYTES)).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IOException("`" + f + "` is damaged (" + e.getMessage() + ")");
        }
        if (!o.has("format") || !FORMAT.equals(o.get("format").getAsString())) throw new IOException("`" + f + "` is not a dlx search state");
        String was = o.has("search") ? o.get("search").getAsString() : "";
        String now = signature(spec, rungs);
        if (!was.equals(now)) {
            throw new IOException("`" + dir + "` holds another search (" + was + "), not this one (" + now + "); give another -o folder");
        }
        SearchState s = new SearchState(file, spec, rungs);
        try {
            for (JsonElement e : o.getAsJsonArray("trials")) {
                JsonObject j = e.getAsJsonObject();
                Map<String, Value> point = new LinkedHashMap<>();
                for (Hyperparam p : spec.params()) {
                    String text = j.getAsJsonObject("values").get(p.name()).getAsString();
                    point.put(p.name(), p.parse(text).orElseThrow(() -> new IllegalStateException("`" + text + "` is no value of " + p.name())));
                }
                Trial t = new Trial(j.get("id").getAsInt(), point);
                t.status = Trial.Status.valueOf(j.get("status").getAsString().toUpperCase(java.util.Locale.ROOT));
                t.rung = j.get("rung").getAsInt();
                for (JsonElement d : j.getAsJsonArray("objectives")) t.objectives.add(d.isJsonNull() ? Double.NaN : d.getAsDouble());
                t.epochs = j.get("epochs").getAsInt();
                t.seconds = j.get("seconds").getAsDouble();
                if (j.has("run")) t.run = j.get("run").getAsString();
                if (j.has("error")) t.error = j.get("error").getAsString();
                s.trials.add(t);
            }
        } catch (RuntimeException e) {
            throw new IOException("`" + f + "` is damaged (" + e.getMessage() + ")");
        }
        return s;
    }

    /** The state of a finished or interrupted search folder, for `--from-search`: the best trial's values and epochs. */
    public record Best(int trial, Map<String, String> values, int epochs, String run) {}

    public static Best readBest(Path dir) throws IOException {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) throw new IOException("`" + dir + "` is no search folder (no " + FILE + ")");
        try {
            JsonObject o = JsonParser.parseString(TextFiles.read(f, RunFolder.MAX_TEXT_BYTES)).getAsJsonObject();
            if (!o.has("best")) throw new IOException("the search in `" + dir + "` has no finished trial yet");
            int id = o.get("best").getAsInt();
            for (JsonElement e : o.getAsJsonArray("trials")) {
                JsonObject j = e.getAsJsonObject();
                if (j.get("id").getAsInt() != id) continue;
                Map<String, String> values = new LinkedHashMap<>();
                for (Map.Entry<String, JsonElement> v : j.getAsJsonObject("values").entrySet()) values.put(v.getKey(), v.getValue().getAsString());
                return new Best(id, values, j.get("epochs").getAsInt(), j.has("run") ? j.get("run").getAsString() : null);
            }
            throw new IOException("`" + f + "` names best trial " + id + " but holds no such trial");
        } catch (RuntimeException e) {
            throw new IOException("`" + f + "` is damaged (" + e.getMessage() + ")");
        }
    }
}
