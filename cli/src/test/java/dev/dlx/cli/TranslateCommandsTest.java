package dev.dlx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.cli.CheckCommandTest.Run;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `dlxc generate`, `predict` and `evaluate` on a translator trained for one epoch: what each writes, and what each refuses. */
class TranslateCommandsTest {
    private static final String PROGRAM = """
        dataset pairs {
            source parallel "train.csv" val "val.csv" test "test.csv" tokens char vocab 12 length 6 target_vocab 12 target_length 5
            batch 8
        }
        model Reverse(source [6], previous [5]) -> [5, 12] {
            let encoded = source -> embedding 12 8 mask_zero -> lstm 8 bidirectional return_sequences
            let decoded = previous -> embedding 12 8 -> lstm 16 return_sequences
            let context = attention(decoded, encoded, score = scaled_dot)
            let target = concat(decoded, context) -> dense 12 -> softmax
        }
        train Reverse on pairs {
            loss sparse_categorical_crossentropy
            optimizer adam lr 1e-2
            init glorot_uniform seed 1
            epochs 1
        }
        """;

    private static String pairs(String... words) {
        StringBuilder s = new StringBuilder();
        for (String w : words) s.append(w).append(',').append(new StringBuilder(w).reverse()).append('\n');
        return s.toString();
    }

    private static Path train(Path dir) throws IOException {
        Files.writeString(dir.resolve("train.csv"), "source,target\n" + pairs("abc", "bca", "cab", "abcd", "dcb", "ba", "cd", "dab").repeat(4));
        Files.writeString(dir.resolve("val.csv"), "source,target\n" + pairs("acb", "bd"));
        Files.writeString(dir.resolve("test.csv"), "source,target\n" + pairs("adc", "cba", "db"));
        Path file = dir.resolve("reverse.dlx");
        Files.writeString(file, PROGRAM);
        Path runs = dir.resolve("runs");
        Run r = CheckCommandTest.dlxc("run", "--progress=quiet", "--seed=3", "--runs=" + runs, file.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        try (Stream<Path> s = Files.list(runs)) {
            return s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    @Test
    void translatesDrawsTheAttentionAndScores(@TempDir Path dir) throws IOException {
        Path run = train(dir);
        Path png = dir.resolve("attention.png");
        Run g = CheckCommandTest.dlxc("generate", run.toString(), "--source", "abc", "--method", "greedy", "--attention", png.toString());
        assertEquals(0, g.code(), g.toString());
        String translation = g.out().strip();
        assertTrue(translation.matches("[abcd]{0,4}"), "the target's characters, <end> not written: " + g);
        Matcher m = Pattern.compile("attention weights \\((\\d+) output x (\\d+) source tokens\\)").matcher(g.err());
        assertTrue(m.find(), g.err());
        int rows = Integer.parseInt(m.group(1)), cols = Integer.parseInt(m.group(2));
        assertEquals(translation.length() + 1, rows, "a row per output character and <end>");
        assertEquals(3, cols, "a column per source character, no padding");
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(70 + rows * 26 + 20, img.getHeight());
        assertEquals(Math.max(70 + cols * 26 + 20, 320), img.getWidth());

        Run beam1 = CheckCommandTest.dlxc("generate", run.toString(), "--source", "abc", "--beam", "1");
        assertEquals(translation, beam1.out().strip(), "a beam of one is greedy decoding");

        Path sources = dir.resolve("sources.csv");
        Files.writeString(sources, "source\nabc\n\"a,b\"\ndd\n");
        Run p = CheckCommandTest.dlxc("predict", run.toString(), sources.toString(), "--beam", "3");
        assertEquals(0, p.code(), p.toString());
        List<String> lines = p.out().strip().lines().toList();
        assertEquals("source,translation,log_p,score", lines.get(0));
        assertEquals(4, lines.size(), p.out());
        assertTrue(lines.get(2).startsWith("\"a,b\","), "a source with a comma is quoted: " + p.out());

        Run tooLong = CheckCommandTest.dlxc("generate", run.toString(), "--source", "abcdabcd");
        assertEquals(1, tooLong.code(), tooLong.toString());
        assertTrue(tooLong.err().contains("raise `length` to 8"), tooLong.err());
        Run sample = CheckCommandTest.dlxc("generate", run.toString(), "--source", "abc", "--method", "sample");
        assertEquals(2, sample.code(), sample.toString());
        assertTrue(sample.err().contains("greedy or beam"), sample.err());

        Run e = CheckCommandTest.dlxc("evaluate", run.toString(), "--beam", "2");
        assertEquals(0, e.code(), e.toString());
        assertTrue(e.out().contains("translations of pairs.test (beam 2") && e.out().contains("of 3)"), e.out());
        Matcher a = Pattern.compile("error analysis of (\\d+) wrong outputs.*at fault (\\d+) .*at fault (\\d+)").matcher(e.out());
        assertTrue(a.find(), e.out());
        assertEquals(Integer.parseInt(a.group(1)), Integer.parseInt(a.group(2)) + Integer.parseInt(a.group(3)), e.out());
    }
}
