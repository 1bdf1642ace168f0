package dev.dlx.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.runtime.train.Fixtures;
import dev.dlx.runtime.train.Trainer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batches made ahead on a background thread are exactly the batches made in line, augmentation included. */
class PrefetchTest {
    @TempDir Path dir;

    private static String csv() {
        Random r = new Random(11);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 70; i++) {
            for (int j = 0; j < 16; j++) s.append(String.format(java.util.Locale.ROOT, "%.4f,", r.nextDouble()));
            s.append(r.nextInt(4)).append('\n');
        }
        return s.toString();
    }

    private static final String PROGRAM = """
        dataset d {
            source csv "data.csv" { features 0..15, label 16 }
            features reshape [4, 4, 1]
            labels classes 4 onehot
            split train 100% shuffle seed 1
            normalize featurewise
            augment train {
                flip horizontal p 0.5
                noise 0.1 gaussian
                erase 2x2 p 0.5
            }
            batch 16
        }
        model M(x [4, 4, 1]) -> [4] {
            flatten
            dense 4 -> softmax
        }
        train M on d {
            loss categorical_crossentropy
            optimizer sgd lr 0.1
            epochs 1
        }
        """;

    @Test
    void prefetchedBatchesEqualBatchesMadeInLine() throws Exception {
        Compilation c = Fixtures.compile(dir, PROGRAM, Map.of("data.csv", csv()));
        DatasetIR ds = Fixtures.dataset(c);
        LoadedData data = LoadedData.load(ds);
        SampleSet train = Splitter.split(data, 1).train();
        Normalizer norm = Normalizer.fit(ds.normalize(), train);
        Augmenter aug = new Augmenter(ds.augmentsFor(DatasetIR.TRAIN).orElseThrow().steps(), data.sampleShape());
        Augmenter aug2 = new Augmenter(ds.augmentsFor(DatasetIR.TRAIN).orElseThrow().steps(), data.sampleShape());
        int n = train.size(), batches = (n + 15) / 16;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = n - 1 - i;
        try (BatchFeeder ahead = new BatchFeeder(train, ds.labels(), norm, aug, 16);
             BatchFeeder inline = new BatchFeeder(train, ds.labels(), norm, aug2, 16);
             BatchFeeder.Prefetch p = ahead.prefetch(order, 16, 1, batches, b -> Trainer.random(7, 0, b, 2))) {
            for (int b = 1; b < batches; b++) {
                int count = Math.min(16, n - b * 16);
                BatchFeeder.Batch got = p.next();
                float[] gx = new float[count * 16], gy = new float[count * 4];
                got.x.asRawTensor().data().asFloats().read(gx);
                got.y.asRawTensor().data().asFloats().read(gy);
                int[] gc = java.util.Arrays.copyOf(got.classes, count);
                BatchFeeder.Batch want = inline.batch(order, b * 16, count, Trainer.random(7, 0, b, 2));
                float[] wx = new float[count * 16], wy = new float[count * 4];
                want.x.asRawTensor().data().asFloats().read(wx);
                want.y.asRawTensor().data().asFloats().read(wy);
                assertEquals(count, got.count);
                assertArrayEquals(wx, gx, "features of batch " + b);
                assertArrayEquals(wy, gy, "labels of batch " + b);
                assertArrayEquals(java.util.Arrays.copyOf(want.classes, count), gc, "classes of batch " + b);
            }
            assertThrows(java.util.NoSuchElementException.class, p::next);
        }
    }
}
