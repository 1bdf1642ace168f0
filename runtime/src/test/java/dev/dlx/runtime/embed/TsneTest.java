package dev.dlx.runtime.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TsneTest {

    @Test
    void eachRowsPerplexityIsTheOneAskedFor() {
        Random r = new Random(2);
        double[][] x = new double[40][5];
        for (double[] row : x) for (int k = 0; k < row.length; k++) row[k] = r.nextGaussian();
        double[][] d = Tsne.squaredDistances(x);
        for (double perplexity : new double[] {5, 15}) {
            for (int i = 0; i < x.length; i += 7) {
                double[] p = Tsne.conditional(d[i], i, perplexity);
                assertEquals(0, p[i], 0, "a point is not its own neighbour");
                assertEquals(1, Arrays.stream(p).sum(), 1e-9);
                assertEquals(perplexity, Math.exp(Tsne.entropy(p)), 1e-3, "2^H in bits, e^H in nats");
            }
        }
    }

    @Test
    void uniformDistancesGiveUniformNeighbours() {
        // every point at the same distance from every other: p(j|i) = 1 / (n - 1) whatever the precision
        double[][] d = new double[5][5];
        for (int i = 0; i < 5; i++) for (int j = 0; j < 5; j++) d[i][j] = i == j ? 0 : 3;
        double[] p = new double[5];
        assertEquals(Math.log(4), Tsne.distribution(d[0], 0, 7.5, p), 1e-12);
        assertEquals(0.25, p[3], 1e-12);
    }

    /** Three Gaussian clusters in 20 dimensions, far apart: on the map every point's nearest neighbours are of its cluster, and most of its 5 nearest stay. */
    @Test
    void wellSeparatedClustersStaySeparated() {
        int perCluster = 30, dims = 20;
        Random r = new Random(7);
        double[][] x = new double[3 * perCluster][dims];
        int[] cluster = new int[x.length];
        for (int c = 0; c < 3; c++) {
            double[] centre = new double[dims];
            for (int k = 0; k < dims; k++) centre[k] = 10 * r.nextGaussian();
            for (int i = 0; i < perCluster; i++) {
                int at = c * perCluster + i;
                cluster[at] = c;
                for (int k = 0; k < dims; k++) x[at][k] = centre[k] + r.nextGaussian();
            }
        }
        double[][] y = Tsne.embed(x, 10, Tsne.ITERATIONS, 1);
        double[][] dy = Tsne.squaredDistances(y), dx = Tsne.squaredDistances(x);
        int sameCluster = 0, kept = 0, k = 5;
        for (int i = 0; i < x.length; i++) {
            int[] near = nearest(dy[i], i, k), before = nearest(dx[i], i, k);
            if (cluster[near[0]] == cluster[i]) sameCluster++;
            for (int a : near) for (int b : before) if (a == b) kept++;
        }
        assertEquals(x.length, sameCluster, "1-nearest-neighbour on the map: every point's nearest is of its cluster");
        double preserved = kept / (double) (k * x.length);
        // by chance within the right cluster 5/29 = 0.17; t-SNE keeps far more of the local structure
        assertTrue(preserved > 0.4, "5-NN preservation " + preserved);
        // the clusters' centres on the map are farther apart than the points from their centre
        double[][] centres = new double[3][2];
        for (int i = 0; i < y.length; i++) for (int d = 0; d < 2; d++) centres[cluster[i]][d] += y[i][d] / perCluster;
        double spread = 0;
        for (int i = 0; i < y.length; i++) spread = Math.max(spread, Math.hypot(y[i][0] - centres[cluster[i]][0], y[i][1] - centres[cluster[i]][1]));
        for (int a = 0; a < 3; a++) {
            for (int b = a + 1; b < 3; b++) {
                double apart = Math.hypot(centres[a][0] - centres[b][0], centres[a][1] - centres[b][1]);
                assertTrue(apart > 2 * spread, "clusters " + a + " and " + b + ": " + apart + " apart, points within " + spread);
            }
        }
    }

    @Test
    void oneSeedOneMapAndBadArguments() {
        double[][] x = {{0, 0}, {1, 0}, {0, 1}, {5, 5}, {6, 5}};
        assertTrue(Arrays.deepEquals(Tsne.embed(x, 2, 100, 3), Tsne.embed(x, 2, 100, 3)));
        assertThrows(IllegalArgumentException.class, () -> Tsne.embed(x, 5, 100, 3));
        assertThrows(IllegalArgumentException.class, () -> Tsne.embed(new double[][] {{1}}, 1, 100, 3));
    }

    private static int[] nearest(double[] d, int i, int k) {
        Integer[] order = new Integer[d.length];
        for (int j = 0; j < d.length; j++) order[j] = j;
        Arrays.sort(order, (a, b) -> Double.compare(a == i ? Double.MAX_VALUE : d[a], b == i ? Double.MAX_VALUE : d[b]));
        int[] out = new int[k];
        for (int j = 0; j < k; j++) out[j] = order[j];
        return out;
    }
}
