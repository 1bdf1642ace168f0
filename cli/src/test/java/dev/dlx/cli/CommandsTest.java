package dev.dlx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `dlxc` builds only the command it is asked for; `dlxc --help` still lists them all. */
class CommandsTest {
    private static final Path REPO = Path.of(System.getProperty("dlx.repo", ".."));

    @Test
    void everyNameBuildsTheCommandOfThatName() {
        for (String name : Main.COMMANDS) {
            Object command = Main.command(name);
            assertEquals(name, command.getClass().getAnnotation(CommandLine.Command.class).name());
        }
        assertEquals(null, Main.command("frobnicate"));
        assertEquals(17, Main.COMMANDS.size());
    }

    @Test
    void theCommandIsTheFirstWordAfterDlxcsOwnOptions() {
        assertEquals("check", Main.commandOf("check", "a.dlx"));
        assertEquals("check", Main.commandOf("--verbose", "check", "a.dlx"));
        assertEquals(null, Main.commandOf("--help"));
        assertEquals(null, Main.commandOf("help", "check"));
        assertEquals(null, Main.commandOf());
    }

    @Test
    void helpListsEveryCommand() {
        StringWriter out = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "--help"));
        for (String name : Main.COMMANDS) assertTrue(out.toString().contains("\n  " + name + " "), name + " missing in\n" + out);
        StringWriter help = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(help, true), new PrintWriter(new StringWriter(), true), "help", "check"));
        assertTrue(help.toString().contains("Usage: dlxc check"), help.toString());
    }

    /** A check in its own JVM, its class loading logged: no TensorFlow, no runtime, no other command. */
    @Test
    void checkLoadsNothingOfTrainingOrTensorFlow(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("classes.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xshare:off", "-Xlog:class+load=info:file=" + log, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "check", REPO.resolve("samples/classic/lenet5.dlx").toString())
            .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "check did not finish");
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("out.txt")));
        assertTrue(Files.readString(dir.resolve("out.txt")).contains("Total params: 61,706"));
        List<String> loaded = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            String[] parts = line.split(" ");
            if (parts.length > 1) loaded.add(parts[1]);
        }
        assertTrue(loaded.contains("dev.dlx.cli.CheckCommand"), "the log names the classes");
        List<String> unneeded = loaded.stream()
            .filter(c -> c.startsWith("org.tensorflow") || c.startsWith("org.bytedeco") || c.startsWith("dev.dlx.runtime")
                || c.startsWith("dev.dlx.aot") || c.startsWith("dev.dlx.lsp") || c.startsWith("org.eclipse.lsp4j")
                || (c.startsWith("dev.dlx.cli.") && c.endsWith("Command") && !c.equals("dev.dlx.cli.CheckCommand")))
            .toList();
        assertEquals(List.of(), unneeded);
    }
}
