package dev.dlx.runtime.decode;

import dev.dlx.runtime.metrics.Bleu;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Scores of a sequence model's outputs against references: exact match (the whole output equals
 * the reference), corpus BLEU-4 over tokens ({@link Bleu}: clipped 1- to 4-gram precisions summed
 * over the corpus, brevity penalty), and the beam-or-model error analysis for every wrong output ŷ of
 * reference y*: with the beam search's own objective s(y) = (1/T_y^α) log P(y|x) (T_y counting the
 * end token), s(y*) > s(ŷ) means the model prefers the reference and the search missed it (the
 * beam search is at fault: a wider beam may help); otherwise the model itself prefers its wrong
 * output (the model is at fault: more data, training or capacity may help).
 */
public final class SequenceEvaluation {
    private SequenceEvaluation() {}

    /**
     * Why an output is wrong: the search missed the reference the model prefers, the model prefers
     * its output, or the reference holds a token outside the target vocabulary, which no decoder can
     * produce (left out of the comparison).
     */
    public enum Fault { SEARCH, MODEL, UNREACHABLE }

    /**
     * One judged example: the reference and the output (without the end token), and for a wrong
     * output both objectives and the fault (null for an exact match).
     */
    public record Example(String source, int[] reference, int[] output, double referenceScore, double outputScore, Fault fault) {
        public boolean exact() { return fault == null; }
    }

    /** Decodes with {@code beam} (up to {@code length} tokens, ending at {@code stop}) and judges the output against {@code reference}. */
    public static Example judge(String source, NextToken model, int[] reference, BeamSearch beam, int length, int stop) {
        return judge(source, model, reference, beam, length, stop, -1);
    }

    /** {@link #judge(String, NextToken, int[], BeamSearch, int, int)}; a reference holding {@code unknown} (its id of `<unk>`) is unreachable. */
    public static Example judge(String source, NextToken model, int[] reference, BeamSearch beam, int length, int stop, int unknown) {
        Decoded d = beam.decode(model, new int[0], length, stop);
        int[] out = d.tokens();
        if (out.length > 0 && out[out.length - 1] == stop) out = Arrays.copyOf(out, out.length - 1);
        if (Arrays.equals(out, reference)) return new Example(source, reference, out, d.score(), d.score(), null);
        if (Arrays.stream(reference).anyMatch(id -> id == unknown)) {
            return new Example(source, reference, out, Double.NaN, d.score(), Fault.UNREACHABLE);
        }
        double ref = reference.length + 1 > length ? Double.NEGATIVE_INFINITY
            : beam.score(model.logProbability(reference, stop), reference.length + 1);
        return new Example(source, reference, out, ref, d.score(), ref > d.score() ? Fault.SEARCH : Fault.MODEL);
    }

    /** What {@link #report} adds up. */
    public record Report(int count, int exact, Bleu.Score bleu, int searchFaults, int modelFaults, int unreachable, List<Example> wrong) {
        public double exactMatch() { return count == 0 ? 0 : exact / (double) count; }
    }

    /** The examples' totals; {@code tokens} turns ids into the tokens BLEU compares. */
    public static <T> Report report(List<Example> examples, Function<int[], List<T>> tokens) {
        List<List<T>> candidates = new ArrayList<>();
        List<List<List<T>>> references = new ArrayList<>();
        int exact = 0, search = 0, model = 0, unreachable = 0;
        List<Example> wrong = new ArrayList<>();
        for (Example e : examples) {
            candidates.add(tokens.apply(e.output()));
            references.add(List.of(tokens.apply(e.reference())));
            if (e.exact()) exact++;
            else {
                wrong.add(e);
                if (e.fault() == Fault.SEARCH) search++;
                else if (e.fault() == Fault.UNREACHABLE) unreachable++;
                else model++;
            }
        }
        Bleu.Score bleu = Bleu.score(candidates, references, 4, Bleu.Smoothing.NONE);
        return new Report(examples.size(), exact, bleu, search, model, unreachable, wrong);
    }
}
