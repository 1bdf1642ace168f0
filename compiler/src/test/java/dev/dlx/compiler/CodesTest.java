package dev.dlx.compiler;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.diag.Code;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every diagnostic code of the model checker (01xx syntax, 02xx names, 03xx arguments, 04xx
 * shapes), of loss and metric expressions (06xx), of the file's `search` block (0801-0803) and every graph lint has at least one golden case whose expected output shows it, so a
 * new code without a case fails here.
 */
class CodesTest {
    /** The lints about a model's graph; the data and training lints have their own cases. */
    static final Set<Code> GRAPH_LINTS = Set.of(Code.LINT_DROPOUT_IN_CONV, Code.LINT_BIAS_BEFORE_BATCHNORM,
        Code.LINT_HIGH_DROPOUT, Code.LINT_UNUSED_TENSOR);

    static boolean covered(Code c) {
        int n = Integer.parseInt(c.id().substring(3));
        return n >= 100 && n < 500 || n >= 600 && n < 700 || n >= 801 && n <= 803 || GRAPH_LINTS.contains(c);
    }

    @Test
    void everyCodeHasAGoldenCase() throws IOException {
        Set<String> seen = new TreeSet<>();
        Pattern p = Pattern.compile("(?:error|warning)\\[(DLX\\d{4})\\]");
        try (Stream<Path> walk = Files.walk(GoldenTest.CHECK_DIR)) {
            for (Path f : walk.filter(x -> x.toString().endsWith(".expected")).toList()) {
                Matcher m = p.matcher(Files.readString(f, StandardCharsets.UTF_8));
                while (m.find()) seen.add(m.group(1));
            }
        }
        List<String> missing = new ArrayList<>();
        for (Code c : Code.values()) {
            if (covered(c) && !seen.contains(c.id())) missing.add(c.id() + " (" + c.title() + ")");
        }
        assertTrue(missing.isEmpty(), "codes with no golden case under " + GoldenTest.CHECK_DIR + ": " + missing
            + "\nadd a case src/test/resources/check/<area>/<case>.dlx that shows each, then bless it");
    }
}
