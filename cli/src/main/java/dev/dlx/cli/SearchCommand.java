package dev.dlx.cli;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.Compiler;
import dev.dlx.compiler.schema.Value;
import dev.dlx.compiler.search.Hyperparam;
import dev.dlx.compiler.search.SearchSpec;
import dev.dlx.compiler.train.TrainIR;
import dev.dlx.runtime.run.Programs;
import dev.dlx.runtime.search.SearchReport;
import dev.dlx.runtime.search.SearchRun;
import dev.dlx.runtime.train.StopSignal;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `dlxc search FILE`: runs the file's `search` block, trials in parallel processes; see {@link SearchRun}. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Runs the hyperparameter search of a .dlx file's `search` block: every trial is a `dlxc run` of the file with "
            + "the trial's values (`--param`), in its own process with its share of the cores, in DIR/trials/trial-NNN/.",
            "The checker first checks every point of a grid (or each range's ends and every choice) and nothing trains if one "
            + "has an error. A trial that fails or is killed is recorded as failed and the others go on. With `budget epochs N "
            + "halving H` each rung keeps the best 1/H of its trials (successive halving), which continue their own runs.",
            "Running the same command again over the same DIR resumes an interrupted search: finished trials are not run again.",
            "Results: DIR/results.txt (the trials sorted by the objective, the best marked *), DIR/objective.png (the objective "
            + "against each parameter), DIR/best (a link to the best trial's run folder) and DIR/search.json (the state). "
            + "`dlxc run FILE --from-search DIR` retrains the best configuration on train and val.",
            "Exit code 0 when the search finished with at least one trial, 1 for errors in the program or when every trial failed, "
            + "2 on wrong usage, 130 when interrupted."})
final class SearchCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "the .dlx file with a `search` block")
    Path file;

    @Option(names = "--parallel", paramLabel = "N", description = "trials at once (default: the block's `parallel`, else 1)")
    Integer parallel;

    @Option(names = "--trials", paramLabel = "N", description = "how many configurations (default: the block's `trials`)")
    Integer trials;

    @Option(names = "--epochs", paramLabel = "N", description = "the budget in epochs of a trial (default: the block's `budget epochs`, "
        + "else the training's `epochs`)")
    Integer epochs;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "the search folder (default: runs/search-<file name>)")
    Path out;

    @Option(names = "--cores", paramLabel = "N", description = "cores shared between the parallel trials (default: all of this machine's)")
    Integer cores;

    @Spec CommandSpec spec;

    @Override public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isRegularFile(file)) {
            err.println("dlxc search: cannot read `" + file + "`: no such file");
            return Main.USAGE;
        }
        Compilation c = Programs.compile(file, err);
        if (c == null) return Main.ERRORS;
        SearchSpec s = Compiler.search(c).orElse(null);
        if (s == null) {
            err.println("dlxc search: `" + file + "` has no `search` block; add `search { param lr loguniform 1e-4..1e-2 ... }` "
                + "and write `lr` where the value goes");
            return Main.ERRORS;
        }
        if (c.trainings().size() != 1) {
            err.println("dlxc search: `" + file + "` has " + c.trainings().size() + " `train` blocks; a search trains one");
            return Main.ERRORS;
        }
        for (String[] bad : List.of(new String[] {"--parallel", String.valueOf(parallel)}, new String[] {"--trials", String.valueOf(trials)},
                new String[] {"--epochs", String.valueOf(epochs)}, new String[] {"--cores", String.valueOf(cores)})) {
            if (!bad[1].equals("null") && Integer.parseInt(bad[1]) < 1) {
                err.println("dlxc search: " + bad[0] + " takes a whole number of at least 1, not " + bad[1]);
                return Main.USAGE;
            }
        }
        TrainIR t = c.trainings().get(0);
        int n = trials != null ? trials : s.trials();
        if (s.strategy() == SearchSpec.Strategy.GRID) n = (int) Math.min(n, s.gridSize());
        int budget = epochs != null ? epochs : s.epochs() > 0 ? s.epochs() : t.epochs();
        int p = parallel != null ? parallel : s.parallel();
        int shared = cores != null ? cores : Runtime.getRuntime().availableProcessors();
        Path dir = out != null ? out : Path.of("runs").resolve("search-" + stem(file));
        Long seed = t.seed().isPresent() ? null : s.seed();
        SearchRun.Launcher launcher = r -> command(file, r, seed);
        StopSignal stop = new StopSignal();
        try (Interrupts.Installed ctrlC = Interrupts.onCtrlC(stop, System.err)) {
            SearchRun run = new SearchRun(file, s, n, budget, dir, launcher, p, shared, stdout, stop);
            boolean finished = run.run();
            SearchReport.write(run.state(), dir);
            stdout.println();
            stdout.print(SearchReport.table(run.state()));
            stdout.println("results in " + dir + " (" + SearchReport.TABLE + ", " + SearchReport.PLOT + ", " + SearchReport.BEST + ")");
            if (!finished) {
                stdout.println("interrupted: run the same command again to resume the search");
                stdout.flush();
                return 130;
            }
            if (run.state().best() == null) {
                err.println("dlxc search: every trial failed; see the logs in " + dir.resolve(SearchRun.TRIALS));
                return Main.ERRORS;
            }
            stdout.println("retrain the best configuration on train and val: dlxc run " + file + " --from-search " + dir);
            stdout.flush();
            return Main.OK;
        } catch (IOException e) {
            err.println("dlxc search: " + e.getMessage());
            return Main.ERRORS;
        } finally {
            stdout.flush();
            err.flush();
        }
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".dlx") ? name.substring(0, name.length() - 4) : name;
    }

    /**
     * A trial's process: this same program (`java -cp ... dev.dlx.cli.Main run ...`) with the trial's values, epochs and
     * threads; it inherits the environment (TensorFlow's settings from `dlxc`).
     */
    static List<String> command(Path file, SearchRun.Request r, Long seed) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Djava.awt.headless=true");
        // the JVM options this command was started with (`dlxc` gives training's: cli/jvm/train.options)
        for (String option : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (option.startsWith("-XX:") || option.startsWith("-Xmx") || option.startsWith("-Xss")) cmd.add(option);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.add("run");
        if (r.resume() != null) {
            cmd.add("--resume");
            cmd.add(r.resume().toString());
        } else {
            cmd.add(file.toString());
            for (Map.Entry<String, Value> e : r.point().entrySet()) {
                cmd.add("--param");
                cmd.add(e.getKey() + "=" + Hyperparam.text(e.getValue()));
            }
            cmd.add("--runs");
            cmd.add(r.runs().toString());
            if (seed != null) {
                cmd.add("--seed");
                cmd.add(String.valueOf(seed));
            }
        }
        cmd.add("--epochs");
        cmd.add(String.valueOf(r.epochs()));
        cmd.add("--threads");
        cmd.add(String.valueOf(r.threads()));
        cmd.add("--progress");
        cmd.add("plain");
        return cmd;
    }
}
