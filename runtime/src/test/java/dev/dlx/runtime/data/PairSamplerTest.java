package dev.dlx.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.data.Sampling;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Pairs and triplets drawn by class within a split. */
class PairSamplerTest {
    static final Sampling TRIPLETS = new Sampling(Sampling.Kind.TRIPLETS, 0, OptionalInt.empty(), List.of(), null);
    static final Sampling PAIRS = new Sampling(Sampling.Kind.PAIRS, 0.3, OptionalInt.empty(), List.of(), null);

    /** 100 samples of 4 classes (sample i is of class i % 4, one value: i); the split: the even positions 0, 2, ..., 98. */
    static SampleSet split() {
        int n = 100;
        float[] x = new float[n];
        int[] classes = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            classes[i] = i % 4;
        }
        Samples all = new Samples(x, n, new int[] {1}, classes, null, 0);
        int[] even = new int[50];
        for (int j = 0; j < 50; j++) even[j] = 2 * j;
        return new SampleSet(all, even); // classes 0 and 2 only
    }

    @Test
    void everyTripletHasAPositiveOfItsClassAndANegativeOfAnotherFromTheSameSplit() throws DataException {
        SampleSet split = split();
        PairSampler.Drawn d = PairSampler.draw(TRIPLETS, split, 7);
        assertEquals(2, d.partners().length);
        Set<Integer> inSplit = new HashSet<>();
        for (int r : split.index()) inSplit.add(r);
        for (int j = 0; j < split.size(); j++) {
            int anchor = split.index()[j], p = d.partners()[0][j], q = d.partners()[1][j];
            assertTrue(inSplit.contains(p) && inSplit.contains(q), "drawn within the split");
            assertEquals(anchor % 4, p % 4, "the positive is of the anchor's class");
            assertNotEquals(anchor, p, "another sample, since each class has 25 in the split");
            assertNotEquals(anchor % 4, q % 4, "the negative is of another class");
        }
    }

    @Test
    void theSameSeedDrawsTheSameAndEpochsDrawAnew() throws DataException {
        SampleSet split = split();
        PairSampler.Drawn a = PairSampler.draw(TRIPLETS, split, PairSampler.epochSeed(7, 0));
        PairSampler.Drawn b = PairSampler.draw(TRIPLETS, split, PairSampler.epochSeed(7, 0));
        PairSampler.Drawn c = PairSampler.draw(TRIPLETS, split, PairSampler.epochSeed(7, 1));
        assertArrayEquals(a.partners()[0], b.partners()[0]);
        assertArrayEquals(a.partners()[1], b.partners()[1]);
        assertFalse(java.util.Arrays.equals(a.partners()[0], c.partners()[0]), "another epoch, other positives");
    }

    @Test
    void pairsAreOfOneClassAboutAsOftenAsAsked() throws DataException {
        Samples big = new Samples(new float[4000], 4000, new int[] {1}, java.util.stream.IntStream.range(0, 4000).map(i -> i % 5).toArray(), null, 0);
        SampleSet all = big.all();
        PairSampler.Drawn d = PairSampler.draw(PAIRS, all, 11);
        assertEquals(1, d.partners().length, "a pair has one partner");
        int same = 0;
        for (int j = 0; j < all.size(); j++) {
            boolean ofOne = all.index()[j] % 5 == d.partners()[0][j] % 5;
            assertEquals(d.same()[j], ofOne, "`same` says whether the two are of one class");
            if (ofOne) same++;
        }
        // binomial(4000, 0.3): mean 1200, standard deviation 29; six of them either way
        assertTrue(Math.abs(same - 1200) < 174, "same-class pairs: " + same);
    }

    @Test
    void aSplitOfOneClassCannotDrawANegative() {
        Samples one = new Samples(new float[3], 3, new int[] {1}, new int[] {2, 2, 2}, null, 0);
        DataException e = assertThrows(DataException.class, () -> PairSampler.draw(TRIPLETS, one.all(), 1));
        assertTrue(e.getMessage().contains("two classes"), e.getMessage());
    }
}
