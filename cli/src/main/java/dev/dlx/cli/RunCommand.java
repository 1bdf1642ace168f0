package dev.dlx.cli;

import dev.dlx.compiler.train.MachineMemory;
import dev.dlx.runtime.cluster.Cluster;
import dev.dlx.runtime.cluster.Collectives;
import dev.dlx.runtime.device.Device;
import dev.dlx.runtime.run.ConsoleListener;
import dev.dlx.runtime.run.RunOptions;
import dev.dlx.runtime.run.RunRecord;
import dev.dlx.runtime.run.Runner;
import dev.dlx.runtime.train.StopSignal;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `dlxc run FILE`: trains, validates, tests and saves; see {@link Runner}. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Trains the models of a .dlx file: reads and checks the data, trains with validation after every epoch, "
            + "evaluates the test split and the file's `evaluate` statements, and saves a run folder "
            + "(runs/<Model>-<yyyyMMdd-HHmmss>/: metrics.csv, learning_curves.png, best and last checkpoints, normalization "
            + "statistics, class names, the source).",
            "A training whose memory estimate (the one `dlxc check` prints) exceeds this machine's memory is refused before "
            + "its data are read, unless --ignore-memory is given.",
            "Ctrl-C stops after the current batch and saves `last`; `--resume RUN` continues from it.",
            "Exit code 0 when training finished, 1 for errors in the program or the data (or a diverging loss, or a failed "
            + "overfit check), 2 on wrong usage, 130 when interrupted."})
final class RunCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "the .dlx file (optional with --resume)")
    Path file;

    @Option(names = "--epochs", paramLabel = "N", description = "train for N epochs instead of the file's `epochs` "
        + "(with --overfit-batch: at most N steps)")
    Integer epochs;

    @Option(names = "--seed", paramLabel = "S", description = "seed of every random draw (weights, splits, shuffling, augmentation, "
        + "dropout): the same seed gives the same losses on the CPU")
    Long seed;

    @Option(names = "--runs", paramLabel = "DIR", defaultValue = "runs", description = "where run folders go (default: ${DEFAULT-VALUE})")
    Path runs;

    @Option(names = "--overfit-batch", description = "train on one mini-batch only and say whether the loss goes near zero "
        + "(a sanity check of model, loss and labels)")
    boolean overfitBatch;

    @Option(names = "--resume", paramLabel = "RUN", description = "continue the run in folder RUN from its `last` checkpoint")
    Path resume;

    @Option(names = "--model", paramLabel = "NAME", description = "with several `train` blocks, train only this model")
    String model;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
        description = "auto (a bar on terminals, one line per epoch otherwise), bar, plain or quiet")
    String progress;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "TensorFlow threads inside each op (default: by the model's size: 1 for small models, on the calling thread; all cores otherwise)")
    int threads;

    @Mixin DeviceOption device;

    @Option(names = "--memory-limit", paramLabel = "SIZE", converter = MemorySize.class,
        description = "refuse a training whose memory estimate exceeds SIZE (16GiB, 512MiB; default: this machine's physical memory; "
            + "give a GPU's memory when training on one)")
    Long memoryLimit;

    @Option(names = "--ignore-memory", description = "train even when the memory estimate exceeds the limit")
    boolean ignoreMemory;

    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "a value for a parameter of the file's `search` block "
        + "(the others keep their defaults: the `default`, the first choice, a range's (geometric) middle)")
    java.util.Map<String, String> params = new java.util.LinkedHashMap<>();

    @Option(names = "--from-search", paramLabel = "DIR", description = "train the best trial's configuration of the search in DIR, "
        + "on the train and val splits together, for the epochs that trial trained (or --epochs)")
    Path fromSearch;
    @Option(names = "--log-every", paramLabel = "K", description = "also write the training loss every K steps to the run folder's "
        + "steps.csv (epoch, batch, step, batches, loss: the mean over those K steps; in a cluster over every worker's batches, "
        + "written by the chief). Kept in run.json: --resume goes on with the run's own K (give none, or the same)")
    Integer logEvery;

    @Option(names = "--workers", paramLabel = "N", description = "train on N local worker processes (loopback ports), synchronously "
        + "data-parallel: each takes every N-th batch, gradients are averaged over the workers every step; the chief's output is shown")
    Integer workers;

    @Option(names = "--cluster", paramLabel = "FILE", description = "be one worker of a data-parallel training: FILE holds "
        + "{\"worker\": [\"host:port\", ...]} (or TF_CONFIG's JSON); give --task too. Without it, the TF_CONFIG variable is read when set")
    Path cluster;

    @Option(names = "--task", paramLabel = "N", description = "with --cluster: this worker's index (0, the chief, writes the run folder)")
    Integer task;

    @Option(names = "--collective-timeout", paramLabel = "SECONDS", defaultValue = "" + Cluster.DEFAULT_TIMEOUT_SECONDS,
        description = "in a cluster, how long a step waits for the other workers before the run fails (default: ${DEFAULT-VALUE})")
    int collectiveTimeout;

    /** A worker started by `--workers`: a line on its standard input, or its end (the launcher gone), asks it to stop. */
    static final String STOP_ON_STDIN = "--stop-on-stdin";
    /** What the launcher writes to each worker's standard input to ask it to stop. */
    static final byte[] STOP_LINE = "stop\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @Option(names = STOP_ON_STDIN, hidden = true, description = "a line on standard input, or its end, asks to stop after the batch")
    boolean stopOnStdin;

    @Option(names = "--worker-runs", paramLabel = "DIR", hidden = true,
        description = "where a worker other than the chief keeps its run folder (default: a temporary folder, removed at exit)")
    Path workerRuns;

    @Spec CommandSpec spec;

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (file == null && resume == null) {
            err.println("dlxc run: give a .dlx file, or --resume RUN");
            spec.commandLine().usage(err);
            return Main.USAGE;
        }
        if (resume != null && overfitBatch) {
            err.println("dlxc run: --overfit-batch cannot resume a run");
            return Main.USAGE;
        }
        ConsoleListener.Mode mode;
        switch (progress) {
            case "auto": mode = ConsoleListener.Mode.AUTO; break;
            case "bar": mode = ConsoleListener.Mode.BAR; break;
            case "plain": mode = ConsoleListener.Mode.PLAIN; break;
            case "quiet": mode = ConsoleListener.Mode.QUIET; break;
            default:
                err.println("dlxc run: --progress takes auto, bar, plain or quiet, not `" + progress + "`");
                return Main.USAGE;
        }
        long limit = ignoreMemory ? 0 : memoryLimit != null ? memoryLimit : MachineMemory.physical().orElse(0);
        if (logEvery != null && logEvery < 1) {
            err.println("dlxc run: --log-every takes a number of steps, 1 or more, not " + logEvery);
            return Main.USAGE;
        }
        if (resume != null) {
            // a run keeps the --log-every it was started with: resolved here, so that the launched workers,
            // and the program every worker of a cluster agrees on, have it whether or not it is given again
            java.util.OptionalInt saved = RunRecord.logEvery(resume);
            java.util.Optional<String> conflict = RunRecord.logEveryConflict(saved, logEvery == null ? 0 : logEvery);
            if (conflict.isPresent()) {
                err.println("dlxc run: " + conflict.get());
                return Main.USAGE;
            }
            int kept = RunRecord.resumedLogEvery(saved, logEvery == null ? 0 : logEvery);
            logEvery = kept > 0 ? kept : null;
        }
        RunOptions options = new RunOptions(epochs, seed, runs, overfitBatch, model, mode, threads, limit)
            .withLogEvery(logEvery == null ? 0 : logEvery);
        if (fromSearch != null) {
            if (file == null || resume != null || !params.isEmpty()) {
                err.println("dlxc run: --from-search needs the .dlx file and takes no --resume or --param");
                return Main.USAGE;
            }
            try {
                dev.dlx.runtime.search.SearchState.Best best = dev.dlx.runtime.search.SearchState.readBest(fromSearch);
                int trained = FromSearch.epochs(fromSearch, best);
                FromSearch.sameFile(fromSearch, file).ifPresent(other -> err.println("note: the search in " + fromSearch + " searched `"
                    + other + "`, not `" + file.toAbsolutePath().normalize() + "`"));
                StringBuilder values = new StringBuilder();
                best.values().forEach((k, v) -> values.append(values.length() == 0 ? "" : ", ").append(k).append(" = ").append(v));
                out.println("the best trial of " + fromSearch + ": trial " + best.trial() + " (" + values + "); training it on train and val for "
                    + (epochs != null ? epochs : trained) + " epochs");
                out.flush();
                options = options.withParams(best.values(), true).withEpochs(epochs != null ? epochs : trained);
            } catch (java.io.IOException e) {
                err.println("dlxc run: " + e.getMessage());
                return Main.ERRORS;
            }
        } else if (!params.isEmpty()) {
            if (resume != null) {
                err.println("dlxc run: --param does not go with --resume (a run keeps the values it was started with)");
                return Main.USAGE;
            }
            options = options.withParams(params, false);
        }
        try {
            device.parsed();
        } catch (Device.DeviceException e) {
            err.println("dlxc run: " + e.getMessage());
            return Main.USAGE;
        }
        if (workers != null) {
            if (cluster != null || task != null) {
                err.println("dlxc run: --workers starts local workers itself; give either --workers N or --cluster FILE --task N");
                return Main.USAGE;
            }
            return new LocalWorkers(out, err).launch(workers, collectiveTimeout, workerArguments(), workerRuns);
        }
        RunOptions chosen = options;
        return device.run("run", out, err, () -> joinedAndRun(out, err, chosen));
    }

    /** Joins the cluster this process is a worker of, if any, and trains. */
    private int joinedAndRun(PrintWriter out, PrintWriter err, RunOptions options) {
        Cluster joined;
        try {
            joined = clusterOf();
        } catch (Cluster.ClusterException e) {
            err.println("dlxc run: " + e.getMessage());
            return Main.USAGE;
        }
        if (joined != null) {
            if (overfitBatch) {
                err.println("dlxc run: --overfit-batch trains alone; drop --cluster/--workers");
                return Main.USAGE;
            }
            try {
                Cluster.join(joined);
            } catch (Cluster.ClusterException e) {
                err.println("dlxc run: " + e.getMessage());
                return Main.ERRORS;
            }
            if (joined.size() > 1) {
                String missing = "error: worker " + joined.task() + " of " + joined.size() + " cannot meet the other workers within "
                    + joined.timeoutSeconds() + " s (a worker died, never started, or cannot be reached)";
                // TensorFlow waits for a group's leader without a limit: the first meeting runs on a thread watched here
                java.util.concurrent.FutureTask<Boolean> meet = new java.util.concurrent.FutureTask<>(
                    () -> Collectives.agree(joined, programHash()));
                Thread t = new Thread(meet, "dlx-cluster-meeting");
                t.setDaemon(true);
                t.start();
                try {
                    if (!meet.get(joined.timeoutSeconds(), TimeUnit.SECONDS)) {
                        err.println("error: worker " + joined.task() + ": the workers run different programs (the file, or --epochs, --seed, "
                            + "--model, --log-every, differ from another worker's); start every worker with the same file and options");
                        return Main.ERRORS;
                    }
                } catch (java.util.concurrent.TimeoutException e) {
                    err.println(missing);
                    return Main.ERRORS;
                } catch (java.util.concurrent.ExecutionException e) {
                    err.println(missing + ": " + String.valueOf(e.getCause().getMessage()).lines().findFirst().orElse(""));
                    return Main.ERRORS;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Main.ERRORS;
                }
            }
            if (!joined.chief()) {
                try {
                    Path own = workerRuns != null ? workerRuns : WorkerFolder.temporary(joined.task());
                    options = options.withRuns(own);
                    // the chief resumes in the run folder; the others from a copy of it in their own folder
                    if (resume != null) resume = WorkerFolder.copy(resume, Files.createDirectories(own));
                } catch (IOException e) {
                    err.println("dlxc run: cannot make worker " + joined.task() + "'s temporary folder: " + e.getMessage());
                    return Main.ERRORS;
                }
            }
        }
        StopSignal stop = new StopSignal();
        CountDownLatch done = new CountDownLatch(1);
        // Ctrl-C: a signal handler asks to stop after the current batch (see Interrupts); the hook
        // covers the other ways a JVM is asked to end (SIGTERM): stop, save `last`, then exit
        Thread hook = new Thread(() -> {
            if (done.getCount() == 0) return;
            System.err.println("\ndlxc: stopping after the current batch and saving `last`...");
            stop.request();
            try {
                done.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "dlxc-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        if (stopOnStdin) stopOnInput(stop);
        try (Interrupts.Installed ctrlC = Interrupts.onCtrlC(stop, System.err)) {
            Runner runner = new Runner(out, err, System.err, stop);
            return resume != null ? runner.resume(resume, options) : runner.run(file, options);
        } finally {
            out.flush();
            err.flush();
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it returns now that `done` is counted down
            }
        }
    }

    /** Asks {@code stop} when a line arrives on standard input or it ends (the launcher passing on a Ctrl-C, or gone). */
    private static void stopOnInput(StopSignal stop) {
        Thread t = new Thread(() -> {
            try {
                System.in.read();
            } catch (IOException ended) {
                // as its end
            }
            if (!stop.requested()) System.err.println("\ndlxc: the launcher asks to stop: stopping after the current batch and saving `last`...");
            stop.request();
        }, "dlxc-launcher-stop");
        t.setDaemon(true);
        t.start();
    }

    /** The cluster this process is a worker of: --cluster/--task, else TF_CONFIG, else none. */
    private Cluster clusterOf() throws Cluster.ClusterException {
        if (cluster != null) {
            if (task == null) throw new Cluster.ClusterException("--cluster needs --task N (this worker's index)");
            return Cluster.fromFile(cluster, task, collectiveTimeout);
        }
        if (task != null) throw new Cluster.ClusterException("--task needs --cluster FILE");
        String tf = System.getenv("TF_CONFIG");
        return tf == null || tf.isBlank() ? null : Cluster.fromTfConfig(tf, collectiveTimeout);
    }

    /** What every worker must agree on: the program's text and the options that change what is trained. */
    private long programHash() throws IOException {
        java.security.MessageDigest md;
        try {
            md = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (file != null) md.update(java.nio.file.Files.readAllBytes(file));
        md.update(String.valueOf(List.of(String.valueOf(epochs), String.valueOf(seed), String.valueOf(model), String.valueOf(resume),
                String.valueOf(params), String.valueOf(fromSearch), String.valueOf(logEvery)))
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return java.nio.ByteBuffer.wrap(md.digest()).getLong();
    }

    /** This command's arguments for one worker process (without --workers; the launcher adds --cluster and --task). */
    private List<String> workerArguments() {
        List<String> a = new ArrayList<>();
        a.add("run");
        if (file != null) a.add(file.toString());
        if (epochs != null) a.addAll(List.of("--epochs", epochs.toString()));
        if (seed != null) a.addAll(List.of("--seed", seed.toString()));
        a.addAll(List.of("--runs", runs.toString()));
        if (resume != null) a.addAll(List.of("--resume", resume.toString()));
        if (model != null) a.addAll(List.of("--model", model));
        a.addAll(List.of("--progress", progress.equals("auto") ? "plain" : progress, "--threads", String.valueOf(threads)));
        if (device.device != null) a.addAll(List.of("--device", device.device));
        if (memoryLimit != null) a.addAll(List.of("--memory-limit", memoryLimit.toString()));
        if (ignoreMemory) a.add("--ignore-memory");
        if (overfitBatch) a.add("--overfit-batch");
        params.forEach((k, v) -> a.addAll(List.of("--param", k + "=" + v)));
        if (fromSearch != null) a.addAll(List.of("--from-search", fromSearch.toString()));
        if (logEvery != null) a.addAll(List.of("--log-every", logEvery.toString()));
        a.addAll(List.of("--collective-timeout", String.valueOf(collectiveTimeout)));
        return a;
    }
}
