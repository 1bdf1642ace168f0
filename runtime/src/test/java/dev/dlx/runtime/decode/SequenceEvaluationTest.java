package dev.dlx.runtime.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Exact match, BLEU and the beam-or-model error analysis, on a hand-made model whose probabilities are known. */
class SequenceEvaluationTest {
    static final int END = 0, A = 1, B = 2, C = 3;

    /**
     * P(a) = 0.6, P(b) = 0.4 first; after a: a, b, c at 1/3 each, then always <end>; after b: c at
     * 0.9, then <end>. Greedy takes a (0.6) and then a third: P(a a <end>) = 0.2, while P(b c <end>) = 0.36.
     */
    static final NextToken MODEL = prefix -> {
        if (prefix.length == 0) return new double[] {0, 0.6, 0.4, 0};
        if (prefix.length == 1 && prefix[0] == A) return new double[] {0, 1 / 3.0, 1 / 3.0, 1 / 3.0};
        if (prefix.length == 1 && prefix[0] == B) return new double[] {0.05, 0.05, 0, 0.9};
        return new double[] {1, 0, 0, 0};
    };

    @Test
    void logProbabilityCountsTheEndToken() {
        assertEquals(Math.log(0.4 * 0.9 * 1), MODEL.logProbability(new int[] {B, C}, END), 1e-12);
        assertEquals(Math.log(0.6 / 3), MODEL.logProbability(new int[] {A, C}, END), 1e-12);
    }

    @Test
    void aReferenceTheModelPrefersIsTheSearchsFaultAnotherTheModels() {
        BeamSearch greedy = new BeamSearch(1, 0.7);
        // reference b c: s(y*) = log 0.36 / 3^0.7 = -0.473 > s(ŷ) = log(0.6 * 1/3) / 3^0.7 = -0.746: the search missed it
        var search = SequenceEvaluation.judge("x1", MODEL, new int[] {B, C}, greedy, 5, END);
        assertArrayEquals(new int[] {A, A}, search.output());
        assertEquals(Math.log(0.36) / Math.pow(3, 0.7), search.referenceScore(), 1e-12);
        assertEquals(Math.log(0.2) / Math.pow(3, 0.7), search.outputScore(), 1e-12);
        assertEquals(SequenceEvaluation.Fault.SEARCH, search.fault());
        // the same model and reference with a beam of 2 finds b c: an exact match
        var found = SequenceEvaluation.judge("x1", MODEL, new int[] {B, C}, new BeamSearch(2, 0.7), 5, END);
        assertTrue(found.exact());
        assertArrayEquals(new int[] {B, C}, found.output());
        // reference b a: P = 0.4 * 0.05 = 0.02, s(y*) = log 0.02 / 3^0.7 < s(ŷ): the model is at fault
        var model = SequenceEvaluation.judge("x2", MODEL, new int[] {B, A}, greedy, 5, END);
        assertEquals(SequenceEvaluation.Fault.MODEL, model.fault());
        // reference c: P(c) = 0 at the first step, s = -inf
        var impossible = SequenceEvaluation.judge("x3", MODEL, new int[] {C}, greedy, 5, END);
        assertEquals(SequenceEvaluation.Fault.MODEL, impossible.fault());

        // reference b <unk> (id A stands for <unk> here): no decoder can produce it, so it is neither's fault
        var unknown = SequenceEvaluation.judge("x4", MODEL, new int[] {B, A}, greedy, 5, END, A);
        assertEquals(SequenceEvaluation.Fault.UNREACHABLE, unknown.fault());

        var report = SequenceEvaluation.report(List.of(search, found, model, impossible, unknown), ids -> Arrays.stream(ids).boxed().toList());
        assertEquals(5, report.count());
        assertEquals(1, report.exact());
        assertEquals(0.2, report.exactMatch(), 1e-12);
        assertEquals(1, report.searchFaults());
        assertEquals(2, report.modelFaults());
        assertEquals(1, report.unreachable());
        assertEquals(4, report.wrong().size());
    }

    /**
     * Corpus BLEU of two dates as characters, by hand. Candidates 1987-05-03 (reference 1987-05-03)
     * and 2001-03-04 (reference 2001-03-03): 20 candidate characters, 20 reference characters, BP = 1.
     * Sentence 2 shares 10 of its 10 unigrams (clipped: "3" occurs twice in the reference, "4" not at
     * all, so 9), bigrams 8 of 9 ("-0","03","3-"... all but "04"), trigrams 7 of 8, 4-grams 6 of 7.
     * Sentence 1 matches all: 10, 9, 8, 7. p = 19/20, 17/18, 15/16, 13/14.
     */
    @Test
    void corpusBleuOfTwoDatesByHand() {
        List<List<String>> cands = List.of(chars("1987-05-03"), chars("2001-03-04"));
        List<List<List<String>>> refs = List.of(List.of(chars("1987-05-03")), List.of(chars("2001-03-03")));
        var s = dev.dlx.runtime.metrics.Bleu.score(cands, refs, 4, dev.dlx.runtime.metrics.Bleu.Smoothing.NONE);
        double[] p = {19 / 20.0, 17 / 18.0, 15 / 16.0, 13 / 14.0};
        assertArrayEquals(p, s.precisions(), 1e-12);
        assertEquals(1.0, s.brevityPenalty(), 0);
        double bleu = Math.pow(p[0] * p[1] * p[2] * p[3], 0.25);
        assertEquals(bleu, s.bleu(), 1e-12);
        assertEquals(0.9401, s.bleu(), 1e-4);
        // a candidate shorter than its reference: 2001-03 against 2001-03-03, BP = exp(1 - 10/7)
        var shortOne = dev.dlx.runtime.metrics.Bleu.score(List.of(chars("2001-03")), List.of(List.of(chars("2001-03-03"))), 4,
            dev.dlx.runtime.metrics.Bleu.Smoothing.NONE);
        assertEquals(Math.exp(1 - 10 / 7.0), shortOne.brevityPenalty(), 1e-12);
        assertEquals(Math.exp(1 - 10 / 7.0), shortOne.bleu(), 1e-12, "every n-gram of the prefix matches");
    }

    private static List<String> chars(String s) {
        List<String> out = new ArrayList<>();
        for (char c : s.toCharArray()) out.add(String.valueOf(c));
        return out;
    }
}
