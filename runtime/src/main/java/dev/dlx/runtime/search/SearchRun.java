package dev.dlx.runtime.search;

import dev.dlx.compiler.schema.Value;
import dev.dlx.compiler.search.SearchSpec;
import dev.dlx.runtime.train.StopSignal;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a search: trials as separate processes, at most {@code parallel} at once, each training in
 * its own folder `trials/trial-NNN/`; successive halving by rungs (every trial of a rung finishes
 * before the best go on, continuing their own runs); the state saved after every change, so that
 * running it again over the same folder resumes: finished trials are kept, a trial that was
 * training when the search was interrupted continues its run (or starts again if it had none).
 * A process that fails or is killed makes its trial failed; the others go on.
 */
public final class SearchRun {
    public static final String TRIALS = "trials";

    /** What one trial's process is asked to do. */
    public record Request(int trial, Map<String, Value> point, int epochs, Path runs, Path resume, int threads) {}

    /** The command line of a trial's process (the search starts it, with its output to the trial's log). */
    public interface Launcher {
        List<String> command(Request r);
    }

    private final Path file;
    private final SearchSpec spec;
    private final Path dir;
    private final Launcher launcher;
    private final int parallel;
    private final int threads;
    private final PrintWriter out;
    private final StopSignal stop;
    private final List<Halving.Rung> rungs;
    private final Strategy strategy;
    private SearchState state;
    private int launched;

    /**
     * @param trials  how many configurations (the spec's unless overridden)
     * @param epochs  the budget in epochs of a trial that goes to the end
     * @param cores   the cores to share between the parallel trials
     */
    public SearchRun(Path file, SearchSpec spec, int trials, int epochs, Path dir, Launcher launcher, int parallel, int cores,
                     PrintWriter out, StopSignal stop) {
        SearchSpec s = new SearchSpec(spec.params(), spec.strategy(), spec.seed(), trials, spec.objective(), spec.objectiveSpan(),
            spec.maximize(), epochs, spec.halving(), parallel, spec.span());
        this.file = file;
        this.spec = s;
        this.dir = dir;
        this.launcher = launcher;
        this.parallel = Math.max(1, parallel);
        this.threads = Math.max(1, cores / this.parallel);
        this.out = out;
        this.stop = stop == null ? new StopSignal() : stop;
        this.rungs = Halving.plan(trials, epochs, spec.halving());
        this.strategy = Strategy.of(s);
    }

    public SearchState state() { return state; }

    /** How many processes this call started (a resumed search starts only what is left). */
    public int launched() { return launched; }

    /** Runs (or resumes) the search; true when it finished, false when it was asked to stop first. */
    public boolean run() throws IOException {
        Files.createDirectories(dir.resolve(TRIALS));
        state = SearchState.load(dir, file, spec, rungs);
        if (state == null) {
            state = new SearchState(file, spec, rungs);
        } else {
            long finished = state.trials.stream().filter(t -> t.status.finished() || t.status == Trial.Status.DONE).count();
            out.println("resuming the search in " + dir + ": " + finished + " of " + state.trials.size() + " trials begun are finished with their rung");
            for (Trial t : state.trials) if (t.status == Trial.Status.RUNNING) t.status = Trial.Status.PENDING;
        }
        state.save(dir);
        out.println(String.format(Locale.ROOT, "search: %s, %d trials, objective %s (%s), %d at once with %d thread%s each; rungs %s",
            spec.strategy().word(), spec.trials(), spec.objective(), spec.maximize() ? "max" : "min", parallel, threads, threads == 1 ? "" : "s",
            rungText()));
        out.flush();
        for (int k = 0; k < rungs.size(); k++) {
            if (!rung(k)) return false;
            if (k + 1 < rungs.size()) promote(k);
            else for (Trial t : state.trials) if (t.rung == k && t.status == Trial.Status.DONE) t.status = Trial.Status.COMPLETED;
            state.save(dir);
        }
        return true;
    }

    private String rungText() {
        List<String> parts = new ArrayList<>();
        for (Halving.Rung r : rungs) parts.add(r.trials() + " × " + r.epochs() + " epoch" + (r.epochs() == 1 ? "" : "s"));
        return String.join(", then ", parts);
    }

    /** Trains every trial of rung {@code k}; false when stopped first. */
    private boolean rung(int k) throws IOException {
        Map<Trial, Running> running = new LinkedHashMap<>();
        while (true) {
            while (!stop.requested() && running.size() < parallel) {
                Trial next = nextOf(k);
                if (next == null) break;
                running.put(next, start(next, k));
            }
            if (running.isEmpty()) return !stop.requested() || nothingLeft(k);
            Trial ended = waitForOne(running);
            Running r = running.remove(ended);
            finish(ended, k, r);
        }
    }

    private boolean nothingLeft(int k) {
        return state.trials.stream().noneMatch(t -> t.rung == k && (t.status == Trial.Status.PENDING || t.status == Trial.Status.RUNNING))
            && (k > 0 || state.trials.size() >= spec.trials());
    }

    /** A pending trial of rung k, or (rung 0) a new one from the strategy; null when there is none. */
    private Trial nextOf(int k) {
        for (Trial t : state.trials) if (t.rung == k && t.status == Trial.Status.PENDING) return t;
        if (k > 0 || state.trials.size() >= rungs.get(0).trials()) return null;
        int index = state.trials.size();
        Map<String, Value> point = new LinkedHashMap<>();
        strategy.suggest(index, observations()).forEach((name, v) -> point.put(name, spec.param(name).orElseThrow().rounded(v)));
        Trial t = new Trial(index + 1, point);
        state.trials.add(t);
        return t;
    }

    /** The trials that finished rung 0 (or failed in it), as the strategy sees them. */
    private List<Observation> observations() {
        List<Observation> obs = new ArrayList<>();
        for (Trial t : state.trials) {
            if (t.status == Trial.Status.FAILED && t.objectives.isEmpty()) obs.add(new Observation(t.point, Double.POSITIVE_INFINITY));
            else if (!t.objectives.isEmpty()) obs.add(new Observation(t.point, Observation.loss(t.objectives.get(0), spec.maximize())));
        }
        return obs;
    }

    private record Running(Process process, long started) {}

    private Running start(Trial t, int k) throws IOException {
        Path runs = dir.resolve(TRIALS).resolve(t.name());
        Files.createDirectories(runs);
        Path resume = t.run == null ? null : dir.resolve(t.run);
        if (resume == null) {
            Path found = TrialResult.findRun(runs);
            if (found != null) resume = found; // made by a process the search lost track of
        }
        if (resume != null && !Files.isRegularFile(resume.resolve(dev.dlx.runtime.run.RunFolder.LAST))) resume = null;
        Request req = new Request(t.id, t.point, rungs.get(k).epochs(), runs, resume, threads);
        ProcessBuilder pb = new ProcessBuilder(launcher.command(req));
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(runs.resolve("log.txt").toFile()));
        Process p = pb.start();
        launched++;
        t.status = Trial.Status.RUNNING;
        t.error = null;
        state.save(dir);
        out.println(String.format(Locale.ROOT, "  %s %s: %s, %d epoch%s%s", t.name(), resume == null ? "starts" : "continues",
            SearchSpec.text(t.point), req.epochs(), req.epochs() == 1 ? "" : "s", k > 0 ? " (rung " + (k + 1) + ")" : ""));
        out.flush();
        return new Running(p, System.nanoTime());
    }

    private Trial waitForOne(Map<Trial, Running> running) {
        while (true) {
            for (Map.Entry<Trial, Running> e : running.entrySet()) if (!e.getValue().process().isAlive()) return e.getKey();
            try {
                Thread.sleep(100);
            } catch (InterruptedException ie) {
                stop.request();
                for (Running r : running.values()) r.process().destroy();
            }
        }
    }

    private void finish(Trial t, int k, Running r) throws IOException {
        int code = r.process().exitValue();
        t.seconds += (System.nanoTime() - r.started()) / 1e9;
        Path runs = dir.resolve(TRIALS).resolve(t.name());
        Path folder = TrialResult.findRun(runs);
        if (folder != null) t.run = dir.relativize(folder).toString();
        String log = dir.relativize(runs.resolve("log.txt")).toString();
        if (code != 0 && stop.requested()) {
            t.status = Trial.Status.PENDING; // interrupted with the search: a resumed search continues it
            out.println("  " + t.name() + " interrupted");
        } else if (code != 0) {
            t.status = Trial.Status.FAILED;
            t.error = (code == 137 || code == 143 ? "killed (exit code " + code + ")" : "exit code " + code) + "; see " + log;
            out.println("  " + t.name() + " failed: " + t.error);
        } else if (folder == null) {
            t.status = Trial.Status.FAILED;
            t.error = "its process made no run folder; see " + log;
            out.println("  " + t.name() + " failed: " + t.error);
        } else {
            double value = TrialResult.objective(folder, spec.objective());
            t.epochs = TrialResult.epochs(folder);
            while (t.objectives.size() < k) t.objectives.add(Double.NaN);
            if (t.objectives.size() == k) t.objectives.add(value);
            else t.objectives.set(k, value);
            if (Double.isNaN(value)) {
                t.status = Trial.Status.FAILED;
                t.error = "its run reports no `" + spec.objective() + "`";
            } else {
                t.status = Trial.Status.DONE;
            }
            out.println(String.format(Locale.ROOT, "  %s: %s %s after %d epoch%s (%.1f s)", t.name(), spec.objective(),
                Double.isNaN(value) ? "missing" : SearchReport.number(value), t.epochs, t.epochs == 1 ? "" : "s", t.seconds));
        }
        out.flush();
        state.save(dir);
    }

    /** After rung k: its best go on to rung k + 1, the others stop. */
    private void promote(int k) {
        List<Trial> done = new ArrayList<>();
        for (Trial t : state.trials) if (t.rung == k && t.status == Trial.Status.DONE) done.add(t);
        done.sort(Comparator.comparingDouble((Trial t) -> Observation.loss(t.objectives.get(k), spec.maximize())).thenComparingInt(t -> t.id));
        int keep = Math.min(done.size(), rungs.get(k + 1).trials());
        for (int i = 0; i < done.size(); i++) {
            Trial t = done.get(i);
            if (i < keep) {
                t.rung = k + 1;
                t.status = Trial.Status.PENDING;
            } else {
                t.status = Trial.Status.STOPPED;
            }
        }
        if (!done.isEmpty()) {
            out.println("  rung " + (k + 1) + " done: " + keep + " of " + done.size() + " go on to " + rungs.get(k + 1).epochs() + " epochs");
            out.flush();
        }
    }
}
