package dev.dlx.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `dlxc`: the dlx compiler and runtime command. */
@Command(name = "dlxc", mixinStandardHelpOptions = true, version = "dlxc 0.1.0",
        description = "Checks, trains, evaluates and exports neural networks declared in .dlx files.")
public final class Main {
    /** The commands, in the order `dlxc --help` lists them ({@link #command} builds each). */
    static final java.util.List<String> COMMANDS = java.util.List.of("check", "run", "evaluate", "predict", "data", "generate",
        "embed", "build", "export", "gradcheck", "explain", "fmt", "lsp", "show", "runs", "search", "stylize");

    /**
     * The command named {@code name}, or null. Only the command a launch asks for is built and
     * described to picocli, so that `dlxc check` loads nothing of training or TensorFlow (picocli
     * reads every field and method of each command it is given).
     */
    static Object command(String name) {
        return switch (name) {
            case "check" -> new CheckCommand();
            case "run" -> new RunCommand();
            case "evaluate" -> new EvaluateCommand();
            case "predict" -> new PredictCommand();
            case "data" -> new DataCommand();
            case "generate" -> new GenerateCommand();
            case "embed" -> new EmbedCommand();
            case "build" -> new BuildCommand();
            case "export" -> new ExportCommand();
            case "gradcheck" -> new GradcheckCommand();
            case "explain" -> new ExplainCommand();
            case "fmt" -> new FmtCommand();
            case "lsp" -> new LspCommand();
            case "show" -> new ShowCommand();
            case "runs" -> new RunsCommand();
            case "search" -> new SearchCommand();
            case "stylize" -> new StylizeCommand();
            default -> null;
        };
    }

    /** The command the arguments name (after the options of `dlxc` itself), or null when they name none. */
    static String commandOf(String... args) {
        for (String a : args) {
            if (a.equals("--verbose")) continue;
            return COMMANDS.contains(a) ? a : null;
        }
        return null;
    }

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
        String asked = commandOf(args);
        for (String name : asked != null ? java.util.List.of(asked) : COMMANDS) cli.addSubcommand(name, command(name));
        if (asked == null) cli.addSubcommand("help", new CommandLine.HelpCommand());
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
