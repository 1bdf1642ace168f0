package dev.dlx.compiler;

import static org.junit.jupiter.api.Assertions.fail;

import dev.dlx.compiler.check.ModelChecker;
import dev.dlx.compiler.check.Summary;
import dev.dlx.compiler.check.SummaryJson;
import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.JsonRenderer;
import dev.dlx.compiler.diag.Label;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.diag.TextRenderer;
import dev.dlx.compiler.diag.Work;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.layers.LayerKind;
import dev.dlx.compiler.layers.Layers;
import dev.dlx.compiler.resolve.SourceProvider;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Type;
import dev.dlx.grammar.DlxLexer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;
import org.junit.jupiter.api.Test;

/**
 * Bad input never crashes the compiler. Seeded, deterministic fuzzing of the whole front end with
 * (a) mutations of every sample and golden case, (b) random token soup from the grammar's
 * vocabulary, (c) random programs built from the layer registry with random attribute values, and
 * (d) a few hand-made extremes, and (e) block-expansion bombs whose size is computed here. For
 * every input: {@code compile} returns normally, every label of every diagnostic lies within its
 * file's text, the text and JSON renderers run, every root model's summary renders (as `dlxc
 * check` prints it, errors or not), and the work the compilation counted stays within its budget
 * (see {@link #overBudget}). Budgets are counted, never timed: the clock only guards against a
 * hang, in minutes, and the slowest input is printed for information. A failure prints the
 * generator, the seed and the input (escaped); rerun one by pasting it into a file.
 */
class FuzzTest {
    private static final Path REPO = repo();
    private static final Path BASE = REPO.resolve("samples").toAbsolutePath().normalize();
    /** Where inputs that are not a mutation of a file pretend to live, so relative imports and data paths resolve. */
    private static final Path SYNTHETIC = BASE.resolve("fuzz_input.dlx");
    private static final int MAX_FAILURES = 15;
    private static final int MUTATIONS_PER_FILE = 15;
    /** Hang detectors only, far above any honest run on a loaded machine: what is tested is the counted budget. */
    private static final long FAMILY_HANG_SECONDS = 900;
    private static final long EXTREME_HANG_SECONDS = 300;

    // ------------------------------------------------------------------ the budget, in counted steps

    /** Nesting is bounded at 100 levels of at most 3 rules each; recovery walks that stack once per level it unwinds. */
    static final long RECOVERY_PER_TOKEN = 500;
    static final long RECOVERY_FLOOR = 50_000;
    /** Per model: elaboration stops at the limit, and sizing visits each block body once per binding. */
    static final long EXPANSION_PER_MODEL = ModelChecker.MAX_EXPANSION + 1;
    static final long SIZING_PER_MODEL = 2L * (ModelChecker.MAX_EXPANSION + 1);

    /** What is wrong with the work a compilation counted, or null when it stayed within its budget. */
    static String overBudget(Compilation c) {
        Work w = c.work();
        long models = c.models().size();
        long nodes = c.models().values().stream().mapToLong(m -> m.nodes().size()).sum();
        if (w.recovery() > RECOVERY_PER_TOKEN * w.tokens() + RECOVERY_FLOOR) return "parser recovery over budget: " + w;
        if (w.expanded() > models * EXPANSION_PER_MODEL) return "expansion over budget (" + models + " models): " + w;
        if (nodes > models * EXPANSION_PER_MODEL) return nodes + " nodes kept for " + models + " models";
        if (w.sizing() > models * SIZING_PER_MODEL + w.tokens()) return "sizing over budget (" + models + " models): " + w;
        return null;
    }

    private static Path repo() {
        String r = System.getProperty("dlx.repo");
        Path p = r != null && !r.isBlank() ? Path.of(r) : Path.of("..");
        if (!Files.isDirectory(p.resolve("samples"))) p = Path.of(".");
        return p.toAbsolutePath().normalize();
    }

    // ------------------------------------------------------------------ the property

    /** The known .dlx files, served from memory: imports of anything else are "not found" (never the disk). */
    private static final Map<Path, String> FILES = loadFiles();

    private static Map<Path, String> loadFiles() {
        Map<Path, String> files = new LinkedHashMap<>();
        for (Path dir : List.of(REPO.resolve("samples"), GoldenTest.CHECK_DIR)) {
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.filter(f -> f.toString().endsWith(".dlx")).sorted().toList()) {
                    files.put(p.toAbsolutePath().normalize(), Files.readString(p, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    private static final SourceProvider MEMORY = path -> Optional.ofNullable(FILES.get(path.toAbsolutePath().normalize()));

    /** The total work of the latest compilation on this thread, for the "most work" line. */
    private static final ThreadLocal<Long> lastWork = ThreadLocal.withInitial(() -> 0L);

    static Compilation compile(Path path, String text) {
        Compilation c = new Compiler(MEMORY, BASE).compile(path, text);
        if (c != null) lastWork.set(c.work().total());
        return c;
    }

    /** Runs the front end on one input; returns a description of what went wrong, or null. */
    static String check(Path path, String text) {
        Compilation c;
        try {
            c = compile(path, text);
        } catch (Throwable t) {
            return "compile threw " + trace(t);
        }
        return check(c);
    }

    /** What is wrong with the result of one compilation, or null. */
    static String check(Compilation c) {
        if (c == null) return "compile returned null";
        String budget = overBudget(c);
        if (budget != null) return budget;
        try {
            List<Diagnostic> diags = c.diagnostics().sorted();
            for (Diagnostic d : diags) {
                List<Label> labels = new ArrayList<>();
                labels.add(d.primary());
                labels.addAll(d.secondary());
                for (Label l : labels) {
                    Span s = l.span();
                    if (s == null || s.file() == null) return "diagnostic " + d.code().id() + " `" + d.message() + "` has no span";
                    int len = s.file().text().length();
                    if (s.start() < 0 || s.end() < s.start() || s.end() > len) {
                        return "diagnostic " + d.code().id() + " `" + d.message() + "`: "
                            + (l == d.primary() ? "primary" : "secondary") + " span [" + s.start() + ", " + s.end()
                            + ") outside " + s.file().displayName() + " (" + len + " characters)";
                    }
                }
                if (d.message() == null || d.message().isBlank()) return "diagnostic " + d.code().id() + " has no message";
            }
            String plain = new TextRenderer(false).renderAll(diags);
            new TextRenderer(true).renderAll(diags);
            for (Diagnostic d : diags) JsonRenderer.render(d);
            if (!diags.isEmpty() && plain.isEmpty()) return "renderer produced nothing for " + diags.size() + " diagnostics";
        } catch (Throwable t) {
            return "rendering diagnostics threw " + trace(t);
        }
        try {
            for (ModelIR m : c.rootModels()) {
                Summary.render(m);
                SummaryJson.render(m);
            }
            if (c.ok() && !c.root().all(dev.dlx.compiler.syntax.Decl.Model.class).isEmpty() && c.rootModels().isEmpty()) {
                return "no errors, but no model summary for the root file's models";
            }
        } catch (Throwable t) {
            return "rendering the summary threw " + trace(t)
                + (c.ok() ? " (the file had no errors)" : " (the file had errors; `dlxc check` prints summaries anyway)");
        }
        return null;
    }

    private static String trace(Throwable t) {
        StringBuilder s = new StringBuilder(t.toString());
        StackTraceElement[] st = t.getStackTrace();
        for (int i = 0; i < Math.min(12, st.length); i++) s.append("\n        at ").append(st[i]);
        return s.toString();
    }

    // ------------------------------------------------------------------ running inputs

    private record Input(String generator, long seed, Path path, String text) {}

    private static final class Run {
        final List<String> failures = new ArrayList<>();
        final Set<String> distinct = new LinkedHashSet<>();
        volatile Input current;
        int count;
        long slowestMs = -1;
        Input slowest;
        long mostWork = -1;
        Input busiest;

        void run(Input in) { run(in, c -> null); }

        /** Runs one input; {@code verdict} adds what this input in particular must give (null: nothing more). */
        void run(Input in, java.util.function.Function<Compilation, String> verdict) {
            current = in;
            count++;
            long t0 = System.nanoTime();
            String problem;
            try {
                Compilation c = compile(in.path(), in.text());
                problem = check(c);
                if (problem == null) problem = verdict.apply(c);
            } catch (Throwable t) {
                problem = "compile threw " + trace(t);
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (ms > slowestMs) { // for information: a loaded machine makes any input slow
                slowestMs = ms;
                slowest = in;
            }
            long work = lastWork.get();
            if (work > mostWork) {
                mostWork = work;
                busiest = in;
            }
            if (problem == null) return;
            // The same crash from many inputs is reported once (keyed by its first lines), with its first input.
            String key = problemKey(problem);
            if (!distinct.add(key) || failures.size() >= MAX_FAILURES) return;
            failures.add(describe(in, problem));
        }
    }

    /** What makes two failures the same bug: the first line, and the first frame in the compiler, if any. */
    static String problemKey(String problem) {
        List<String> lines = problem.lines().toList();
        String frame = lines.stream().filter(l -> l.contains("at dev.dlx.compiler.") && !l.contains("FuzzTest"))
            .findFirst().orElse("");
        String first = lines.get(0).replaceAll("\\d+", "#").replaceAll("`[^`]*`", "`_`");
        return first + frame.replaceAll(":\\d+\\)", ")");
    }

    static String describe(Input in, String problem) {
        return "[" + in.generator() + ", seed " + in.seed() + ", as " + REPO.relativize(in.path()) + "] " + problem
            + "\n    input (" + in.text().length() + " characters, Java-escaped): \"" + escape(in.text(), 3000) + "\"";
    }

    static String escape(String s, int max) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && out.length() < max; i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (ch < 0x20 || ch > 0x7e) out.append(String.format("\\u%04x", (int) ch));
                    else out.append(ch);
                }
            }
        }
        if (out.length() >= max) out.append("...<cut>");
        return out.toString();
    }

    /**
     * Runs the generator on a thread of its own, so that a hang is reported with the input that
     * hangs (and the thread is stopped, so that it does not eat the rest of the test run).
     */
    private static void fuzz(String what, long timeoutSeconds, java.util.function.Consumer<Run> body) {
        Run run = new Run();
        long t0 = System.nanoTime();
        String hung = runBounded(what, timeoutSeconds, () -> body.accept(run));
        if (hung != null) {
            Input in = run.current;
            run.failures.add(what + ": no answer within " + timeoutSeconds + " s after " + run.count + " inputs; stuck on "
                + (in == null ? "?" : describe(in, "this input")));
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("FuzzTest " + what + ": " + run.count + " inputs in " + ms + " ms, "
            + run.failures.size() + " distinct failure(s); slowest " + run.slowestMs + " ms ("
            + (run.slowest == null ? "-" : run.slowest.generator() + " seed " + run.slowest.seed()) + "); most work "
            + run.mostWork + " steps (" + (run.busiest == null ? "-" : run.busiest.generator() + " seed " + run.busiest.seed()) + ")");
        if (!run.failures.isEmpty()) {
            fail(what + ": " + run.failures.size() + " distinct failure(s) in " + run.count + " inputs:\n\n"
                + String.join("\n\n", run.failures));
        }
    }

    /** Runs {@code body} on a new thread (default stack size, as `dlxc` has); null when it ended in time. */
    @SuppressWarnings({"deprecation", "removal"})
    private static String runBounded(String name, long timeoutSeconds, Runnable body) {
        FutureTask<Void> task = new FutureTask<>(body, null);
        Thread thread = new Thread(task, "fuzz-" + name);
        thread.setDaemon(true);
        thread.start();
        try {
            task.get(timeoutSeconds, TimeUnit.SECONDS);
            return null;
        } catch (TimeoutException e) {
            thread.interrupt();
            try {
                // The compiler does not look at interrupts; a runaway input must not eat the test run.
                // Compiler.compile works on a thread of its own ("dlx-compile"): stop that one too.
                for (Thread t : Thread.getAllStackTraces().keySet()) {
                    if (t.getName().startsWith("dlx-compile") && t.isAlive()) t.stop();
                }
                thread.stop();
                thread.join(5_000);
            } catch (UnsupportedOperationException | SecurityException gone) {
                // newer JDKs: the daemon thread runs on until the JVM exits
            } catch (InterruptedException again) {
                Thread.currentThread().interrupt();
            }
            return "timeout";
        } catch (ExecutionException e) {
            throw new AssertionError(name + ": the fuzzer itself failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    // ------------------------------------------------------------------ (a) mutations of real files

    @Test
    void mutationsOfSamplesAndCases() {
        fuzz("mutations", FAMILY_HANG_SECONDS, run -> {
            for (Map.Entry<Path, String> f : FILES.entrySet()) {
                // The seed comes from the file's path, so that adding a file does not change the others' inputs.
                long fileSeed = 1_000L * (REPO.relativize(f.getKey()).toString().replace('\\', '/').hashCode() & 0x7fffffffL);
                for (int i = 0; i < MUTATIONS_PER_FILE; i++) {
                    long seed = fileSeed + i;
                    Random rnd = new Random(seed);
                    String text = f.getValue();
                    int ops = 1 + rnd.nextInt(4);
                    for (int k = 0; k < ops; k++) text = mutate(text, rnd);
                    run.run(new Input("mutation", seed, f.getKey(), text));
                }
            }
        });
    }

    /** One random edit: on tokens, on characters, or one of the extremes. */
    static String mutate(String text, Random rnd) {
        List<int[]> tokens = tokens(text);
        int op = rnd.nextInt(16);
        if (tokens.isEmpty() && op < 6) op = 6 + rnd.nextInt(10);
        switch (op) {
            case 0 -> { // delete a token
                int[] t = tokens.get(rnd.nextInt(tokens.size()));
                return text.substring(0, t[0]) + text.substring(t[1]);
            }
            case 1 -> { // duplicate a token
                int[] t = tokens.get(rnd.nextInt(tokens.size()));
                return text.substring(0, t[1]) + " " + text.substring(t[0], t[1]) + text.substring(t[1]);
            }
            case 2 -> { // swap two neighbouring tokens
                int i = rnd.nextInt(tokens.size());
                if (i + 1 >= tokens.size()) return text;
                int[] a = tokens.get(i), b = tokens.get(i + 1);
                return text.substring(0, a[0]) + text.substring(b[0], b[1]) + text.substring(a[1], b[0])
                    + text.substring(a[0], a[1]) + text.substring(b[1]);
            }
            case 3 -> { // replace a token by one of the vocabulary
                int[] t = tokens.get(rnd.nextInt(tokens.size()));
                return text.substring(0, t[0]) + vocab(rnd) + text.substring(t[1]);
            }
            case 4 -> { // insert a vocabulary token at a token boundary
                int[] t = tokens.get(rnd.nextInt(tokens.size()));
                return text.substring(0, t[0]) + vocab(rnd) + " " + text.substring(t[0]);
            }
            case 5 -> { // replace a number by an extreme one
                List<int[]> numbers = new ArrayList<>();
                for (int[] t : tokens) if (t[2] == DlxLexer.NUMBER || t[2] == DlxLexer.SIZE) numbers.add(t);
                if (numbers.isEmpty()) return text;
                int[] t = numbers.get(rnd.nextInt(numbers.size()));
                return text.substring(0, t[0]) + pick(rnd, EXTREME_NUMBERS) + text.substring(t[1]);
            }
            case 6 -> { // delete a character
                if (text.isEmpty()) return text;
                int i = rnd.nextInt(text.length());
                return text.substring(0, i) + text.substring(i + 1);
            }
            case 7, 8 -> { // insert a random character: ASCII, control, non-ASCII, lone surrogate
                int i = rnd.nextInt(text.length() + 1);
                return text.substring(0, i) + randomChar(rnd) + text.substring(i);
            }
            case 9 -> { // truncate
                return text.substring(0, rnd.nextInt(text.length() + 1));
            }
            case 10 -> { // deep nesting
                int i = rnd.nextInt(text.length() + 1);
                String open = pick(rnd, new String[] {"(", "[", "{", "-", "conv(", "((1 + "});
                int depth = 50 + rnd.nextInt(500);
                String nest = open.repeat(depth) + (rnd.nextBoolean() ? "1" : "")
                    + (rnd.nextBoolean() ? closing(open).repeat(depth) : "");
                return text.substring(0, i) + nest + text.substring(i);
            }
            case 11 -> { // a very long line
                int i = rnd.nextInt(text.length() + 1);
                String unit = pick(rnd, new String[] {"a", "dense 10 -> ", "relu -> ", "1, ", "x", " "});
                return text.substring(0, i) + unit.repeat(500 + rnd.nextInt(2_500)) + text.substring(i);
            }
            case 12 -> { // line endings and tabs
                return rnd.nextBoolean() ? text.replace("\n", "\r\n") : text.replace("    ", "\t");
            }
            case 13 -> { // cut a line in two, or join two lines
                int i = rnd.nextInt(text.length() + 1);
                if (rnd.nextBoolean()) return text.substring(0, i) + "\n" + text.substring(i);
                int nl = text.indexOf('\n', i);
                return nl < 0 ? text : text.substring(0, nl) + " " + text.substring(nl + 1);
            }
            case 14 -> { // duplicate a random slice (whole declarations, half statements)
                if (text.isEmpty()) return text;
                int a = rnd.nextInt(text.length()), b = Math.min(text.length(), a + rnd.nextInt(200));
                return text.substring(0, b) + text.substring(a, b) + text.substring(b);
            }
            default -> { // random bytes
                int i = rnd.nextInt(text.length() + 1);
                StringBuilder junk = new StringBuilder();
                for (int k = 1 + rnd.nextInt(12); k > 0; k--) junk.append((char) rnd.nextInt(256));
                return text.substring(0, i) + junk + text.substring(i);
            }
        }
    }

    private static String closing(String open) {
        return switch (open) {
            case "(", "conv(", "((1 + " -> ")";
            case "[" -> "]";
            case "{" -> "}";
            default -> "";
        };
    }

    /** Tokens of the text as {start, end, type}, comments included. */
    static List<int[]> tokens(String text) {
        List<int[]> out = new ArrayList<>();
        DlxLexer lexer = new DlxLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        for (Token t = lexer.nextToken(); t.getType() != Token.EOF; t = lexer.nextToken()) {
            if (t.getStopIndex() >= t.getStartIndex()) out.add(new int[] {t.getStartIndex(), t.getStopIndex() + 1, t.getType()});
        }
        return out;
    }

    private static final String[] EXTREME_NUMBERS = {
        "0", "-1", "-0", "99999999999999", "2147483647", "2147483648", "4294967296", "1e400", "1e-400", "1e308",
        "0.0000001", "99999999999999x3", "0x0", "1x1x1x1", "2147483647x2147483647", "3x0", "1e9999%", "-5",
        "999999999999999999999999999999", "0%", "100%", "360deg", "9223372036854775808", "46341", "65536"};

    private static final String[] ODD_CHARS = {
        "\u0000", "\u0001", "\u0007", "\b", "\u000b", "\f", "\r", "\u001b", "\u007f", "\u0085", "\u00a0", "\u00e9",
        "\u2028", "\u2029", "\u200b", "\ufeff", "\ufffd", "\uffff", "\ud800", "\udc00", "\ud83d\ude00", "\u4e2d",
        "\u0301", "\"", "\\", "#", "@", "$", "`", "'", "~", "!", "&", "|", "^", "<", ">", "%"};

    private static String randomChar(Random rnd) {
        return rnd.nextInt(3) == 0 ? String.valueOf((char) rnd.nextInt(0x10000)) : pick(rnd, ODD_CHARS);
    }

    // ------------------------------------------------------------------ (b) token soup

    private static final List<String> VOCAB = vocabulary();

    private static List<String> vocabulary() {
        Set<String> v = new LinkedHashSet<>(List.of(
            "import", "dataset", "block", "model", "train", "evaluate", "on", "let", "return",
            "->", "..", ".", ",", ";", "(", ")", "[", "]", "{", "}", "=", "+", "-", "*", "/", "?", ":",
            "\n", "\n", "\n", "\r\n", "// comment\n", "/* c */", "/* open", "\"", "\"unclosed", "#", "@", "\u00e9",
            "\"lib/cycle_b.dlx\"", "\"missing.dlx\"", "\"fuzz_input.dlx\"", "\"data/digits.csv.gz\"", "\"\"",
            "input", "x", "y", "a", "b", "same", "valid", "full", "true", "false", "concat", "sum", "?",
            "source", "csv", "features", "label", "labels", "classes", "onehot", "split", "val", "test", "batch",
            "loss", "optimizer", "adam", "lr", "epochs", "metrics", "accuracy", "augment", "normalize", "reshape",
            "categorical_crossentropy", "early_stop", "val_loss", "patience", "freeze", "regularize", "l2",
            "0", "1", "2", "3", "8", "28", "32", "64", "-1", "0.5", "1.5", "1e-3", "70%", "10deg", "3x3", "2x2x2",
            "1/16", "0..63", "99999999999999", "2147483648"));
        for (String s : Layers.spellings()) {
            v.add(s);
            v.add(s + "(");
        }
        for (LayerKind k : Layers.all()) for (Attr a : k.schema().attrs()) v.add(a.name());
        return List.copyOf(v);
    }

    private static String vocab(Random rnd) { return VOCAB.get(rnd.nextInt(VOCAB.size())); }

    @Test
    void tokenSoup() {
        fuzz("token soup", FAMILY_HANG_SECONDS, run -> {
            for (int i = 0; i < 1_500; i++) {
                long seed = 2_000_000L + i;
                Random rnd = new Random(seed);
                StringBuilder s = new StringBuilder();
                int n = 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 600 : 80);
                for (int k = 0; k < n; k++) {
                    s.append(vocab(rnd));
                    if (rnd.nextInt(4) != 0) s.append(' ');
                }
                String text = s.toString();
                // Half inside a model body, so the checker (not just the parser) sees the soup.
                if (rnd.nextBoolean()) text = "model M(x [28, 28, 1]) -> [10] {\n" + text + "\n}\n";
                run.run(new Input("token soup", seed, SYNTHETIC, text));
            }
        });
    }

    // ------------------------------------------------------------------ (c) grammar-aware random programs

    @Test
    void randomPrograms() {
        fuzz("random programs", FAMILY_HANG_SECONDS, run -> {
            for (int i = 0; i < 1_500; i++) {
                long seed = 3_000_000L + i;
                run.run(new Input("random program", seed, SYNTHETIC, new ProgramGen(new Random(seed)).program()));
            }
        });
    }

    /** Random but mostly well-formed programs: blocks, models, lets, merges, calls, repeats, wild values. */
    static final class ProgramGen {
        private final Random rnd;
        private final List<String> blocks = new ArrayList<>();
        private final Map<String, List<String>> blockParams = new LinkedHashMap<>();
        private final Map<String, Integer> blockInputs = new LinkedHashMap<>();
        private List<String> env = List.of(); // block parameters visible in expressions
        private List<String> tensors = new ArrayList<>();
        private int names;

        ProgramGen(Random rnd) { this.rnd = rnd; }

        String program() {
            StringBuilder s = new StringBuilder();
            if (rnd.nextInt(8) == 0) s.append("import \"").append(pick(rnd, new String[] {"lib/cycle_b.dlx", "classic/vgg16.dlx",
                "nothing.dlx", "fuzz_input.dlx"})).append("\"\n");
            int nBlocks = rnd.nextInt(4);
            for (int i = 0; i < nBlocks; i++) s.append(block()).append('\n');
            int nModels = 1 + rnd.nextInt(2);
            for (int i = 0; i < nModels; i++) s.append(model()).append('\n');
            if (rnd.nextInt(5) == 0) s.append(dataAndTraining());
            return s.toString();
        }

        private String block() {
            String name = "b" + blocks.size();
            List<String> params = new ArrayList<>();
            int nParams = rnd.nextInt(4);
            for (int i = 0; i < nParams; i++) params.add(pick(rnd, new String[] {"filters", "k", "units", "rate", "s", "n"}) + i);
            int inputs = rnd.nextInt(6) == 0 ? 2 : 1;
            StringBuilder head = new StringBuilder("block ").append(name);
            if (!params.isEmpty() || inputs > 1 || rnd.nextBoolean()) {
                head.append('(');
                for (int i = 0; i < params.size(); i++) {
                    if (i > 0) head.append(", ");
                    head.append(params.get(i));
                    if (rnd.nextInt(3) == 0) head.append(" = ").append(number());
                }
                head.append(')');
                if (inputs > 1) head.append("(left, right)");
            }
            blocks.add(name); // visible to later blocks (and to itself: recursion is fair game)
            blockParams.put(name, params);
            blockInputs.put(name, inputs);
            env = params;
            tensors = new ArrayList<>(inputs > 1 ? List.of("left", "right") : List.of("input"));
            String body = body(1 + rnd.nextInt(4));
            env = List.of();
            return head + " " + body;
        }

        private String model() {
            StringBuilder s = new StringBuilder("model M").append(names++).append('(');
            int nInputs = rnd.nextInt(5) == 0 ? 2 : 1;
            tensors = new ArrayList<>();
            for (int i = 0; i < nInputs; i++) {
                if (i > 0) s.append(", ");
                String in = pick(rnd, new String[] {"image", "x", "tokens", "seq"}) + i;
                tensors.add(in);
                s.append(in).append(' ').append(shape());
            }
            s.append(')');
            if (rnd.nextInt(3) != 0) {
                s.append(" -> ").append(shape());
                if (rnd.nextInt(10) == 0) s.append(", ").append(shape());
            }
            return s + " " + body(1 + rnd.nextInt(7));
        }

        private String body(int statements) {
            StringBuilder s = new StringBuilder("{\n");
            for (int i = 0; i < statements; i++) {
                s.append("    ");
                int kind = rnd.nextInt(10);
                if (kind < 3) {
                    String name = "t" + names++;
                    s.append("let ").append(name).append(" = ").append(chain());
                    tensors.add(name);
                } else if (kind == 3 && i == statements - 1) {
                    s.append("return ").append(chain());
                    if (rnd.nextInt(4) == 0) s.append(", ").append(chain());
                } else {
                    s.append(chain());
                }
                s.append('\n');
            }
            return s.append("}\n").toString();
        }

        private String chain() {
            StringBuilder s = new StringBuilder();
            if (!tensors.isEmpty() && rnd.nextInt(3) == 0) s.append(pick(rnd, tensors)).append(" -> ");
            int n = 1 + rnd.nextInt(4);
            for (int i = 0; i < n; i++) {
                if (i > 0) s.append(rnd.nextInt(8) == 0 ? "\n        -> " : " -> ");
                s.append(element());
            }
            return s.toString();
        }

        private String element() {
            int kind = rnd.nextInt(20);
            if (kind < 2 && !blocks.isEmpty()) return blockCall();
            if (kind == 2 && tensors.size() >= 1) return merge();
            if (kind == 3) return word(); // an unknown layer, a tensor, a parameter...
            LayerKind layer = pick(rnd, Layers.all());
            List<String> spellings = new ArrayList<>();
            spellings.add(layer.name());
            spellings.addAll(layer.aliases());
            String spelling = pick(rnd, spellings);
            String repeat = rnd.nextInt(15) == 0 ? " * " + pick(rnd, new String[] {"2", "3", "0", "-1", "1.5", "n0", "x"}) : "";
            if (rnd.nextInt(6) == 0) return spelling + "(" + callArgs(layer) + ")" + repeat;
            return spelling + layerArgs(layer) + repeat;
        }

        private String layerArgs(LayerKind kind) {
            StringBuilder s = new StringBuilder();
            for (Attr a : kind.schema().attrs()) {
                boolean give = a.isPositional() ? rnd.nextInt(10) != 0 : rnd.nextInt(4) == 0;
                if (!give) continue;
                if (!a.isPositional() || rnd.nextInt(6) == 0) s.append(' ').append(a.name());
                if (a.type().isFlag() && rnd.nextBoolean()) continue;
                s.append(' ').append(value(a));
            }
            if (rnd.nextInt(12) == 0) s.append(' ').append(wild());
            return s.toString();
        }

        private String callArgs(LayerKind kind) {
            List<String> parts = new ArrayList<>();
            if (kind.maxInputs() > 1) {
                for (int i = 0, n = rnd.nextInt(4); i < n && !tensors.isEmpty(); i++) parts.add(pick(rnd, tensors));
            }
            for (Attr a : kind.schema().attrs()) {
                if (rnd.nextInt(3) == 0) continue;
                parts.add((a.isPositional() && rnd.nextBoolean() ? "" : a.name() + " = ") + value(a));
            }
            if (rnd.nextInt(10) == 0) parts.add(wild());
            return String.join(", ", parts);
        }

        private String blockCall() {
            String b = pick(rnd, blocks);
            List<String> params = blockParams.get(b);
            List<String> args = new ArrayList<>();
            int n = params.size() + rnd.nextInt(3) - 1;
            for (int i = 0; i < n; i++) {
                String v = rnd.nextInt(5) == 0 ? wild() : number();
                args.add(rnd.nextInt(4) == 0 && i < params.size() ? params.get(i) + " = " + v : v);
            }
            String call = b + "(" + String.join(", ", args) + ")";
            if (blockInputs.get(b) > 1 || rnd.nextInt(10) == 0) {
                List<String> ts = new ArrayList<>();
                for (int i = 0, k = 1 + rnd.nextInt(3); i < k && !tensors.isEmpty(); i++) ts.add(pick(rnd, tensors));
                call += "(" + String.join(", ", ts) + ")";
            }
            if (rnd.nextInt(8) == 0) call += " * " + pick(rnd, new String[] {"2", "3", "0", "-1", "n0"});
            return call;
        }

        private String merge() {
            String op = pick(rnd, new String[] {"add", "concat", "multiply", "average", "maximum", "subtract", "attention"});
            List<String> args = new ArrayList<>();
            for (int i = 0, n = rnd.nextInt(4); i < n; i++) args.add(pick(rnd, tensors));
            if (op.equals("concat") && rnd.nextInt(3) == 0) args.add("axis = " + pick(rnd, new String[] {"-1", "0", "1", "2", "5", "-7"}));
            return op + "(" + String.join(", ", args) + ")";
        }

        private String value(Attr a) {
            if (rnd.nextInt(7) == 0) return wild();
            Type t = a.type();
            if (t == Type.INT) return number();
            if (t == Type.FLOAT) return pick(rnd, new String[] {"0.5", "0", "0.99", "1", "1.5", "-0.1", "1e-3", "50%", "1/3"});
            if (t == Type.BOOL) return pick(rnd, new String[] {"true", "false"});
            if (t == Type.SIZES) return rnd.nextBoolean() ? number() : sizes();
            if (t == Type.PADDING) return pick(rnd, new String[] {"same", "valid", "full", "0", "1", "2x0", "-1", "1x1x1"});
            if (t == Type.SHAPE) return shape();
            if (!t.choices().isEmpty()) return pick(rnd, t.choices());
            return wild();
        }

        private String number() {
            if (!env.isEmpty() && rnd.nextInt(3) == 0) {
                String p = pick(rnd, env);
                return rnd.nextInt(3) == 0 ? "(" + p + " " + pick(rnd, new String[] {"*", "+", "-", "/"}) + " " + number() + ")" : p;
            }
            return pick(rnd, new String[] {"1", "2", "3", "4", "5", "7", "8", "16", "32", "64", "0", "-1", "-3", "1000",
                "99999999999999", "2147483647", "1.5", "(2 * 3)", "(1 - 1)", "(8 / 3)", "(0 / 0)"});
        }

        private String sizes() {
            int axes = 1 + rnd.nextInt(4);
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < axes; i++) {
                if (i > 0) s.append('x');
                s.append(pick(rnd, new String[] {"1", "2", "3", "5", "7", "0", "99999999999"}));
            }
            return axes == 1 ? s + "x" + pick(rnd, new String[] {"1", "3"}) : s.toString();
        }

        private String shape() {
            int rank = rnd.nextInt(10) == 0 ? rnd.nextInt(7) : 1 + rnd.nextInt(4);
            List<String> dims = new ArrayList<>();
            for (int i = 0; i < rank; i++) {
                dims.add(rnd.nextInt(8) == 0 ? pick(rnd, new String[] {"?", "0", "-1", "-2", "1.5", "x", "99999999999",
                    "2147483647", "65536", "\"a\""}) : pick(rnd, new String[] {"1", "2", "3", "4", "8", "10", "16", "28", "32", "100"}));
            }
            return "[" + String.join(", ", dims) + "]";
        }

        private String wild() {
            return pick(rnd, new String[] {"\"text\"", "same", "relu", "-5", "0", "1e400", "99999999999", "[?, 3]", "[]",
                "3x3x3x3", "1..3", "true", "input", "x", "0%", "15deg", "(1 + \"a\")", "(-2)", "a.b.c", "?", "1/0"});
        }

        private String word() {
            List<String> w = new ArrayList<>(List.of("foo", "Dense", "conv2D", "maxpoool", "input", "M0", "relu6"));
            w.addAll(tensors);
            w.addAll(env);
            return pick(rnd, w) + (rnd.nextBoolean() ? " " + number() : "");
        }

        private String dataAndTraining() {
            return pick(rnd, new String[] {
                "dataset d {\n    source csv \"data/digits.csv.gz\" { features 0..63, label 64 }\n    features reshape [8, 8, 1] scale 1/16\n"
                    + "    labels classes 10 onehot\n    split train 70%, val 15%, test 15%\n    batch " + number() + "\n}\n"
                    + "train M0 on d {\n    loss categorical_crossentropy\n    optimizer adam lr " + number() + "\n    epochs "
                    + number() + "\n}\nevaluate M0 on d.test\n",
                "dataset d { source csv \"missing.csv\" { features 0..3, label 4 } }\ntrain M0 on d { loss mse }\n",
                "train Nope on nothing {\n    optimizer sgd momentum 2\n}\n",
                "dataset d {\n    split train 50%, val 60%\n    augment train { flip horizontal p 1.5 }\n}\n",
                expressionTraining(), namedExpressionTraining()});
        }

        /**
         * A training whose random expressions also name labels of a dataset that names them (bare,
         * `labels.NAME`, `M0.NAME`, unknown qualifiers), or of `pairs` and `triplets` drawn by class.
         */
        private String namedExpressionTraining() {
            String data = pick(rnd, new String[] {
                "    source csv \"data/digits_parity.csv.gz\" { features x0 0..63, labels digit 64, parity 65 }\n"
                    + "    labels digit classes 10 onehot, parity classes 2 " + pick(rnd, new String[] {"onehot", "sparse", "binary"}) + "\n",
                "    source csv \"data/digits.csv.gz\" { features 0..63, label 64 }\n    labels classes 10 sparse\n    "
                    + pick(rnd, new String[] {"triplets", "pairs positive 30%", "triplets holdout 8..9", "pairs holdout " + number()}) + "\n"});
            List<String> extra = List.of("labels.digit", "labels.parity", "M0.digit", "digit", "parity", "labels.nope", "Other.x", "same",
                "labels.same", "anchor", "left", "M0.x0", "labels.label.x");
            String loss = lossExpression(3), metric = lossExpression(2);
            for (int i = 0; i < 3; i++) {
                loss = loss.replaceFirst("\\bx0\\b", pick(rnd, extra));
                metric = metric.replaceFirst("\\boutput\\b", pick(rnd, extra));
            }
            return "dataset d {\n" + data + "    split train 80%, val 20%\n}\n"
                + "train M0 on d {\n    loss " + loss + "\n    metric m" + rnd.nextInt(3) + " = " + metric + "\n    optimizer sgd\n}\n";
        }

        /** A training block whose loss and metric are random expressions over the model's tensors and the label. */
        private String expressionTraining() {
            return "dataset d {\n    source csv \"data/digits.csv.gz\" { features 0..63, label 64 }\n    features reshape [8, 8, 1]\n"
                + "    labels classes 10 " + pick(rnd, new String[] {"onehot", "sparse"}) + "\n    split train 80%, val 20%\n}\n"
                + "train M0 on d {\n    loss " + lossExpression(3) + "\n    metric m" + rnd.nextInt(3) + " = " + lossExpression(2)
                + "\n    optimizer sgd\n}\n";
        }

        private String lossExpression(int depth) {
            List<String> names = new ArrayList<>(List.of("output", "label", "ouput", "x0", "labels.label", "M0.output", "labels.x0"));
            names.addAll(tensors);
            if (depth <= 0 || rnd.nextInt(4) == 0) return rnd.nextBoolean() ? pick(rnd, names) : number();
            String[] functions = {"mean", "sum", "square", "sqrt", "abs", "log", "exp", "min", "max", "relu", "norm", "dot", "sqdist",
                "cosine", "matmul", "transpose", "gram", "stop_gradient", "categorical_crossentropy", "sparse_categorical_crossentropy",
                "binary_crossentropy", "mse", "mae", "huber", "maen"};
            switch (rnd.nextInt(4)) {
                case 0: return lossExpression(depth - 1) + " " + pick(rnd, new String[] {"+", "-", "*", "/"}) + " " + lossExpression(depth - 1);
                case 1: return rnd.nextBoolean() ? "-" + lossExpression(depth - 1) : "(" + lossExpression(depth - 1) + ")";
                default: {
                    StringBuilder call = new StringBuilder(pick(rnd, functions)).append('(');
                    int args = rnd.nextInt(4);
                    for (int i = 0; i < args; i++) call.append(i > 0 ? ", " : "").append(lossExpression(depth - 1));
                    if (rnd.nextInt(3) == 0) call.append(args > 0 ? ", " : "").append(pick(rnd, new String[] {"axis", "delta", "from_logits"}))
                        .append(" = ").append(number());
                    return call.append(')').toString();
                }
            }
        }
    }

    private static <T> T pick(Random rnd, T[] options) { return options[rnd.nextInt(options.length)]; }
    private static <T> T pick(Random rnd, List<T> options) { return options.get(rnd.nextInt(options.size())); }

    // ------------------------------------------------------------------ (e) block-expansion bombs

    @Test
    void blockExpansionBombs() {
        int[] refused = new int[1], built = new int[1];
        fuzz("expansion bombs", FAMILY_HANG_SECONDS, run -> {
            for (int i = 0; i < 300; i++) {
                long seed = 4_000_000L + i;
                Bomb bomb = new Bomb(new Random(seed));
                String text = bomb.program();
                run.run(new Input("expansion bomb", seed, SYNTHETIC, text), c -> {
                    if (bomb.refusedAt >= 0) refused[0]++;
                    else built[0]++;
                    return bomb.verdict(c);
                });
            }
        });
        System.out.println("FuzzTest expansion bombs: " + refused[0] + " refused at the use, " + built[0] + " built");
        if (refused[0] < 50 || built[0] < 50) fail("the bomb generator lost its balance: " + refused[0] + " refused, " + built[0] + " built");
    }

    /**
     * A random nesting of blocks whose repeats and arguments multiply (`b3(n * 2) * n`), and a model
     * that uses them. The generator keeps the structure and computes, its own way, the size every
     * step of the model unfolds into (a layer or a use counts one, `* N` multiplies), so it knows
     * whether the checker must refuse the model, at which use, and how much it may expand first.
     */
    static final class Bomb {
        private static final long LIMIT = ModelChecker.MAX_EXPANSION;
        private static final long HUGE = 1L << 40; // times 10,000 still fits in a long
        private static final long BUILT = 10_000;

        /** `relu` (block -1) or a use of a block, with its argument expressions and its repeat (null for none). */
        private record Step(int block, List<String> args, String repeat) {}

        private final Random rnd;
        private final List<List<String>> params = new ArrayList<>();
        private final List<List<List<Step>>> bodies = new ArrayList<>(); // block -> statements -> steps
        private final List<Step> modelSteps = new ArrayList<>();
        private final List<Integer> modelOffsets = new ArrayList<>();
        private final List<String> modelTexts = new ArrayList<>();
        private final Map<String, Long> sizes = new java.util.HashMap<>();
        /** Every repeat count, in every binding reached, is a whole number from 1 to 10,000 (else it is drawn again). */
        private boolean clean = true;
        /** The model step that must be refused, or -1 when the model is built. */
        int refusedAt = -1;
        /** The steps expanded before that (or in all). */
        long expandedBefore;

        Bomb(Random rnd) { this.rnd = rnd; }

        /**
         * A program whose model expands at most {@link #BUILT} steps before it is refused or
         * finished (others are drawn again): exactly at the limit is {@code ExpansionTest}'s, and
         * building 100,000 layers per input would only make this test slow.
         */
        String program() {
            while (true) {
                String text = draw();
                if (clean && expandedBefore <= BUILT) return text;
                params.clear();
                bodies.clear();
                modelSteps.clear();
                modelOffsets.clear();
                modelTexts.clear();
                sizes.clear();
                clean = true;
                refusedAt = -1;
            }
        }

        private String draw() {
            StringBuilder s = new StringBuilder();
            int blocks = 2 + rnd.nextInt(7);
            for (int b = 0; b < blocks; b++) {
                List<String> ps = List.of("n", "m").subList(0, rnd.nextInt(3));
                params.add(ps);
                List<List<Step>> body = new ArrayList<>();
                for (int st = 1 + rnd.nextInt(3); st > 0; st--) {
                    List<Step> chain = new ArrayList<>();
                    for (int k = 1 + rnd.nextInt(3); k > 0; k--) chain.add(step(b, ps));
                    body.add(chain);
                }
                bodies.add(body);
                s.append("block b").append(b);
                if (!ps.isEmpty()) s.append('(').append(String.join(", ", ps)).append(')');
                s.append(" {\n");
                for (List<Step> chain : body) s.append("    ").append(String.join(" -> ", chain.stream().map(this::text).toList())).append('\n');
                s.append("}\n");
            }
            s.append("model M(x [4]) {\n");
            for (int st = 1 + rnd.nextInt(3); st > 0; st--) {
                s.append("    ");
                for (int k = 1 + rnd.nextInt(2); k > 0; k--) {
                    Step step = step(blocks, List.of());
                    String t = text(step);
                    modelSteps.add(step);
                    modelOffsets.add(s.length());
                    modelTexts.add(t);
                    s.append(t).append(k > 1 ? " -> " : "");
                }
                s.append('\n');
            }
            s.append("}\n");
            expect();
            return s.toString();
        }

        /** A step in block {@code b} (or the model, b = number of blocks), whose parameters are {@code ps}. */
        private Step step(int b, List<String> ps) {
            int target = b == 0 || rnd.nextInt(4) == 0 ? -1 : rnd.nextInt(b);
            String repeat = switch (rnd.nextInt(6)) {
                case 0, 1 -> null;
                case 2 -> pick(rnd, new String[] {"2", "3", "5", "10"});
                case 3 -> pick(rnd, new String[] {"100", "1000", "10000"});
                default -> ps.isEmpty() ? "2" : pick(rnd, new String[] {ps.get(0), "(" + ps.get(0) + " + 1)", "(" + ps.get(0) + " * 2)"});
            };
            return new Step(target, target < 0 ? List.of() : args(ps, target), repeat);
        }

        private List<String> args(List<String> ps, int target) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < params.get(target).size(); i++) {
                out.add(ps.isEmpty() || rnd.nextInt(3) == 0 ? pick(rnd, new String[] {"1", "2", "3", "10", "100"})
                    : pick(rnd, new String[] {ps.get(0), ps.get(ps.size() - 1) + " + 1", ps.get(0) + " * 2"}));
            }
            return out;
        }

        private String text(Step step) {
            String name = step.block() < 0 ? "relu" : "b" + step.block();
            if (!step.args().isEmpty()) name += "(" + String.join(", ", step.args()) + ")";
            return step.repeat() == null ? name : name + " * " + step.repeat();
        }

        /** The value of an argument or repeat expression: a number, `p`, `p + 1` or `p * 2`, `(...)` around it. */
        private static long value(String e, Map<String, Long> env) {
            String t = e.replace("(", "").replace(")", "").trim();
            String[] parts = t.split(" ");
            long base = Character.isDigit(parts[0].charAt(0)) ? Long.parseLong(parts[0]) : env.get(parts[0]);
            if (parts.length == 1) return base;
            return parts[1].equals("+") ? base + Long.parseLong(parts[2]) : base * Long.parseLong(parts[2]);
        }

        /** What a step unfolds into under {@code env}, saturated at HUGE. */
        private long size(Step step, Map<String, Long> env) {
            long times = step.repeat() == null ? 1 : value(step.repeat(), env);
            if (times < 1 || times > 10_000) {
                clean = false;
                times = 1;
            }
            long unit = 1;
            if (step.block() >= 0) {
                Map<String, Long> inner = new LinkedHashMap<>();
                List<String> ps = params.get(step.block());
                for (int i = 0; i < ps.size(); i++) {
                    long v = value(step.args().get(i), env);
                    if (v > 1_000_000_000L) clean = false; // a repeat count from it would be out of range anyway
                    inner.put(ps.get(i), Math.min(v, 1_000_000_000L));
                }
                String key = step.block() + "" + inner;
                Long body = sizes.get(key);
                if (body == null) {
                    long sum = 0;
                    for (List<Step> chain : bodies.get(step.block())) for (Step st : chain) sum = Math.min(HUGE, sum + size(st, inner));
                    sizes.put(key, body = sum);
                }
                unit = Math.min(HUGE, 1 + body);
            }
            return Math.min(HUGE, times * unit);
        }

        private void expect() {
            long total = 0;
            for (int i = 0; i < modelSteps.size(); i++) {
                long s = size(modelSteps.get(i), Map.of());
                if (refusedAt < 0 && total + s > LIMIT) {
                    refusedAt = i;
                    expandedBefore = total;
                }
                total = Math.min(HUGE, total + s);
            }
            if (refusedAt < 0) expandedBefore = total;
        }

        /** What the checker got wrong about this bomb, or null. */
        String verdict(Compilation c) {
            List<Diagnostic> diags = c.diagnostics().sorted();
            if (refusedAt < 0) {
                if (!diags.isEmpty()) return "a model of " + expandedBefore + " steps is within the limit, but: " + diags;
                if (c.work().expanded() != expandedBefore) return "expanded " + c.work().expanded() + ", not " + expandedBefore;
                return null;
            }
            if (diags.size() != 1 || diags.get(0).code() != Code.TOO_MANY_LAYERS) {
                return "expected one " + Code.TOO_MANY_LAYERS.id() + " at `" + modelTexts.get(refusedAt) + "`, got " + diags;
            }
            Span at = diags.get(0).span();
            if (at.start() != modelOffsets.get(refusedAt) || !at.text().equals(modelTexts.get(refusedAt))) {
                return "refused at `" + at.text() + "` (" + at.location() + "), not at `" + modelTexts.get(refusedAt) + "`";
            }
            if (c.work().expanded() != expandedBefore) {
                return "expanded " + c.work().expanded() + " before refusing, not the " + expandedBefore + " steps before the use";
            }
            return null;
        }
    }

    // ------------------------------------------------------------------ (d) extremes, by hand

    @Test
    void extremes() {
        Map<String, Supplier<String>> cases = new LinkedHashMap<>();
        String model = "model M(x [28, 28, 1]) -> [10] {\n    %s\n}\n";
        cases.put("empty file", () -> "");
        cases.put("only a newline", () -> "\n");
        cases.put("only a BOM", () -> "\ufeff");
        cases.put("NUL bytes", () -> "\u0000\u0000model\u0000");
        cases.put("500 open parentheses", () -> String.format(model, "dense " + "(".repeat(500) + "1" + ")".repeat(500)));
        cases.put("500 open parentheses, unclosed", () -> String.format(model, "dense " + "(".repeat(500)));
        cases.put("500 nested shapes", () -> String.format(model, "reshape " + "[".repeat(500) + "1" + "]".repeat(500)));
        cases.put("500 minus signs", () -> String.format(model, "dense " + "-".repeat(500) + "1"));
        cases.put("500 open braces", () -> "{".repeat(500));
        cases.put("500 calls", () -> String.format(model, "add(".repeat(500)));
        cases.put("500 nested calls in a loss", () -> String.format(model, "flatten -> dense 10")
            + "train M on d {\n    loss " + "mean(".repeat(500) + "output" + ")".repeat(500) + "\n}\n");
        cases.put("500 nested sums, unclosed", () -> String.format(model, "dense " + "((1 + ".repeat(500)));
        cases.put("import without a path", () -> "import\n" + String.format(model, "flatten"));
        cases.put("long arithmetic", () -> "block b(n) {\n    dense (" + "n + ".repeat(3000) + "1)\n}\n"
            + String.format(model, "flatten -> b(1)"));
        cases.put("huge integer", () -> String.format(model, "conv 99999999999999 3"));
        cases.put("huge size", () -> String.format(model, "conv 8 99999999999999x99999999999999"));
        cases.put("huge shape", () -> "model M(x [99999999999999, 99999999999999]) {\n    dense 1\n}\n");
        cases.put("max int shape", () -> "model M(x [2147483647, 2147483647, 2147483647]) {\n    flatten\n    dense 1\n}\n");
        cases.put("overflowing shape product", () -> "model M(x [65536, 65536, 65536, 65536]) {\n    conv 1 1\n    flatten\n}\n");
        cases.put("huge exponent", () -> String.format(model, "dropout 1e999999999"));
        cases.put("padding -5", () -> String.format(model, "conv 8 3 padding -5"));
        cases.put("padding huge", () -> String.format(model, "conv 8 3 padding 2147483647"));
        cases.put("kernel 0", () -> String.format(model, "conv 8 0"));
        cases.put("dilation huge", () -> String.format(model, "conv 8 3 dilation 2147483647"));
        cases.put("upsample huge", () -> String.format(model, "upsample 2147483647"));
        cases.put("zeropad huge", () -> String.format(model, "zeropad 2147483647"));
        cases.put("reshape overflow", () -> String.format(model, "reshape [2147483647, 2147483647, 2147483647, ?]"));
        cases.put("reshape zeros", () -> String.format(model, "reshape [0, ?]"));
        cases.put("concat axis huge", () -> "model M(a [2, 3], b [2, 3]) {\n    concat(a, b, axis = -2147483648)\n}\n");
        cases.put("embedding huge", () -> "model M(t [100]) {\n    embedding 2147483647 2147483647\n}\n");
        cases.put("self import", () -> "import \"fuzz_input.dlx\"\n" + String.format(model, "flatten"));
        cases.put("import directory", () -> "import \"classic\"\n" + String.format(model, "flatten"));
        cases.put("CR only", () -> String.format(model, "flatten\r    dense 10").replace("\n", "\r"));
        cases.put("lone surrogates", () -> String.format(model, "dense \ud800 10 \udc00"));
        // The large ones last: while the compiler is slow on them, they time out without disturbing the rest.
        cases.put("long line", () -> String.format(model, "relu -> ".repeat(10_000) + "flatten"));
        cases.put("many statements", () -> String.format(model, "relu\n    ".repeat(10_000) + "flatten"));
        cases.put("long identifier", () -> String.format(model, "a".repeat(100_000)));
        cases.put("long string", () -> "import \"" + "x".repeat(100_000) + "\"\n");
        cases.put("long comment", () -> "/*" + "*".repeat(100_000));
        // runs of separators: the grammar decides each run once (its optional separators do not compete)
        cases.put("200,000 blank lines", () -> "\n".repeat(200_000));
        cases.put("200,000 semicolons in a body", () -> String.format(model, ";".repeat(200_000) + "\n    flatten"));
        cases.put("100,000 separators in a dataset", () -> "dataset d {" + "\n;".repeat(100_000) + "}\n");
        cases.put("deep blocks", () -> {
            StringBuilder s = new StringBuilder("block b0 {\n    relu\n}\n");
            for (int i = 1; i < 300; i++) s.append("block b").append(i).append(" {\n    b").append(i - 1).append("\n}\n");
            return s + String.format(model, "b299");
        });
        cases.put("exponential blocks", () -> { // 2^24 layers: must be refused, not expanded
            StringBuilder s = new StringBuilder("block b0 {\n    relu\n}\n");
            for (int i = 1; i <= 24; i++) {
                s.append("block b").append(i).append(" {\n    b").append(i - 1).append("\n    b").append(i - 1).append("\n}\n");
            }
            return s + String.format(model, "b24");
        });
        cases.put("nested repeats", () -> "block b {\n    relu * 10000\n}\n" + String.format(model, "b * 10000"));
        cases.put("repeat 10000", () -> "block c(n) {\n    conv n 1 -> relu\n}\n" + String.format(model, "c(4) * 10000"));
        cases.put("repeat of a huge parameter", () -> "block c(n) {\n    relu * n\n}\n" + String.format(model, "c(99999999999)"));
        // The issue's slow inputs, and their kin: each is refused with its diagnostic, within the counted budget.
        String small = "model M(x [4]) {\n    %s\n}\n";
        Map<String, Code> refusedWith = new LinkedHashMap<>();
        refusedWith.put("20,000 open parentheses, unclosed", Code.TOO_DEEP);
        cases.put("20,000 open parentheses, unclosed", () -> String.format(small, "dense " + "(".repeat(20_000)));
        refusedWith.put("20,000 parentheses", Code.TOO_DEEP);
        cases.put("20,000 parentheses", () -> String.format(small, "dense " + "(".repeat(20_000) + "1" + ")".repeat(20_000)));
        refusedWith.put("20,000 nested shapes, unclosed", Code.TOO_DEEP);
        cases.put("20,000 nested shapes, unclosed", () -> String.format(small, "reshape " + "[".repeat(20_000)));
        refusedWith.put("20,000 calls", Code.TOO_DEEP);
        cases.put("20,000 calls", () -> String.format(small, "add(".repeat(20_000)));
        refusedWith.put("20,000 nested sums, unclosed", Code.TOO_DEEP);
        cases.put("20,000 nested sums, unclosed", () -> String.format(small, "dense " + "((1 + ".repeat(20_000)));
        refusedWith.put("20,000 minus signs in parentheses", Code.TOO_DEEP);
        cases.put("20,000 minus signs in parentheses", () -> String.format(small, "dense (" + "-".repeat(20_000) + "1)"));
        refusedWith.put("20,000 open braces", Code.TOO_DEEP);
        cases.put("20,000 open braces", () -> "{".repeat(20_000));
        refusedWith.put("20,000 nested dataset blocks", Code.TOO_DEEP);
        cases.put("20,000 nested dataset blocks", () -> "dataset d {\n" + "a {".repeat(20_000));
        refusedWith.put("20,000 parentheses on each of 50 lines", Code.TOO_DEEP);
        cases.put("20,000 parentheses on each of 50 lines", () -> String.format(small, ("dense " + "(".repeat(20_000) + "\n    ").repeat(50)));
        refusedWith.put("exponential blocks", Code.TOO_MANY_LAYERS);
        refusedWith.put("nested repeats", Code.TOO_MANY_LAYERS);
        refusedWith.put("exponential blocks with parameters", Code.TOO_MANY_LAYERS);
        cases.put("exponential blocks with parameters", () -> { // each level doubles its parameter and uses the one below it twice
            StringBuilder s = new StringBuilder("block p0(n) {\n    relu * n\n}\n");
            for (int i = 1; i <= 30; i++) {
                s.append("block p").append(i).append("(n) {\n    p").append(i - 1).append("(n + 1)\n    p").append(i - 1).append("(n * 2)\n}\n");
            }
            return s + String.format(model, "p30(1)");
        });
        refusedWith.put("an expansion error in every model", Code.TOO_MANY_LAYERS);
        cases.put("an expansion error in every model", () -> {
            StringBuilder s = new StringBuilder("block b {\n    relu * 10000\n}\n");
            for (int i = 0; i < 50; i++) s.append("model M").append(i).append("(x [4]) {\n    b * 11\n}\n");
            return s.toString();
        });
        List<String> failures = new ArrayList<>();
        long seed = 0;
        for (Map.Entry<String, Supplier<String>> c : cases.entrySet()) {
            Input in = new Input("extreme: " + c.getKey(), seed++, SYNTHETIC, c.getValue().get());
            String[] problem = new String[1];
            if (runBounded(c.getKey(), EXTREME_HANG_SECONDS, () -> {
                Compilation out;
                try {
                    out = compile(in.path(), in.text());
                } catch (Throwable t) {
                    problem[0] = "compile threw " + trace(t);
                    return;
                }
                problem[0] = check(out);
                Code wanted = refusedWith.get(c.getKey());
                if (problem[0] == null && wanted != null && out.diagnostics().sorted().stream().noneMatch(d -> d.code() == wanted)) {
                    problem[0] = "no " + wanted.id() + " (" + wanted.title() + ") among " + out.diagnostics().sorted();
                }
            }) != null) {
                problem[0] = "no answer within " + EXTREME_HANG_SECONDS + " s: a hang (the counted budgets should have stopped it)";
            }
            if (problem[0] != null) failures.add(describe(in, problem[0]));
        }
        System.out.println("FuzzTest extremes: " + cases.size() + " inputs, " + failures.size() + " failure(s)");
        if (!failures.isEmpty()) {
            fail("extremes: " + failures.size() + " of " + cases.size() + " inputs failed:\n\n" + String.join("\n\n", failures));
        }
    }
}
