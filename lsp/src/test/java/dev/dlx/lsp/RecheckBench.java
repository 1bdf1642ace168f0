package dev.dlx.lsp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;

/**
 * How long after an edit fresh diagnostics arrive, for a 2,000-line file: the time from sending
 * `didChange` (one keystroke-sized edit) to receiving `publishDiagnostics` for that version, over
 * the real protocol (LSP4J on piped streams), debounce included. Not a unit test: a number to
 * report. Run from the repository root after `mvn -q -o -B install -DskipTests`:
 * <pre>
 * mvn -q -o -B test-compile dependency:build-classpath -pl lsp -Dmdep.outputFile=/tmp/lsp.cp
 * java -cp lsp/target/test-classes:lsp/target/classes:$(cat /tmp/lsp.cp) dev.dlx.lsp.RecheckBench
 * </pre>
 */
public final class RecheckBench {
    private RecheckBench() {}

    /** Blocks and models of ordinary size, with comments, up to {@code lines} lines. */
    static String program(int lines) {
        StringBuilder s = new StringBuilder("// generated for the re-check benchmark\n\n");
        s.append("block convbn(filters, k = 3) {\n    conv filters k padding same bias false -> batchnorm -> relu\n}\n\n");
        s.append("block residual(filters) {\n    let y = input -> convbn(filters) -> conv filters 3 padding same bias false -> batchnorm\n")
         .append("    add(input, y) -> relu\n}\n\n");
        int n = 0;
        while (count(s) < lines - 24) {
            n++;
            s.append("// model ").append(n).append(": a small residual network\n");
            s.append("model Net").append(n).append("(image [32, 32, 3]) -> [10] {\n");
            s.append("    convbn(32)\n    residual(32)\n    residual(32)\n    maxpool 2\n");
            s.append("    convbn(64)\n    residual(64)\n    maxpool 2\n");
            s.append("    conv 128 3 padding same bias false -> batchnorm -> relu\n");
            s.append("    let features = global_avgpool\n");
            s.append("    features -> dense 128 -> relu\n    dropout 0.3\n");
            for (int i = 0; i < 5; i++) s.append("    dense 128 -> relu  // hidden ").append(i + 1).append('\n');
            s.append("    dense 10 -> softmax\n}\n\n");
        }
        while (count(s) < lines) s.append("// padding line\n");
        return s.toString();
    }

    private static int count(CharSequence s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) == '\n') n++;
        return n;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--write")) { // the file alone, for other benchmarks
            Files.writeString(Path.of(args[1]), program(args.length > 2 ? Integer.parseInt(args[2]) : 2000));
            return;
        }
        int lines = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        Path dir = Files.createTempDirectory("dlx-bench");
        String text = program(lines);
        Path file = Files.writeString(dir.resolve("big.dlx"), text);
        String uri = file.toUri().toString();
        String anchor = "    dropout 0.3\n";
        int line = 0;
        int at = text.lastIndexOf(anchor);
        for (int i = 0; i < at; i++) if (text.charAt(i) == '\n') line++;
        try (LspSession session = new LspSession(dir)) {
            session.open(uri, text, 1);
            PublishDiagnosticsParams first = session.diagnostics(uri, 1);
            System.out.printf(Locale.ROOT, "file: %d lines, %d characters; first check: %d diagnostics%n",
                count(text), text.length(), first.getDiagnostics().size());
            List<Double> millis = new ArrayList<>();
            int version = 1;
            for (int r = 0; r < rounds; r++) {
                // Alternate `dropout 0.3` and `dropout 0.9` (a lint) on the last model: one character typed.
                Position p = new Position(line, "    dropout 0.".length());
                version++;
                long start = System.nanoTime();
                session.edit(uri, new Range(p, new Position(line, p.getCharacter() + 1)), r % 2 == 0 ? "9" : "3", version);
                PublishDiagnosticsParams got = session.diagnostics(uri, version);
                double ms = (System.nanoTime() - start) / 1e6;
                boolean lint = got.getDiagnostics().stream().anyMatch(d -> d.getCode().getLeft().equals("DLX1007"));
                if (lint != (r % 2 == 0)) throw new AssertionError("stale diagnostics in round " + r);
                if (r >= rounds / 3) millis.add(ms); // the first third warms the JIT up
                Thread.sleep(50);
            }
            Collections.sort(millis);
            System.out.printf(Locale.ROOT, "edit -> fresh diagnostics over %d edits (after %d warm-up edits), debounce %d ms included:%n",
                millis.size(), rounds - millis.size(), DlxLanguageServer.DEFAULT_DEBOUNCE_MILLIS);
            System.out.printf(Locale.ROOT, "  min %.1f ms, median %.1f ms, p90 %.1f ms, max %.1f ms%n",
                millis.get(0), millis.get(millis.size() / 2), millis.get((int) (millis.size() * 0.9)), millis.get(millis.size() - 1));
        }
    }
}
