package dev.dlx.bench;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.Compiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How fast the checker is: a generated model of 10,000 layers (5,000 `dense 16 -> relu` lines,
 * every shape and parameter count inferred), checked in process after warm-up; then `dlxc check`
 * end to end (JVM start included) on that file and on VGG16.
 */
public final class CheckerSpeed {
    private CheckerSpeed() {}

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(System.getProperty("dlx.repo", ".")).toAbsolutePath().normalize();
        int layers = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path dir = Files.createTempDirectory("dlx-checker-bench");
        Path file = dir.resolve("deep.dlx");
        Files.writeString(file, deepModel(layers));
        String text = Files.readString(file);
        Compiler compiler = new Compiler();
        double[] ms = new double[7];
        int nodes = 0;
        for (int i = 0; i < ms.length + 3; i++) {
            long t0 = System.nanoTime();
            Compilation c = compiler.compile(file, text);
            double took = (System.nanoTime() - t0) / 1e6;
            if (!c.ok()) throw new IllegalStateException("the generated model does not check: " + c.diagnostics().sorted());
            nodes = c.models().get("Deep").layers().size();
            if (i >= 3) ms[i - 3] = took;
        }
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "checker, in process: %,d layers (%,d lines) in %.0f ms median (min %.0f, max %.0f; 7 runs after 3 warm-up)%n",
            nodes, layers / 2 + 4, ms[3], ms[0], ms[6]);
        hostile(compiler, dir);
        dlxcCheck(repo, file); // not counted: the launcher rebuilds first when sources changed
        for (Path p : List.of(file, repo.resolve("samples/classic/vgg16.dlx"))) {
            double[] wall = new double[5];
            for (int i = 0; i < wall.length; i++) wall[i] = dlxcCheck(repo, p);
            Arrays.sort(wall);
            System.out.printf(Locale.ROOT, "`dlxc check %s` end to end: %.2f s median (min %.2f, max %.2f; 5 runs after one not counted)%n",
                p.startsWith(dir) ? "deep.dlx (" + nodes + " layers)" : repo.relativize(p), wall[2], wall[0], wall[4]);
        }
    }

    /**
     * Inputs that once took seconds (the tests bound them in counted steps; here is their time):
     * 20,000 unclosed parentheses, a block of 10,000 layers used 10,000 times, blocks doubling 24 deep.
     */
    static void hostile(Compiler compiler, Path dir) {
        StringBuilder doubling = new StringBuilder("block b0 {\n    relu\n}\n");
        for (int i = 1; i <= 24; i++) doubling.append("block b").append(i).append(" {\n    b").append(i - 1).append("\n    b").append(i - 1).append("\n}\n");
        String[][] cases = {
            {"20,000 unclosed `(`", "model M(x [4]) {\n    dense " + "(".repeat(20_000) + "\n}\n"},
            {"`b * 10000` of `relu * 10000`", "block b {\n    relu * 10000\n}\nmodel M(x [4]) {\n    b * 10000\n}\n"},
            {"2^24 layers of doubling blocks", doubling + "model M(x [4]) {\n    b24\n}\n"}};
        Path file = dir.resolve("hostile.dlx");
        for (String[] c : cases) {
            double[] ms = new double[7];
            Compilation last = null;
            for (int i = 0; i < ms.length + 3; i++) {
                long t0 = System.nanoTime();
                last = compiler.compile(file, c[1]);
                if (i >= 3) ms[i - 3] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(ms);
            System.out.printf(Locale.ROOT, "checker, hostile %s: %.1f ms median (min %.1f, max %.1f), %d error(s); %s%n",
                c[0], ms[3], ms[0], ms[6], last.diagnostics().errorCount(), last.work());
        }
    }

    static String deepModel(int layers) {
        StringBuilder s = new StringBuilder("// generated: a model of ").append(layers).append(" layers\n");
        s.append("model Deep(x [64]) -> [10] {\n");
        for (int i = 0; i < layers / 2 - 1; i++) s.append("    dense 16 -> relu\n");
        s.append("    dense 10 -> softmax\n}\n");
        return s.toString();
    }

    /** Seconds of one `./dlxc check FILE` (the launcher as a user runs it). */
    static double dlxcCheck(Path repo, Path file) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(repo.resolve("dlxc").toString(), "check", file.toString()));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        int code = p.waitFor();
        double s = (System.nanoTime() - t0) / 1e9;
        if (code > 1) throw new IllegalStateException("dlxc check " + file + " exited " + code);
        return s;
    }
}
