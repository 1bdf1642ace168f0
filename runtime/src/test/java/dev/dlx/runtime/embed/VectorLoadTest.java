package dev.dlx.runtime.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.Compiler;
import dev.dlx.compiler.diag.Code;
import dev.dlx.runtime.run.ConsoleListener;
import dev.dlx.runtime.run.RunOptions;
import dev.dlx.runtime.run.Runner;
import dev.dlx.runtime.train.Checkpoint;
import dev.dlx.runtime.train.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `embedding V D load "vectors.txt"`: rows by the dataset's vocabulary, kept by `freeze`, errors for missing words and other widths. */
class VectorLoadTest {
    @TempDir Path dir;

    static final String TEXT = "the cat sat on the mat. the dog sat on the log.\n";
    static final List<String> WORDS = List.of("the", ".", "on", "sat", "cat", "dog", "log", "mat");
    static final List<String> BACKWARDS = List.of("mat", "log", "dog", "cat", "sat", "on", ".", "the");

    private static String program(String load, String train) {
        return """
            dataset tiny {
                source text "tiny.txt" vocab 12 examples skipgram window 2 negatives 2 subsample 0 seed 1
                batch 8
            }
            model Words(w [?]) -> [?, 3] {
                embedding 12 3 %s
            }
            model Targets(w [?]) -> [?, 3] {
                embedding 12 3
            }
            model SkipGram(context [1], target [1], negatives [2]) {
                let c = context -> Words
                let t = target -> Targets
                let n = negatives -> Targets
                return c, t, n
            }
            train SkipGram on tiny {
                loss -(sum(log_sigmoid(dot(t, c))) + sum(log_sigmoid(-dot(n, c))))
                optimizer sgd lr 0.5
                epochs 2
                %s
            }
            """.formatted(load, train);
    }

    private void vectors(String name, List<String> words, int dim) throws Exception {
        StringBuilder s = new StringBuilder(words.size() + " " + dim + "\n");
        for (int i = 0; i < words.size(); i++) {
            s.append(words.get(i));
            for (int d = 0; d < dim; d++) s.append(' ').append(i + 0.25 * d);
            s.append('\n');
        }
        Files.writeString(dir.resolve(name), s.toString());
    }

    private Runner.Result train(String program, Fixtures.Output out, int code) throws Exception {
        Files.writeString(dir.resolve("tiny.txt"), TEXT);
        Path main = dir.resolve("main.dlx");
        Files.writeString(main, program);
        Runner r = new Runner(out.outWriter, out.errWriter, out.bar, null);
        assertEquals(code, r.run(main, RunOptions.defaults().withRuns(dir.resolve("runs")).withProgress(ConsoleListener.Mode.PLAIN)), out.toString());
        return r.results().isEmpty() ? null : r.results().get(0);
    }

    @Test
    void frozenLoadedVectorsAreTheFilesRowsByVocabulary() throws Exception {
        vectors("v.txt", BACKWARDS, 3);
        Fixtures.Output out = new Fixtures.Output();
        Runner.Result r = train(program("load \"v.txt\"", "freeze Words"), out, 0);
        assertTrue(out.out.toString().contains("loaded the vectors of 8 words from v.txt into `Words/embedding_1`"), out.toString());
        Checkpoint c = Checkpoint.read(r.folder().resolve("last.npz"));
        float[] table = c.weights().get("Words/embedding_1/embeddings");
        List<String> vocabulary = new com.google.gson.Gson().fromJson(Files.readString(r.folder().resolve("vocabulary.json")),
            new com.google.gson.reflect.TypeToken<List<String>>() {}.getType());
        for (String w : WORDS) {
            int id = vocabulary.indexOf(w), row = BACKWARDS.indexOf(w);
            assertArrayEquals(new float[] {row, row + 0.25f, row + 0.5f}, java.util.Arrays.copyOfRange(table, id * 3, id * 3 + 3), 1e-6f, w);
        }
        float[] targets = c.weights().get("Targets/embedding_1/embeddings");
        assertTrue(Math.abs(targets[vocabulary.indexOf("the") * 3]) > 0, "the other table trains");
    }

    @Test
    void trainableLoadedVectorsMove() throws Exception {
        vectors("v.txt", WORDS, 3);
        Runner.Result r = train(program("load \"v.txt\"", ""), new Fixtures.Output(), 0);
        float[] table = Checkpoint.read(r.folder().resolve("last.npz")).weights().get("Words/embedding_1/embeddings");
        List<String> vocabulary = new com.google.gson.Gson().fromJson(Files.readString(r.folder().resolve("vocabulary.json")),
            new com.google.gson.reflect.TypeToken<List<String>>() {}.getType());
        int the = vocabulary.indexOf("the");
        assertTrue(Math.abs(table[the * 3] - 0) > 1e-4, "trained away from the loaded 0: " + table[the * 3]);
    }

    @Test
    void wordsTheFileLacksAreAnErrorUnlessKeptAtTheirInitialVectors() throws Exception {
        vectors("v.txt", WORDS.subList(0, 6), 3); // no "log", no "mat"
        Fixtures.Output out = new Fixtures.Output();
        train(program("load \"v.txt\"", ""), out, 1);
        assertTrue(out.err.toString().contains("2 words of the vocabulary are not in `v.txt`: `log`, `mat`")
            && out.err.toString().contains("unknown init"), out.toString());
        Fixtures.Output kept = new Fixtures.Output();
        train(program("load \"v.txt\" unknown init", ""), kept, 0);
        assertTrue(kept.out.toString().contains("loaded the vectors of 6 words from v.txt into `Words/embedding_1` (2 kept their initial vectors)"),
            kept.toString());
    }

    @Test
    void anotherWidthIsAnErrorOfTheCheck() throws Exception {
        vectors("v.txt", WORDS, 5);
        Files.writeString(dir.resolve("tiny.txt"), TEXT);
        Path main = dir.resolve("main.dlx");
        Files.writeString(main, program("load \"v.txt\"", ""));
        Compilation c = new Compiler().compile(main).orElseThrow();
        var errors = c.diagnostics().sorted().stream().filter(d -> d.code() == Code.DATA_FILE).toList();
        assertEquals(1, errors.size(), errors.toString());
        assertEquals("the vectors in `v.txt` have 5 dimensions, but the embedding's `dim` is 3", errors.get(0).message());
        assertEquals("write `embedding 12 5`", errors.get(0).help());
    }
}
