package dev.dlx.runtime.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.runtime.run.ConsoleListener;
import dev.dlx.runtime.run.RunOptions;
import dev.dlx.runtime.run.Runner;
import dev.dlx.runtime.run.SavedRun;
import dev.dlx.runtime.train.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Skip-gram with negative sampling trained end to end on a text of two topics: sentences of words
 * a0..a9 and sentences of words b0..b9, in random order. Words that occur together must end up
 * more similar (by cosine) than words that never do, by a clear margin, with a fixed seed.
 */
class SkipGramTrainingTest {
    @TempDir Path dir;

    @Test
    void cooccurringWordsAreMoreSimilarThanOthers() throws Exception {
        Random r = new Random(4);
        StringBuilder text = new StringBuilder();
        for (int s = 0; s < 600; s++) {
            char topic = r.nextBoolean() ? 'a' : 'b';
            for (int w = 0; w < 6; w++) text.append(topic).append(r.nextInt(10)).append(' ');
            text.append(".\n");
        }
        Files.writeString(dir.resolve("topics.txt"), text.toString());
        Path main = dir.resolve("main.dlx");
        Files.writeString(main, """
            dataset topics {
                source text "topics.txt" vocab 23 examples skipgram window 3 negatives 3 subsample 0
                batch 64
            }
            model Words(w [?]) -> [?, 8] {
                embedding 23 8
            }
            model Targets(w [?]) -> [?, 8] {
                embedding 23 8
            }
            model SkipGram(context [1], target [1], negatives [3]) {
                let c = context -> Words
                let t = target -> Targets
                let n = negatives -> Targets
                return c, t, n
            }
            train SkipGram on topics {
                loss -(sum(log_sigmoid(dot(t, c))) + sum(log_sigmoid(-dot(n, c))))
                optimizer adam lr 1e-2
                epochs 3
                seed 3
            }
            """);
        Fixtures.Output out = new Fixtures.Output();
        Runner runner = new Runner(out.outWriter, out.errWriter, out.bar, null);
        assertEquals(0, runner.run(main, RunOptions.defaults().withRuns(dir.resolve("runs")).withProgress(ConsoleListener.Mode.PLAIN)), out.toString());
        SavedRun run = SavedRun.open(runner.results().get(0).folder(), null, out.errWriter);
        WordVectors v = RunVectors.of(run, null);
        assertEquals(23, v.size());
        double same = 0, other = 0;
        int ns = 0, no = 0;
        for (int i = 0; i < 10; i++) {
            for (int j = 0; j < 10; j++) {
                for (char x : new char[] {'a', 'b'}) {
                    if (i != j) {
                        same += v.cosine(v.require(x + "" + i), v.require(x + "" + j));
                        ns++;
                    }
                }
                other += v.cosine(v.require("a" + i), v.require("b" + j));
                no++;
            }
        }
        same /= ns;
        other /= no;
        assertTrue(same > other + 0.3, "mean cosine within a topic " + same + ", across topics " + other);
        assertTrue(v.nearest("a3", 5).stream().allMatch(n -> n.word().startsWith("a")), v.nearest("a3", 5).toString());
    }
}
