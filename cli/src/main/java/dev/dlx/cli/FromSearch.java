package dev.dlx.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.dlx.runtime.search.SearchState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** `dlxc run --from-search DIR`: how long to train the best configuration. */
final class FromSearch {
    private FromSearch() {}

    /** The file the search in {@code dir} searched, when it is not {@code file}. */
    static java.util.Optional<String> sameFile(Path dir, Path file) throws IOException {
        try {
            JsonObject state = JsonParser.parseString(Files.readString(dir.resolve(SearchState.FILE), StandardCharsets.UTF_8)).getAsJsonObject();
            String searched = state.has("file") ? state.get("file").getAsString() : null;
            return searched == null || Path.of(searched).equals(file.toAbsolutePath().normalize()) ? java.util.Optional.empty()
                : java.util.Optional.of(searched);
        } catch (RuntimeException damaged) {
            throw new IOException("`" + dir.resolve(SearchState.FILE) + "` is damaged (" + damaged.getMessage() + ")");
        }
    }

    /** The best epoch of the best trial's run when early stopping kept one, else the epochs it trained. */
    static int epochs(Path dir, SearchState.Best best) throws IOException {
        if (best.run() != null) {
            Path runJson = dir.resolve(best.run()).resolve("run.json");
            if (Files.isRegularFile(runJson)) {
                try {
                    JsonObject run = JsonParser.parseString(Files.readString(runJson, StandardCharsets.UTF_8)).getAsJsonObject();
                    if (run.has("restored_best") && run.get("restored_best").getAsBoolean() && run.has("best_epoch")) {
                        return Math.max(1, run.get("best_epoch").getAsInt());
                    }
                } catch (RuntimeException damaged) {
                    throw new IOException("`" + runJson + "` is damaged (" + damaged.getMessage() + ")");
                }
            }
        }
        return Math.max(1, best.epochs());
    }
}
