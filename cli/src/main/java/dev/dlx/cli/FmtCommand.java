package dev.dlx.cli;

import dev.dlx.compiler.Compiler;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.SourceFile;
import dev.dlx.compiler.diag.TextRenderer;
import dev.dlx.compiler.format.Formatter;
import dev.dlx.compiler.resolve.SourceProvider;
import dev.dlx.compiler.resolve.SourceText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** `dlxc fmt FILE... [--check] [--write]`: the canonical layout of .dlx files. */
@Command(name = "fmt", mixinStandardHelpOptions = true,
        description = "Formats .dlx files: 4 spaces per level, one space around `->` and after commas, no trailing "
            + "whitespace, one blank line between declarations; comments are kept and the meaning never changes. "
            + "Prints the formatted text unless --write or --check is given. Exit code 0 when done (with --check: "
            + "when every file is formatted), 1 when a file has syntax errors or (with --check) needs formatting, "
            + "2 on wrong usage.")
final class FmtCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = ".dlx files to format")
    List<Path> files;

    @Option(names = "--check", description = "change nothing; list the files whose layout differs and exit with 1 if any")
    boolean check;

    @Option(names = "--write", description = "rewrite the files in place")
    boolean write;

    @Spec CommandSpec spec;

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TextRenderer renderer = new TextRenderer(false);
        boolean failed = false;
        for (Path file : files) {
            SourceText read = SourceProvider.DISK.load(file);
            if (read instanceof SourceText.Missing missing) {
                err.println("dlxc: cannot read `" + file + "`: " + missing.reason());
                return Main.USAGE;
            }
            if (read instanceof SourceText.Refused refused) {
                err.print(renderer.render(Compiler.notText(file, refused)));
                err.println("dlxc: `" + file + "` was not formatted");
                failed = true;
                continue;
            }
            String text = ((SourceText.Text) read).text();
            Formatter.Result result = Formatter.format(new SourceFile(file.toAbsolutePath().normalize(), file.toString(), text));
            if (!result.ok()) {
                for (Diagnostic d : result.problems()) err.print(renderer.render(d));
                err.println("dlxc: `" + file + "` was not formatted: fix the syntax errors first");
                failed = true;
                continue;
            }
            if (check) {
                if (result.changed()) {
                    out.println(file);
                    failed = true;
                }
            } else if (write) {
                if (!result.changed()) continue;
                try {
                    Files.writeString(file, result.text(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    err.println("dlxc: cannot write `" + file + "`: " + e.getMessage());
                    return Main.USAGE;
                }
            } else {
                out.print(result.text());
            }
        }
        out.flush();
        err.flush();
        return failed ? Main.ERRORS : Main.OK;
    }
}
