package dev.dlx.runtime.run;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.Compiler;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.schema.Value;
import dev.dlx.compiler.search.Hyperparam;
import dev.dlx.compiler.search.SearchPoints;
import dev.dlx.compiler.search.SearchSpec;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values a run gave its file's search parameters: written to run.json as `params` (every
 * parameter, the defaults too), and read back so that resuming, evaluating or exporting the run
 * compiles the program as it trained.
 */
public final class RunParams {
    public static final String KEY = "params";

    private RunParams() {}

    /** Every search parameter of {@code c}'s file with the value {@code given} (text by name) or its default; empty without a search. */
    public static Map<String, String> point(Compilation c, Map<String, String> given) {
        Map<String, String> out = new LinkedHashMap<>();
        SearchSpec spec = Compiler.search(c).orElse(null);
        if (spec == null) return out;
        for (Map.Entry<String, Value> e : SearchPoints.given(spec, given, new Diagnostics()).entrySet()) {
            out.put(e.getKey(), Hyperparam.text(e.getValue()));
        }
        return out;
    }

    public static JsonObject json(Map<String, String> params) {
        JsonObject o = new JsonObject();
        params.forEach(o::addProperty);
        return o;
    }

    /** The run's `params`; empty when it has none (no search in its file, or a run from before them). */
    public static Map<String, String> read(RunFolder folder) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        if (!folder.has(RunFolder.RUN_JSON)) return out;
        JsonObject run = folder.readJson(RunFolder.RUN_JSON);
        if (!run.has(KEY) || !run.get(KEY).isJsonObject()) return out;
        for (Map.Entry<String, JsonElement> e : run.getAsJsonObject(KEY).entrySet()) out.put(e.getKey(), e.getValue().getAsString());
        return out;
    }
}
