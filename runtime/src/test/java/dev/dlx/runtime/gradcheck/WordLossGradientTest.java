package dev.dlx.runtime.gradcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.runtime.train.Fixtures;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The word-embedding losses as `samples/word2vec_moby.dlx` writes them: analytical gradients against central differences. */
class WordLossGradientTest {
    static final String TEXT = "the cat sat on the mat. the dog sat on the log.\n";

    @Test
    void negativeSamplingLossThroughSharedEmbeddings(@TempDir Path dir) throws Exception {
        var c = Fixtures.compile(dir, """
            dataset tiny {
                source text "tiny.txt" vocab 12 examples skipgram window 2 negatives 3 subsample 0 seed 1
            }
            model Words(w [?]) -> [?, 4] {
                embedding 12 4
            }
            model Targets(w [?]) -> [?, 4] {
                embedding 12 4
            }
            model SkipGram(context [1], target [1], negatives [3]) {
                let c = context -> Words
                let t = target -> Targets
                let n = negatives -> Targets
                return c, t, n
            }
            train SkipGram on tiny {
                loss -(sum(log_sigmoid(dot(t, c))) + sum(log_sigmoid(-dot(n, c))))
                optimizer sgd
            }
            """, Map.of("tiny.txt", TEXT));
        var t = c.trainings().get(0);
        GradientCheckReport report = GradientCheck.run(c.models().get("SkipGram"),
            GradientCheck.Options.of(dev.dlx.compiler.train.Loss.MSE).withObjective(t.objective()));
        assertEquals(Set.of("Words/embedding_1", "Targets/embedding_1"), report.byLayer().keySet(),
            "both tables, the targets' reached through the target and the negatives");
        assertTrue(Double.isFinite(report.maxRelativeError()), report.format());
        assertTrue(report.passes(GradientCheckTest.TOLERANCE), "largest relative error " + report.maxRelativeError() + "\n" + report.format());
    }

    @Test
    void gloveLossThroughVectorsAndBiases(@TempDir Path dir) throws Exception {
        var c = Fixtures.compile(dir, """
            dataset tiny {
                source text "tiny.txt" vocab 12 examples cooccurrence window 3
            }
            model Glove(target [1], context [1], count [1]) {
                let theta = target -> embedding 12 3
                let e = context -> embedding 12 3
                let b = target -> embedding 12 1
                let bc = context -> embedding 12 1
                return theta, e, b, bc
            }
            train Glove on tiny {
                loss sum(min(1, pow(count / 100, 0.75)) * square(dot(theta, e) + b + bc - log(count)))
                optimizer adam
            }
            """, Map.of("tiny.txt", TEXT));
        var t = c.trainings().get(0);
        GradientCheckReport report = GradientCheck.run(c.models().get("Glove"),
            GradientCheck.Options.of(dev.dlx.compiler.train.Loss.MSE).withObjective(t.objective()));
        assertEquals(Set.of("theta", "e", "b", "bc", "count"), report.byLayer().keySet(), "the count is an input, drawn above 0 for its log");
        assertTrue(Double.isFinite(report.maxRelativeError()), report.format());
        assertTrue(report.passes(GradientCheckTest.TOLERANCE), "largest relative error " + report.maxRelativeError() + "\n" + report.format());
    }
}
