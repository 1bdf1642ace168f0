package dev.dlx.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `dlxc`: the dlx compiler and runtime command. */
@Command(name = "dlxc", mixinStandardHelpOptions = true, version = "dlxc 0.1.0",
        description = "Checks, trains, evaluates and exports neural networks declared in .dlx files.",
        subcommands = {CheckCommand.class, RunCommand.class, EvaluateCommand.class, PredictCommand.class, DataCommand.class, GenerateCommand.class, EmbedCommand.class,
            BuildCommand.class, ExportCommand.class, GradcheckCommand.class,
            ExplainCommand.class, FmtCommand.class, LspCommand.class, ShowCommand.class, RunsCommand.class, SearchCommand.class,
            StylizeCommand.class,
            CommandLine.HelpCommand.class})
public final class Main {
    /** Exit codes: 0 clean (warnings allowed), 1 errors in the input, 2 wrong usage. */
    public static final int OK = 0;
    public static final int ERRORS = 1;
    public static final int USAGE = 2;

    /**
     * TensorFlow reads its log level from the environment before any Java code can change it, so
     * the `dlxc` launcher acts on this option (TF_CPP_MIN_LOG_LEVEL 0 with it, 2 without); here it
     * is only accepted, before or after the command.
     */
    @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
        description = "show TensorFlow's own log lines (start-up, kernels, optimization passes)")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return run(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
    }

    /** Runs with the given streams (tests capture them). */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExitCodeExceptionMapper(e -> USAGE);
        cli.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("dlxc: " + e.getMessage());
            e.getCommandLine().usage(e.getCommandLine().getErr());
            return USAGE;
        });
        return cli.execute(args);
    }

    /** Prints why `dlxc COMMAND` will not write where it was asked to ({@code problem}: a reason, then an optional `help: ...` line). */
    static void refuse(String command, String problem, java.io.PrintWriter err) {
        String[] parts = problem.split("\nhelp: ", 2);
        err.println("dlxc " + command + ": " + parts[0]);
        if (parts.length > 1) err.println("  = help: " + parts[1]);
        err.flush();
    }
}
