package dev.dlx.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dlx.runtime.data.Samples;
import org.junit.jupiter.api.Test;

class PerplexityTest {

    /**
     * Training labels 2, 2, 3 over 4 ids: add-one counts 1, 1, 3, 2 over 7. On labels 2 and 3 the
     * perplexity is exp(-(ln 3/7 + ln 2/7) / 2) = sqrt(49 / 6) = 2.857738...
     */
    @Test void unigramBaselineByHand() {
        Samples train = new Samples(new float[3], 3, new int[] {1}, new int[] {2, 2, 3}, null, 0);
        double[] p = Perplexity.unigram(train.all(), 4);
        assertArrayEquals(new double[] {1 / 7.0, 1 / 7.0, 3 / 7.0, 2 / 7.0}, p, 1e-15);
        Samples val = new Samples(new float[2], 2, new int[] {1}, new int[] {2, 3}, null, 0);
        assertEquals(Math.sqrt(49.0 / 6), Perplexity.unigramPerplexity(p, val.all()), 1e-12);
        assertEquals(2.857738033247041, Perplexity.unigramPerplexity(p, val.all()), 1e-12);
    }

    /** A uniform model over V tokens has perplexity V, whatever the labels. */
    @Test void uniformModelHasPerplexityV() {
        double[] p = Perplexity.unigram(new long[] {0, 0, 0, 0, 0});
        assertEquals(5.0, Perplexity.perplexity(p, new int[] {0, 3, 4, 4, 1}), 1e-12);
        assertEquals(5.0, Perplexity.of(Math.log(5)), 1e-12);
    }
}
