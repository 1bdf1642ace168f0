package dev.dlx.runtime.run;

import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.data.ParallelSource;
import dev.dlx.runtime.data.DataException;
import dev.dlx.runtime.data.ParallelReader;
import dev.dlx.runtime.decode.BeamSearch;
import dev.dlx.runtime.decode.SequenceEvaluation;
import dev.dlx.runtime.decode.Translation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * `dlxc evaluate` of a translator (a run on `source parallel`): every pair of the split's file is
 * translated by beam search, and exact match, corpus BLEU and the beam-or-model error analysis of
 * {@link SequenceEvaluation} are printed, with a few wrong outputs.
 */
final class TranslationScores {
    private TranslationScores() {}

    static final int SHOWN = 5;

    /** The file of split {@code split}: the training, validation or test file. */
    static Path file(ParallelSource p, String split) {
        return switch (split) {
            case DatasetIR.VAL -> p.valFile();
            case DatasetIR.TEST -> p.testFile();
            default -> p.file();
        };
    }

    static void report(SavedRun r, String split, BeamSearch beam, int threads, PrintWriter out) throws IOException, DataException {
        ParallelSource p = (ParallelSource) r.dataset().source();
        List<ParallelReader.Pair> pairs = ParallelReader.pairs(p, file(p, split));
        List<SequenceEvaluation.Example> judged = new ArrayList<>();
        try (Translation t = Translation.open(r, threads)) {
            for (ParallelReader.Pair pair : pairs) {
                Translation.Encoded e = t.encode(pair.sourceText());
                judged.add(SequenceEvaluation.judge(pair.sourceText(), t.model(e), t.targetIds(pair.targetText()), beam, t.targetLength(),
                    ParallelSource.END, ParallelSource.UNKNOWN));
            }
            SequenceEvaluation.Report rep = SequenceEvaluation.report(judged, t::tokens);
            print(rep, r, split, beam, t, out);
        }
    }

    private static void print(SequenceEvaluation.Report rep, SavedRun r, String split, BeamSearch beam, Translation t, PrintWriter out) {
        out.println(String.format(Locale.ROOT, "translations of %s.%s (beam %d, alpha %.2g): exact match %.2f%% (%,d of %,d)", r.dataset().name(),
            split, beam.width(), beam.alpha(), 100 * rep.exactMatch(), rep.exact(), rep.count()));
        var b = rep.bleu();
        double[] pn = b.precisions();
        out.println(String.format(Locale.ROOT, "BLEU %.2f over %s: n-gram precisions %.2f%% %.2f%% %.2f%% %.2f%% (n = 1..4), brevity penalty %.4f "
                + "(output %,d tokens, reference %,d)", 100 * b.bleu(), t.characters() ? "characters" : "words", 100 * pn[0], 100 * pn[1],
            100 * pn[2], 100 * pn[3], b.brevityPenalty(), b.candidateLength(), b.referenceLength()));
        out.println(String.format(Locale.ROOT, "error analysis of %,d wrong outputs, by s(y) = log P(y|x) / T^%.2g: beam search at fault %,d "
            + "(s(y*) > s(ŷ): the model prefers the reference), model at fault %,d (s(y*) <= s(ŷ))", rep.wrong().size(), beam.alpha(),
            rep.searchFaults(), rep.modelFaults()));
        if (rep.unreachable() > 0) {
            out.println(String.format(Locale.ROOT, "  %,d wrong output%s left out: the reference holds a token outside the target vocabulary "
                + "(<unk>), which no decoder produces", rep.unreachable(), rep.unreachable() == 1 ? " is" : "s are"));
        }
        for (SequenceEvaluation.Example e : rep.wrong().subList(0, Math.min(SHOWN, rep.wrong().size()))) {
            out.println(String.format(Locale.ROOT, "  %-34s -> %-12s expected %-12s s(y*) %8.3f  s(ŷ) %8.3f  %s", "\"" + e.source() + "\"",
                t.text(e.output()), t.text(e.reference()), e.referenceScore(), e.outputScore(),
                e.fault() == SequenceEvaluation.Fault.SEARCH ? "beam search" : e.fault() == SequenceEvaluation.Fault.UNREACHABLE ? "<unk> in reference" : "model"));
        }
    }
}
