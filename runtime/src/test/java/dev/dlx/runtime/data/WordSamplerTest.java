package dev.dlx.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.data.WordExamples;
import dev.dlx.runtime.train.Fixtures;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordSamplerTest {
    @TempDir Path dir;

    private static WordExamples skipgram(int window, int negatives, double subsample) {
        return new WordExamples(WordExamples.Kind.SKIPGRAM, window, negatives, subsample, OptionalInt.empty(), null);
    }

    @Test
    void wordTokensKeepPunctuationAndLineEndsAsAsked() throws Exception {
        String text = "Call me Ishmael. The whale's\nwake;";
        assertEquals(List.of("call", "me", "ishmael", ".", "the", "whale's", "wake", ";"), TextReader.tokens(text, false, true, false));
        assertEquals(List.of("call", "me", "ishmael", "the", "whale's", "wake"), TextReader.tokens(text, false, false, false));
        assertEquals(List.of("call", "me", "ishmael", ".", "the", "whale's", TextReader.EOL, "wake", ";"), TextReader.tokens(text, false, true, true));
        assertEquals("Call me Ishmael.", TextReader.prefix(text, false, true, false, 4), "the fourth token is the full stop");
    }

    @Test
    void subsamplingKeepsAWordWithProbabilitySqrtOfTOverItsFrequency() throws Exception {
        // f = 0.9 and 0.1 with t = 0.01: sqrt(0.01 / 0.9) = 0.105409, sqrt(0.1) = 0.316228
        double[] keep = WordSampler.keepProbabilities(new long[] {0, 0, 90, 10}, 0.01);
        assertEquals(0.105409, keep[2], 1e-6);
        assertEquals(0.316228, keep[3], 1e-6);
        assertEquals(1, WordSampler.keepProbabilities(new long[] {0, 0, 90, 10}, 0)[2], 0, "t = 0 keeps everything");
        assertEquals(1, WordSampler.keepProbabilities(new long[] {0, 0, 1, 99999}, 0.01)[2], 0, "rare words are always kept");

        // 9000 occurrences of word 2 and 1000 of word 3: about 949 and 316 are kept (std. dev. 29 and 15)
        int[] words = new int[10000];
        for (int i = 0; i < words.length; i++) words[i] = i % 10 == 0 ? 3 : 2;
        WordSampler s = WordSampler.of(skipgram(1, 1, 0.01), words, 4, 1);
        int[] kept = s.kept(new Random(5));
        long twos = Arrays.stream(kept).filter(w -> w == 2).count(), threes = kept.length - twos;
        assertEquals(9000 * 0.105409, twos, 120);
        assertEquals(1000 * 0.316228, threes, 60);
    }

    @Test
    void negativesFollowTheUnigramDistributionToThePowerThreeQuarters() throws Exception {
        // counts 16 and 1: 16^0.75 = 8 against 1, so word 2 is drawn 8/9 of the time (not 16/17)
        double[] cdf = WordSampler.noiseDistribution(new long[] {0, 0, 16, 1});
        assertArrayEquals(new double[] {0, 0, 8.0 / 9, 1}, cdf, 1e-12);
        Random r = new Random(3);
        int n = 90000, twos = 0;
        for (int i = 0; i < n; i++) {
            int w = WordSampler.noiseWord(cdf, r);
            assertTrue(w == 2 || w == 3, "ids that never occur are never drawn: " + w);
            if (w == 2) twos++;
        }
        assertEquals(8.0 / 9, twos / (double) n, 0.005); // std. dev. 0.001
    }

    @Test
    void skipGramPairsEveryWordWithItsNeighbours() throws Exception {
        // window 1 has reach 1 always: (context, target) = (2,3) (3,2) (3,4) (4,3) (4,5) (5,4), in text order
        WordSampler s = WordSampler.of(skipgram(1, 3, 0), new int[] {2, 3, 4, 5}, 6, 7);
        assertEquals(6, s.examples());
        assertArrayEquals(new float[] {2, 3, 3, 4, 4, 5}, s.feature(0));
        assertArrayEquals(new float[] {3, 2, 4, 3, 5, 4}, s.feature(1));
        assertEquals(18, s.feature(2).length);
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 3; j++) {
                float n = s.feature(2)[i * 3 + j];
                assertTrue(n >= 2 && n <= 5, "a word of the text");
                assertNotEquals(s.feature(1)[i], n, "a target is not its own negative");
            }
        }
    }

    @Test
    void theReachOfEachContextIsDrawnSoNearWordsCountMore() throws Exception {
        // word ids 2 + (position mod 7): a pair's distance is read off its ids. With window 3 the reach
        // is 1, 2 or 3 with equal odds, so distance d is paired with probability (4 - d) / 3: 1, 2/3, 1/3.
        int[] words = new int[21000];
        for (int i = 0; i < words.length; i++) words[i] = 2 + i % 7;
        WordSampler s = WordSampler.of(skipgram(3, 1, 0), words, 9, 11);
        int[] byDistance = new int[4];
        for (int i = 0; i < s.examples(); i++) {
            int d = Math.floorMod((int) s.feature(1)[i] - (int) s.feature(0)[i], 7);
            byDistance[Math.min(d, 7 - d)]++;
        }
        assertEquals(0, byDistance[0]);
        assertEquals(2.0 / 3, byDistance[2] / (double) byDistance[1], 0.03);
        assertEquals(1.0 / 3, byDistance[3] / (double) byDistance[1], 0.03);
    }

    @Test
    void everyEpochDrawsAnewFromItsSeedAndKeepsTheNumberOfExamples() throws Exception {
        int[] words = new int[5000];
        Random r = new Random(1);
        for (int i = 0; i < words.length; i++) words[i] = 2 + (int) Math.min(20, Math.abs(r.nextGaussian() * 6));
        WordSampler a = WordSampler.of(skipgram(4, 5, 1e-2), words, 23, 42), b = WordSampler.of(skipgram(4, 5, 1e-2), words, 23, 42);
        float[] first = a.feature(0).clone(), negatives = a.feature(2).clone();
        assertArrayEquals(first, b.feature(0), "one seed, one draw");
        a.redraw(1);
        b.redraw(1);
        assertArrayEquals(a.feature(2), b.feature(2));
        assertFalse(Arrays.equals(first, a.feature(0)), "epoch 1 keeps other occurrences");
        assertFalse(Arrays.equals(negatives, a.feature(2)), "and draws other negatives");
        assertEquals(first.length, a.feature(0).length);
        WordSampler other = WordSampler.of(skipgram(4, 5, 1e-2), words, 23, 43);
        assertFalse(Arrays.equals(first, other.feature(0)), "another seed, another draw");
    }

    @Test
    void cbowContextIsTheWindowAroundTheTarget() throws Exception {
        WordExamples cbow = new WordExamples(WordExamples.Kind.CBOW, 1, 2, 0, OptionalInt.empty(), null);
        WordSampler s = WordSampler.of(cbow, new int[] {2, 3, 4, 5}, 6, 1);
        assertEquals(2, s.examples());
        assertArrayEquals(new float[] {2, 4, 3, 5}, s.feature(0));
        assertArrayEquals(new float[] {3, 4}, s.feature(1));
    }

    @Test
    void cooccurrenceCountsWeighEachPairByOneOverItsDistance() throws Exception {
        // "the cat sat. the cat ran": ids cat 2, the 3 (2 each), then ". ran sat" 4, 5, 6.
        // window 2: distance 1 adds 1, distance 2 adds 1/2, both ways
        String program = "dataset d {\n    source text \"t.txt\" vocab 8 examples cooccurrence window 2\n}\n"
            + "model M(target [1], context [1], count [1]) {\n    let a = target -> embedding 8 2\n    let b = context -> embedding 8 2\n"
            + "    return a, b, count\n}\n"
            + "train M on d {\n    loss mean(square(dot(a, b) - log(count)))\n    optimizer sgd\n}\n";
        Compilation c = Fixtures.compile(dir, program, Map.of("t.txt", "the cat sat. the cat ran\n"));
        LoadedData d = LoadedData.load(c.datasets().get("d"));
        assertEquals(List.of("<pad>", "<unk>", "cat", "the", ".", "ran", "sat", "<unused-7>"), d.words().vocabulary());
        int cat = 2, the = 3, stop = 4, ran = 5, sat = 6;
        float[] ti = d.part("target").samples().x(), cj = d.part("context").samples().x(), x = d.part("count").samples().x();
        assertEquals(16, ti.length, "8 pairs of words, both ways");
        double[][] want = new double[8][8];
        want[the][cat] = 2;     // twice side by side
        want[cat][sat] = 1;
        want[sat][stop] = 1;
        want[stop][the] = 1;
        want[cat][ran] = 1;
        want[the][sat] = 1;     // the _ sat, and sat _ the
        want[cat][stop] = 1;    // cat _ ., and . _ cat
        want[the][ran] = 0.5;   // the _ ran
        for (int k = 0; k < ti.length; k++) {
            int i = (int) ti[k], j = (int) cj[k];
            double expected = Math.max(want[i][j], want[j][i]);
            assertEquals(expected, x[k], 1e-6, "X[" + i + "][" + j + "]");
            assertTrue(expected > 0);
        }
    }
}
