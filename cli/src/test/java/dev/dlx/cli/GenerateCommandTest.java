package dev.dlx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dlx.cli.CheckCommandTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `dlxc generate` on a tiny language model trained for one epoch, and the sequence samples' checks. */
class GenerateCommandTest {
    private static final Path REPO = Path.of(System.getProperty("dlx.repo", ".."));

    private static final String LM = """
        dataset txt {
            source text "t.txt" tokens char vocab 16 window 4 stride 1
            split train 80%, val 20%
            batch 16
        }
        model Tiny(chars [4]) -> [16] {
            embedding 16 4
            lstm 8
            dense 16 -> softmax
        }
        train Tiny on txt {
            loss sparse_categorical_crossentropy
            optimizer adam lr 1e-2
            init glorot_uniform seed 1
            epochs 1
            metrics perplexity
        }
        """;

    private static Path train(Path dir) throws IOException {
        Files.writeString(dir.resolve("t.txt"), "the cat sat on the mat. ".repeat(20));
        Path file = dir.resolve("lm.dlx");
        Files.writeString(file, LM);
        Path runs = dir.resolve("runs");
        Run r = CheckCommandTest.dlxc("run", "--progress=quiet", "--seed=3", "--runs=" + runs, file.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("unigram baseline perplexity"), r.out());
        try (Stream<Path> s = Files.list(runs)) {
            return s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    @Test
    void beamOfOneGivesTheGreedyTextAndBadPrimesAreRefused(@TempDir Path dir) throws IOException {
        Path run = train(dir);
        Run greedy = CheckCommandTest.dlxc("generate", run.toString(), "--prime", "the ", "--length", "12", "--method", "greedy");
        assertEquals(0, greedy.code(), greedy.err());
        Run beam1 = CheckCommandTest.dlxc("generate", run.toString(), "--prime", "the ", "--length", "12", "--method", "beam", "--beam", "1");
        assertEquals(0, beam1.code(), beam1.err());
        assertEquals(greedy.out(), beam1.out());
        assertTrue(greedy.out().startsWith("the "), greedy.out());
        assertEquals("the ".length() + 12 + System.lineSeparator().length(), greedy.out().length(), greedy.out());
        // the same seed samples the same text; the .dlx file finds its newest run
        Run s1 = CheckCommandTest.dlxc("generate", run.toString(), "--prime", "cat", "--seed", "5", "--temperature", "0.8");
        Run s2 = CheckCommandTest.dlxc("generate", dir.resolve("lm.dlx").toString(), "--runs", dir.resolve("runs").toString(),
            "--prime", "cat", "--seed", "5", "--temperature", "0.8");
        assertEquals(0, s1.code(), s1.err());
        assertEquals(s1.out(), s2.out());

        Run unknown = CheckCommandTest.dlxc("generate", run.toString(), "--prime", "the dog");
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("outside the model's vocabulary: `d`, `g`"), unknown.err());
        Run alpha = CheckCommandTest.dlxc("generate", run.toString(), "--prime", "the", "--method", "beam", "--alpha", "2");
        assertEquals(2, alpha.code());
        assertTrue(alpha.err().contains("--alpha must lie between 0.5 and 1"), alpha.err());
        Run method = CheckCommandTest.dlxc("generate", run.toString(), "--prime", "the", "--method", "topk");
        assertEquals(2, method.code());
        assertTrue(method.err().contains("--method takes greedy, sample or beam, not `topk`"), method.err());
    }

    @Test
    void aClassifierIsNotALanguageModel(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("gru.dlx");
        Files.writeString(file, Files.readString(REPO.resolve("samples/gru_classifier.dlx"))
            .replace("data/digits.csv.gz", REPO.resolve("samples/data/digits.csv.gz").toAbsolutePath().toString().replace("\\", "/"))
            .replace("epochs 40", "epochs 1"));
        Run r = CheckCommandTest.dlxc("run", "--progress=quiet", "--runs=" + dir.resolve("runs"), file.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        Run g = CheckCommandTest.dlxc("generate", file.toString(), "--runs", dir.resolve("runs").toString(), "--prime", "x");
        assertEquals(1, g.code());
        assertTrue(g.err().contains("model `RowGRU` was not trained as a language model"), g.err());
    }

    @Test
    void sequenceAndGraphSamplesCheckClean() {
        check("samples/gru_classifier.dlx", "Total params: 14,666");
        check("samples/inception_digits.dlx", "Non-trainable params: 464");
        assumeTrue(Files.exists(REPO.resolve("samples/data/fashion")), "Fashion-MNIST is not installed (samples/data/fetch.sh fashion-mnist)");
        check("samples/resnet_fashion.dlx", "Total params: 77,866");
        assumeTrue(Files.exists(REPO.resolve("samples/data/moby-dick/moby-dick.txt")), "Moby Dick is not installed (samples/data/fetch.sh moby-dick)");
        check("samples/char_lstm.dlx", "Total params: 187,200");
    }

    private static void check(String sample, String expected) {
        Run r = CheckCommandTest.dlxc("check", "--color=never", REPO.resolve(sample).toString());
        assertEquals(0, r.code(), sample + ": " + r.out() + r.err());
        assertTrue(r.out().contains(expected), sample + ": " + r.out());
        assertTrue(r.out().contains("check passed: 0 errors, 0 warnings"), sample + ": " + r.out());
    }
}
