package dev.dlx.runtime.run;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.dlx.support.TextFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What run.json must say for a run to be opened again (evaluate, predict, build, export, resume):
 * the file it trained, its copy in the run folder, the model, which `train` block, the seed and the
 * epochs. Read once, checked once: a damaged run.json is an error naming the file and the entry.
 */
public record RunRecord(Path file, String source, String model, int training, long seed, int epochs) {

    /** run.json's entry for `--log-every K`: K, or 0 for a run started without it. */
    public static final String LOG_EVERY = "log_every";

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

    /**
     * The `--log-every` the run in {@code dir} was started with (0: without it), read from its run.json
     * without opening the folder (nothing in it changes); empty for a run from before run.json
     * recorded it, or when run.json cannot be read as one (opening the run says what is wrong).
     */
    public static OptionalInt logEvery(Path dir) {
        try {
            JsonElement e = JsonParser.parseString(TextFiles.read(dir.resolve(RunFolder.RUN_JSON), RunFolder.MAX_TEXT_BYTES));
            if (!e.isJsonObject()) return OptionalInt.empty();
            JsonElement k = e.getAsJsonObject().get(LOG_EVERY);
            if (k == null || !k.isJsonPrimitive() || !k.getAsJsonPrimitive().isNumber()) return OptionalInt.empty();
            int every = k.getAsInt();
            return every >= 0 ? OptionalInt.of(every) : OptionalInt.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }

    /**
     * Why `--log-every {@code given}` (0: not given) does not go with resuming a run started with
     * {@code saved} (see {@link #logEvery}): a run keeps the value it was started with, so only that
     * value, or none, may be given again. Empty when it goes (a run from before run.json recorded it
     * takes any).
     */
    public static Optional<String> logEveryConflict(OptionalInt saved, int given) {
        if (given <= 0 || saved.isEmpty() || saved.getAsInt() == given) return Optional.empty();
        return Optional.of("--log-every " + given + " does not go with --resume of a run started "
            + (saved.getAsInt() == 0 ? "without --log-every" : "with --log-every " + saved.getAsInt())
            + " (a run keeps the settings it was started with)");
    }

    /** The `--log-every` a resumed run goes on with: the saved value; {@code given} for a run from before run.json recorded it. */
    public static int resumedLogEvery(OptionalInt saved, int given) {
        return saved.isPresent() ? saved.getAsInt() : Math.max(0, given);
    }
}
