package dev.dlx.cli;

import dev.dlx.runtime.run.RunsTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `dlxc runs [DIR]` and `dlxc runs compare RUN RUN...`. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = {"Lists run folders side by side, or compares some.",
            "runs [DIR]: one line per run folder in DIR (default: runs): its model and status, the settings that differ "
            + "between the runs (seed, epochs, batch, optimizer, learning rate), and its validation and test scores.",
            "runs compare RUN RUN...: every setting and score of the runs, the settings that differ, and with -o their "
            + "validation loss (else loss) by epoch in one picture."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:done", "1:a folder cannot be read", "2:wrong usage"})
final class RunsCommand implements Callable<Integer> {

    @Parameters(paramLabel = "ARG", arity = "0..*", description = "DIR, or `compare` and run folders")
    List<String> args = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "compare: where to draw the overlaid curves (a .png)")
    Path output;

    @Spec CommandSpec spec;

    @Override public Integer call() {
        var err = spec.commandLine().getErr();
        RunsTable t = new RunsTable(spec.commandLine().getOut(), err);
        if (!args.isEmpty() && args.get(0).equals("compare")) {
            if (args.size() < 2) {
                err.println("dlxc runs compare: give the run folders to compare, e.g. `dlxc runs compare runs/Net-A runs/Net-B`");
                return Main.USAGE;
            }
            return t.compare(args.subList(1, args.size()).stream().map(Path::of).toList(), output);
        }
        if (args.size() > 1) {
            err.println("dlxc runs: takes one folder (or `compare RUN RUN...`), found " + args.size() + " arguments");
            return Main.USAGE;
        }
        return t.list(Path.of(args.isEmpty() ? "runs" : args.get(0)));
    }
}
