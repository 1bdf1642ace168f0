package dev.dlx.runtime.run;

import java.nio.file.Path;
import java.util.Map;

/**
 * How `dlxc run` runs a file.
 *
 * @param epochs       overrides the training block's `epochs` (null: as written)
 * @param seed         overrides the training block's `seed` (null: as written, else a random one, recorded)
 * @param runs         the folder that receives run folders
 * @param overfitBatch train on one mini-batch only and report whether the loss goes near zero
 * @param model        with several `train` blocks, only the one training this model (null: all)
 * @param progress     progress bars or plain lines
 * @param threads      TensorFlow threads inside one op (0: all cores)
 * @param memoryLimit  bytes a training may need by its {@code MemoryEstimate}: one that needs more is
 *                     refused before its data are read (0: no limit)
 * @param params       values of the file's search parameters by name, as text (`--param lr=0.001`); the others keep their defaults
 * @param trainOnVal   train on the train and val splits together (`--from-search`); val is still reported, but is no estimate then
 * @param logEvery     write the training loss every N steps to the run folder's steps.csv (`--log-every N`; 0: no steps.csv)
 */
public record RunOptions(Integer epochs, Long seed, Path runs, boolean overfitBatch, String model, ConsoleListener.Mode progress,
                         int threads, long memoryLimit, Map<String, String> params, boolean trainOnVal, int logEvery) {
    public RunOptions {
        params = params == null ? Map.of() : Map.copyOf(params);
    }

    public RunOptions(Integer epochs, Long seed, Path runs, boolean overfitBatch, String model, ConsoleListener.Mode progress,
                      int threads, long memoryLimit) {
        this(epochs, seed, runs, overfitBatch, model, progress, threads, memoryLimit, Map.of(), false, 0);
    }

    public RunOptions(Integer epochs, Long seed, Path runs, boolean overfitBatch, String model, ConsoleListener.Mode progress, int threads) {
        this(epochs, seed, runs, overfitBatch, model, progress, threads, 0);
    }

    public static RunOptions defaults() {
        return new RunOptions(null, null, Path.of("runs"), false, null, ConsoleListener.Mode.AUTO, 0);
    }

    public RunOptions withEpochs(Integer e) { return new RunOptions(e, seed, runs, overfitBatch, model, progress, threads, memoryLimit, params, trainOnVal, logEvery); }
    public RunOptions withSeed(Long s) { return new RunOptions(epochs, s, runs, overfitBatch, model, progress, threads, memoryLimit, params, trainOnVal, logEvery); }
    public RunOptions withRuns(Path r) { return new RunOptions(epochs, seed, r, overfitBatch, model, progress, threads, memoryLimit, params, trainOnVal, logEvery); }
    public RunOptions withOverfit(boolean o) { return new RunOptions(epochs, seed, runs, o, model, progress, threads, memoryLimit, params, trainOnVal, logEvery); }
    public RunOptions withMemoryLimit(long bytes) { return new RunOptions(epochs, seed, runs, overfitBatch, model, progress, threads, bytes, params, trainOnVal, logEvery); }
    public RunOptions withProgress(ConsoleListener.Mode p) { return new RunOptions(epochs, seed, runs, overfitBatch, model, p, threads, memoryLimit, params, trainOnVal, logEvery); }
    public RunOptions withParams(Map<String, String> p, boolean onVal) {
        return new RunOptions(epochs, seed, runs, overfitBatch, model, progress, threads, memoryLimit, p, onVal, logEvery);
    }
    public RunOptions withLogEvery(int steps) {
        return new RunOptions(epochs, seed, runs, overfitBatch, model, progress, threads, memoryLimit, params, trainOnVal, steps);
    }
}
