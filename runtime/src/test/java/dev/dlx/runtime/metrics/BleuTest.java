package dev.dlx.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BleuTest {
    private static List<String> words(String s) { return Arrays.asList(s.split(" ")); }

    // Papineni et al. (2002), example 1: the three references and two candidates
    private static final List<List<String>> REFS = List.of(
        words("It is a guide to action that ensures that the military will forever heed Party commands"),
        words("It is the guiding principle which guarantees the military forces always being under the command of the Party"),
        words("It is the practical guide for the army always to heed the directions of the party"));
    private static final List<String> CAND1 =
        words("It is a guide to action which ensures that the military always obeys the commands of the party");
    private static final List<String> CAND2 =
        words("It is to insure the troops forever hearing the activity guidebook that party direct");

    /**
     * Candidate 1 (18 words): clipped 1-grams 17/18, 2-grams 10/17, 3-grams 7/16, 4-grams 4/15.
     * The closest reference has 18 words, so BP = 1 and BLEU = (17/18 * 10/17 * 7/16 * 4/15)^(1/4)
     * = 0.50456668... (also NLTK's documented value for this example).
     */
    @Test void paperExampleOne() {
        Bleu.Score s = Bleu.score(List.of(CAND1), List.of(REFS), 4, Bleu.Smoothing.NONE);
        assertArrayEquals(new double[] {17.0 / 18, 10.0 / 17, 7.0 / 16, 4.0 / 15}, s.precisions(), 1e-15);
        assertEquals(1.0, s.brevityPenalty(), 0.0);
        assertEquals(Math.pow(17.0 / 18 * 10.0 / 17 * 7.0 / 16 * 4.0 / 15, 0.25), s.bleu(), 1e-15);
        assertEquals(0.5045666840058485, Bleu.sentence(CAND1, REFS), 1e-12);
    }

    /**
     * Candidate 2 (14 words): 8/14, 1/13, 0/12, 0/11 -- BLEU-4 is 0 without smoothing. Closest
     * reference length 16 > 14: BP = exp(1 - 16/14). Add-one smoothing for n >= 2 gives
     * exp(1 - 16/14) * (8/14 * 2/14 * 1/13 * 1/12)^(1/4).
     */
    @Test void paperExampleTwoNeedsSmoothing() {
        Bleu.Score s = Bleu.score(List.of(CAND2), List.of(REFS), 4, Bleu.Smoothing.NONE);
        assertArrayEquals(new double[] {8.0 / 14, 1.0 / 13, 0, 0}, s.precisions(), 1e-15);
        assertEquals(0.0, s.bleu(), 0.0);
        assertEquals(Math.exp(1 - 16.0 / 14), s.brevityPenalty(), 1e-15);
        double smoothed = Math.exp(1 - 16.0 / 14) * Math.pow(8.0 / 14 * 2.0 / 14 * 1.0 / 13 * 1.0 / 12, 0.25);
        assertEquals(smoothed, Bleu.sentence(CAND2, REFS, 4, Bleu.Smoothing.ADD_ONE), 1e-15);
        double epsilon = Math.exp(1 - 16.0 / 14) * Math.pow(8.0 / 14 * 1.0 / 13 * 0.1 / 12 * 0.1 / 11, 0.25);
        assertEquals(epsilon, Bleu.sentence(CAND2, REFS, 4, Bleu.Smoothing.EPSILON), 1e-15);
    }

    /** The paper's clipping example: "the" x7 against references with at most two "the": 2/7. */
    @Test void clippingCountsEachWordAtMostItsReferenceMaximum() {
        List<List<String>> refs = List.of(words("The cat is on the mat"), words("There is a cat on the mat"));
        Bleu.Score s = Bleu.score(List.of(words("the the the the the the the")), List.of(refs), 1, Bleu.Smoothing.NONE);
        // tokens are compared exactly: "The" is not "the", so each reference has one "the": 1/7
        assertEquals(1.0 / 7, s.precisions()[0], 1e-15);
        Bleu.Score lower = Bleu.score(List.of(words("the the the the the the the")),
            List.of(List.of(words("the cat is on the mat"), words("there is a cat on the mat"))), 1, Bleu.Smoothing.NONE);
        assertEquals(2.0 / 7, lower.precisions()[0], 1e-15);   // the paper's 2/7
        assertEquals(2.0 / 7, lower.bleu(), 1e-15);            // c = 7 > r = 6: no penalty
    }

    /**
     * Corpus level sums the counts: candidate "a b c d" vs "a b c d" (4/4, 3/3, 2/2, 1/1) and
     * candidate "a x" vs "a y z" (1/2, 0/1; no 3- or 4-grams). BLEU-2: p1 = 5/6, p2 = 3/4;
     * c = 6, r = 4 + 3 = 7, BP = exp(1 - 7/6); BLEU = BP * sqrt(5/6 * 3/4).
     */
    @Test void corpusLevelSumsCountsBeforeDividing() {
        List<List<String>> cands = List.of(words("a b c d"), words("a x"));
        List<List<List<String>>> refs = List.of(List.of(words("a b c d")), List.of(words("a y z")));
        double expected = Math.exp(1 - 7.0 / 6) * Math.sqrt(5.0 / 6 * 3.0 / 4);
        assertEquals(expected, Bleu.corpus(cands, refs, 2, Bleu.Smoothing.NONE), 1e-15);
        // the mean of the sentence scores is something else: 1 and 0
        assertEquals(1.0, Bleu.sentence(cands.get(0), refs.get(0), 2, Bleu.Smoothing.NONE), 1e-15);
        assertEquals(0.0, Bleu.sentence(cands.get(1), refs.get(1), 2, Bleu.Smoothing.NONE), 0.0);
    }

    /** Ties in reference length go to the shorter: c = 4, references of 3 and 5 words: r = 3, BP = 1. */
    @Test void brevityPenaltyTakesTheClosestShorterReference() {
        assertEquals(3, Bleu.closestLength(4, List.of(words("a b c d e"), words("a b c"))));
        Bleu.Score s = Bleu.score(List.of(words("a b")), List.of(List.of(words("a b c d e"), words("a b c"))), 1, Bleu.Smoothing.NONE);
        // c = 2, r = 3: BP = exp(1 - 3/2); p1 = 1
        assertEquals(Math.exp(-0.5), s.bleu(), 1e-15);
        // a perfect match scores 1 when it has n-grams of every order, 0 when it is too short for 4-grams
        assertEquals(1.0, Bleu.sentence(words("a b c"), List.of(words("a b c")), 3, Bleu.Smoothing.NONE), 0.0);
        assertEquals(0.0, Bleu.sentence(words("a b c"), List.of(words("a b c")), 4, Bleu.Smoothing.NONE), 0.0);
    }
}
