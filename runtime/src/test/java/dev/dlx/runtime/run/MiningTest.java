package dev.dlx.runtime.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dlx.runtime.data.SampleSet;
import dev.dlx.runtime.data.Samples;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** FaceNet's semi-hard negatives on hand-made one-dimensional embeddings. */
class MiningTest {
    @Test
    void theNegativeIsTheNearestFartherThanThePositiveWithinTheMargin() {
        // sample 0 (class 0) at 0 with its positive, sample 1, at 1 (d = 1); the other class at
        // 0.5 (d = 0.25: harder than the positive), 1.2 (1.44: semi-hard), 1.3 (1.69: semi-hard, farther), 3 (9: easy)
        float[][] e = {{0}, {1}, {0.5f}, {1.2f}, {1.3f}, {3}};
        int[] classes = {0, 0, 1, 1, 1, 1};
        SampleSet split = new Samples(new float[6], 6, new int[] {1}, classes, null, 0).all();
        int[] positives = {1, 0, 3, 2, 2, 2}, negatives = {5, 5, 0, 0, 0, 0};
        int mined = Mining.semiHard(e, split, positives, negatives, 1.0, new Random(1));
        assertEquals(3, negatives[0], "1.44 lies in (1, 2); 1.69 too, but farther; 0.25 and 9 do not");
        // sample 1 at 1, positive 0 (d = 1): 0.5 is at 0.25 (harder), 1.2 at 0.04, 1.3 at 0.09, 3 at 4 (beyond 1 + 1): none, the random one stays
        assertEquals(5, negatives[1]);
        // sample 3 at 1.2, positive 2 (d = 0.49): sample 0 at 1.44 lies in (0.49, 1.49), sample 1 (0.04) does not;
        // 4 at 1.3 (d(a,p) = 0.64: 1.69 and 0.09 miss (0.64, 1.64)) and 2 and 5 find none.
        // 32 candidates among 6 samples draw every one of them here.
        assertEquals(0, negatives[3]);
        assertEquals(2, mined, "anchors 0 and 3");
    }
}
