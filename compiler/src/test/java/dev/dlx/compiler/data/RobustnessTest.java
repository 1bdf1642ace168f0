package dev.dlx.compiler.data;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.SourceFile;
import dev.dlx.compiler.syntax.Decl;
import dev.dlx.compiler.syntax.Parser;
import dev.dlx.compiler.syntax.Program;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad input never crashes the dataset checker: every statement with every kind of argument. */
class RobustnessTest {

    static final List<String> ARGS = Snippets.ODD_ARGS;

    static final List<String> SOURCES = List.of("csv \"data/digits.csv.gz\"", "tsv \"data/iris.csv\"", "idx \"data/digits.csv.gz\"",
        "images \"data\"", "images \"data/iris.csv\"", "text \"data/iris.csv\"", "csv \"/dev/null\"", "csv \"data\"",
        "csv \"\"", "idx \"missing.gz\"");

    /** Checks every snippet; returns how many ran. Fails with the snippet that threw. */
    static int run(List<String> snippets) {
        int ran = 0;
        for (String text : snippets) {
            Diagnostics sink = new Diagnostics();
            Program p = Parser.parse(SourceFile.of("fuzz.dlx", text), sink);
            for (Decl.Dataset d : p.all(Decl.Dataset.class)) {
                try {
                    DatasetChecker.check(d, Snippets.samples(), sink);
                    ran++;
                } catch (RuntimeException | StackOverflowError e) {
                    fail("the dataset checker threw on:\n" + text, e);
                }
            }
        }
        return ran;
    }

    @Test
    void everyStatementWithOddArguments() {
        List<String> snippets = new ArrayList<>();
        for (String word : DatasetChecker.STATEMENTS) {
            for (String a : ARGS) {
                for (String b : List.of("", "1", "foo 0.5", "\"s\"", "[8, 8, 1]", "{ x 1 }")) {
                    snippets.add("dataset d {\n    source csv \"data/digits.csv.gz\" { features 0..63, label 64 }\n    "
                        + word + " " + a + " " + b + "\n}\n");
                }
            }
        }
        assertTrue(run(snippets) > snippets.size() / 2);
    }

    @Test
    void sourcesAndStepsWithOddArguments() {
        List<String> snippets = new ArrayList<>();
        for (String s : SOURCES) {
            for (String a : ARGS) {
                snippets.add("dataset d {\n    source " + s + " " + a + "\n    labels classes 3\n    features flatten\n}\n");
                snippets.add("dataset d {\n    source " + s + " { features " + a + " }\n}\n");
                for (String step : List.of("reshape", "scale", "resize", "grayscale", "flatten")) {
                    snippets.add("dataset d {\n    source " + s + "\n    features " + step + " " + a + " reshape [8, 8, 1] " + step + "\n}\n");
                }
                for (String aug : List.of("flip", "rotate", "crop", "shift", "zoom", "shear", "noise", "erase", "contrast", "brightness",
                        "colorshift")) {
                    snippets.add("dataset d {\n    source " + s + "\n    features reshape [?, 8, 1]\n    augment train {\n        "
                        + aug + " " + a + "\n        " + aug + " p " + a + "\n    }\n}\n");
                }
            }
        }
        assertTrue(run(snippets) > snippets.size() / 2);
    }
}
