package dev.dlx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dlx.cli.CheckCommandTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `dlxc embed` on a skip-gram model trained for two epochs on a tiny text, and the embedding samples' checks. */
class EmbedCommandTest {
    private static final Path REPO = Path.of(System.getProperty("dlx.repo", ".."));

    private static final String SKIPGRAM = """
        dataset tiny {
            source text "t.txt" vocab 16 examples skipgram window 2 negatives 2 subsample 0 seed 1
            batch 16
        }
        model Words(w [?]) -> [?, 4] {
            embedding 16 4
        }
        model Targets(w [?]) -> [?, 4] {
            embedding 16 4
        }
        model SkipGram(context [1], target [1], negatives [2]) {
            let c = context -> Words
            let t = target -> Targets
            let n = negatives -> Targets
            return c, t, n
        }
        train SkipGram on tiny {
            loss -(sum(log_sigmoid(dot(t, c))) + sum(log_sigmoid(-dot(n, c))))
            optimizer adam lr 1e-2
            epochs 2
        }
        """;

    private static Path train(Path dir) throws IOException {
        Files.writeString(dir.resolve("t.txt"), "the cat sat on the mat. the dog sat on the log.\n".repeat(10));
        Path file = dir.resolve("sg.dlx");
        Files.writeString(file, SKIPGRAM);
        Run r = CheckCommandTest.dlxc("run", "--progress=quiet", "--seed=3", "--runs=" + dir.resolve("runs"), file.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
            return s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    @Test
    void nearestAnalogyExportAndPlot(@TempDir Path dir) throws IOException {
        Path run = train(dir);
        Run near = CheckCommandTest.dlxc("embed", run.toString(), "--nearest", "cat", "-k", "3");
        assertEquals(0, near.code(), near.err());
        List<String> lines = near.out().lines().toList();
        assertEquals("nearest to `cat`:", lines.get(0));
        assertEquals(4, lines.size(), near.out());
        assertTrue(near.err().contains("16 words, 4 dimensions"), near.err());
        Run analogy = CheckCommandTest.dlxc("embed", run.toString(), "--analogy", "cat", "dog", "mat", "-k", "2");
        assertEquals(0, analogy.code(), analogy.err());
        assertTrue(analogy.out().startsWith("cat : dog :: mat : ?"), analogy.out());

        Path vectors = dir.resolve("v.txt"), map = dir.resolve("map.png");
        Run export = CheckCommandTest.dlxc("embed", dir.resolve("sg.dlx").toString(), "--runs", dir.resolve("runs").toString(),
            "--export", vectors.toString(), "--plot", map.toString(), "--words", "8", "--perplexity", "2");
        assertEquals(0, export.code(), export.err());
        List<String> v = Files.readAllLines(vectors);
        assertEquals("10 4", v.get(0), "<pad>, <unk> and the 8 words; unused rows are left out");
        assertEquals(5, v.get(3).split(" ").length);
        assertTrue(Files.size(map) > 1000 && export.out().contains("8 words, t-SNE perplexity 2.0"), export.out());
    }

    @Test
    void mistakesAreMessages(@TempDir Path dir) throws IOException {
        Path run = train(dir);
        Run unknown = CheckCommandTest.dlxc("embed", run.toString(), "--nearest", "cats");
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("`cats` is not in the vocabulary of 16 words (did you mean `cat`?)"), unknown.err());
        Run nothing = CheckCommandTest.dlxc("embed", run.toString());
        assertEquals(2, nothing.code());
        assertTrue(nothing.err().contains("say what to do"), nothing.err());
        Run table = CheckCommandTest.dlxc("embed", run.toString(), "--nearest", "cat", "--table", "Nope");
        assertEquals(1, table.code());
        assertTrue(table.err().contains("the tables are `Words/embedding_1`, `Targets/embedding_1`"), table.err());
    }

    @Test
    void embeddingSamplesCheckClean() {
        assumeTrue(Files.exists(REPO.resolve("samples/data/moby-dick/moby-dick.txt")), "Moby Dick is not installed (samples/data/fetch.sh moby-dick)");
        for (String[] s : new String[][] {{"samples/word2vec_moby.dlx", "Total params: 1,000,000"}, {"samples/glove_moby.dlx", "Total params: 510,000"}}) {
            Run r = CheckCommandTest.dlxc("check", "--color=never", REPO.resolve(s[0]).toString());
            assertEquals(0, r.code(), s[0] + ": " + r.out() + r.err());
            assertTrue(r.out().contains(s[1]), s[0] + ": " + r.out());
            assertTrue(r.out().contains("check passed: 0 errors, 0 warnings"), s[0] + ": " + r.out());
        }
    }
}
