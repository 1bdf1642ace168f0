package dev.dlx.runtime.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.data.ParallelSource;
import dev.dlx.runtime.decode.BeamSearch;
import dev.dlx.runtime.decode.Decoded;
import dev.dlx.runtime.decode.Greedy;
import dev.dlx.runtime.decode.Translation;
import dev.dlx.runtime.graph.Tensors;
import dev.dlx.runtime.train.Fixtures;
import dev.dlx.runtime.train.TrainGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.types.TFloat32;

/**
 * A tiny encoder-decoder with attention trained with teacher forcing on a few hundred dates
 * ("3.5.1987", "03/05/1987" to 1987-05-03) translates held-out ones; decoding step by step with
 * the encoder run once gives the distributions of the whole model run on the prefix; `dlxc
 * evaluate` reports exact match, BLEU and the error analysis.
 */
class TranslatorTest {
    @TempDir Path dir;

    static final String PROGRAM = """
        dataset dates {
            source parallel "train.csv" val "val.csv" test "test.csv" tokens char vocab 16 length 10 target_vocab 16 target_length 11
            batch 32
        }
        model Dates(source [10], previous [11]) -> [11, 16] {
            let encoded = source -> embedding 16 16 mask_zero -> lstm 24 bidirectional return_sequences
            let decoded = previous -> embedding 16 16 -> lstm 48 return_sequences
            let context = multihead_attention(decoded, encoded, heads = 1, key_dim = 24)
            let target = concat(decoded, context) -> dense 16 -> softmax
        }
        train Dates on dates {
            loss sparse_categorical_crossentropy
            optimizer adam lr 1e-2
            clip global_norm 5.0
            init glorot_uniform seed 3
            epochs 10
            metrics accuracy
        }
        """;

    static String pairs(int n, Random r) {
        StringBuilder s = new StringBuilder("source,target\n");
        for (int i = 0; i < n; i++) {
            LocalDate d = LocalDate.ofEpochDay(LocalDate.of(1950, 1, 1).toEpochDay() + r.nextInt(365 * 80));
            String src = r.nextBoolean() ? d.getDayOfMonth() + "." + d.getMonthValue() + "." + d.getYear()
                : String.format("%02d/%02d/%d", d.getDayOfMonth(), d.getMonthValue(), d.getYear());
            s.append(src).append(',').append(d).append('\n');
        }
        return s.toString();
    }

    @Test
    void aTinyTranslatorLearnsDatesAndDecodesThemStepByStep() throws Exception {
        Random r = new Random(7);
        Files.writeString(dir.resolve("train.csv"), pairs(400, r));
        Files.writeString(dir.resolve("val.csv"), pairs(40, r));
        Files.writeString(dir.resolve("test.csv"), pairs(60, r));
        Path file = dir.resolve("dates.dlx");
        Files.writeString(file, PROGRAM);
        Fixtures.Output out = new Fixtures.Output();
        Runner runner = new Runner(out.outWriter, out.errWriter, out.bar, null);
        int code = runner.run(file, RunOptions.defaults().withRuns(dir.resolve("runs")).withProgress(ConsoleListener.Mode.PLAIN).withSeed(5L));
        assertEquals(Runner.OK, code, out.toString());
        Path folder = runner.results().get(0).folder();
        assertTrue(Files.exists(folder.resolve("vocabulary.source.json")) && Files.exists(folder.resolve("vocabulary.target.json")));

        SavedRun run = SavedRun.open(folder, null, out.errWriter);
        try (Translation t = Translation.open(run, 1); TrainGraph whole = run.graph(1)) {
            assertEquals("context", t.attentionLayer());
            Translation.Encoded e = t.encode("3.5.1987");
            Decoded greedy = t.translate(e, new Greedy());
            assertEquals("1987-05-03", t.text(greedy.tokens()), "a held-out date");
            assertEquals(ParallelSource.END, greedy.tokens()[greedy.tokens().length - 1]);
            // step by step (the encoder's states fed back in) against the whole model on the same prefix
            int[] prefix = java.util.Arrays.copyOf(greedy.tokens(), 4);
            double[] stepwise = t.model(e).probabilities(prefix);
            float[] prev = new float[11];
            prev[0] = ParallelSource.START;
            for (int i = 0; i < prefix.length; i++) prev[i + 1] = prefix[i];
            float[] src = new float[10];
            for (int i = 0; i < 10; i++) src[i] = e.ids()[i];
            try (TFloat32 x = Tensors.of(TFloat32.class, new long[] {1, 10}, src); TFloat32 p = Tensors.of(TFloat32.class, new long[] {1, 11}, prev);
                 Result res = whole.session().runner().feed(whole.model().inputs().get(0), x).feed(whole.model().inputs().get(1), p)
                     .fetch(whole.model().output()).run()) {
                float[] all = Tensors.floats(res.get(0));
                double sum = 0;
                for (int v = 3; v < 16; v++) sum += all[prefix.length * 16 + v];   // <end> and the target tokens
                for (int v = 3; v < 16; v++) assertEquals(all[prefix.length * 16 + v] / sum, stepwise[v], 1e-5, "token " + v);
            }
            // teacher forcing gives the same log P(y|x) as the decoding that produced y
            double lp = t.model(e).logProbability(java.util.Arrays.copyOf(greedy.tokens(), greedy.tokens().length - 1), ParallelSource.END);
            assertEquals(greedy.logProbability(), lp, 1e-4);
            // and the same as reading each prefix's distribution on its own (NextToken's default), for any tokens
            int[] other = {5, 9, 4, 7};
            dev.dlx.runtime.decode.NextToken stepwiseModel = t.model(e)::probabilities;
            assertEquals(stepwiseModel.logProbability(other, ParallelSource.END), t.model(e).logProbability(other, ParallelSource.END), 1e-4);
            Decoded beam = t.translate(e, new BeamSearch(3, 0.7));
            assertEquals("1987-05-03", t.text(beam.tokens()));
            float[][] w = t.attention(e, beam.tokens());
            assertEquals(11, w.length, "10 characters and <end>");
            assertEquals(8, w[0].length, "the source's 8 characters, not its padding");
            for (float[] row : w) {
                double s = 0;
                for (float v : row) s += v;
                assertEquals(1, s, 1e-4, "a row of weights sums to 1 over the real source steps");
            }
        }

        Fixtures.Output eval = new Fixtures.Output();
        int rc = new Evaluation(eval.outWriter, eval.errWriter, 1).decoding(3, 0.7).run(folder, "test", null);
        assertEquals(Runner.OK, rc, eval.toString());
        String text = eval.out.toString();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("exact match ([0-9.]+)% \\(([0-9]+) of 60\\)").matcher(text);
        assertTrue(m.find(), text);
        assertTrue(Double.parseDouble(m.group(1)) >= 80, text);
        java.util.regex.Matcher f = java.util.regex.Pattern.compile("error analysis of ([0-9]+) wrong outputs.*at fault ([0-9]+) .*at fault ([0-9]+)")
            .matcher(text);
        assertTrue(f.find(), text);
        int wrong = Integer.parseInt(f.group(1));
        assertEquals(60 - Integer.parseInt(m.group(2)), wrong, text);
        assertEquals(wrong, Integer.parseInt(f.group(2)) + Integer.parseInt(f.group(3)), "every wrong output is blamed once: " + text);
        assertTrue(text.contains("BLEU ") && text.contains("brevity penalty"), text);
    }
}
