package dev.dlx.runtime.run;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What run.json must say for a run to be opened again (evaluate, predict, build, export, resume):
 * the file it trained, its copy in the run folder, the model, which `train` block, the seed and the
 * epochs. Read once, checked once: a damaged run.json is an error naming the file and the entry.
 */
public record RunRecord(Path file, String source, String model, int training, long seed, int epochs) {

    public static RunRecord read(RunFolder folder) throws IOException {
        return folder.parse(RunFolder.RUN_JSON, RunRecord::of);
    }

    private static RunRecord of(JsonObject run) {
        Path file = Path.of(text(run, "file"));
        String source = run.has("source") ? text(run, "source") : RunSource.DIR + "/" + file.getFileName();
        return new RunRecord(file, source, text(run, "model"), run.has("training") ? run.get("training").getAsInt() : 0,
            run.get("seed").getAsLong(), run.has("epochs") ? run.get("epochs").getAsInt() : 0);
    }

    private static String text(JsonObject run, String key) {
        if (!run.has(key) || !run.get(key).isJsonPrimitive()) throw new IllegalStateException("no `" + key + "` entry");
        return run.get(key).getAsString();
    }
}
