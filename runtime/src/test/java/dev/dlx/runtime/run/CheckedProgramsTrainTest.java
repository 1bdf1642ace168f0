package dev.dlx.runtime.run;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.Compiler;
import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.train.Bytes;
import dev.dlx.compiler.train.MemoryEstimate;
import dev.dlx.compiler.train.TrainIR;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.DataException;
import dev.dlx.runtime.data.LoadedData;
import dev.dlx.runtime.data.Normalizer;
import dev.dlx.runtime.data.Splitter;
import dev.dlx.runtime.train.Fixtures;
import dev.dlx.runtime.train.TrainGraph;
import dev.dlx.runtime.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What `dlxc check` passes, `dlxc run` trains: every sample and every checker case that checks
 * clean and has a `train` block is prepared as a run prepares it (data loaded and split, the
 * model's inputs against the data, normalization, the training graph, the feeders) and takes one
 * training step on a batch of at most 4 samples, unless `dlxc run` would refuse it for its memory
 * (DLX0411). Programs whose data `samples/data/fetch.sh`
 * downloads are skipped when it is not there, and named in the test's output.
 */
class CheckedProgramsTrainTest {
    /** Samples per step: the contract is about preparation, not learning. */
    static final int BATCH = 4;
    /**
     * Trainings whose memory estimate exceeds this (the machine the checker's cases are checked for)
     * are left out, as `dlxc run` refuses them there: a step would allocate all of it.
     */
    static final long MEMORY = 16L << 30;

    @Test
    void everyCheckedTrainingTakesAStep() throws IOException {
        Path repo = Fixtures.repo();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(repo.resolve("samples"))) {
            s.filter(p -> p.toString().endsWith(".dlx")).sorted().forEach(files::add);
        }
        Path cases = repo.resolve("compiler/src/test/resources/check");
        try (Stream<Path> s = Files.walk(cases)) {
            s.filter(p -> p.toString().endsWith(".dlx") && !p.toString().contains("/lib/")).sorted().forEach(files::add);
        }
        List<String> failures = new ArrayList<>(), skipped = new ArrayList<>(), refused = new ArrayList<>();
        int stepped = 0;
        for (Path file : files) {
            Compilation c = new Compiler().compile(file).orElseThrow();
            if (!c.ok()) continue;
            for (TrainIR t : c.trainings()) {
                String where = repo.relativize(file) + " (train " + t.model() + " on " + t.dataset() + ")";
                DatasetIR ds = c.datasets().get(t.dataset());
                if (MemoryEstimate.of(c.models().get(t.model()), t).filter(e -> e.total() > MEMORY).isPresent()) {
                    refused.add(where);
                    continue;
                }
                if (ds.source().files().stream().anyMatch(f -> !Files.exists(f))) {
                    skipped.add(where);
                    continue;
                }
                try {
                    step(c.models().get(t.model()), t, ds);
                    stepped++;
                } catch (DataException e) {
                    failures.add(where + ": " + e.render());
                } catch (RuntimeException e) {
                    failures.add(where + ": " + e);
                }
            }
        }
        System.out.println("checked trainings: " + stepped + " took a step; skipped (data not fetched, see samples/data/fetch.sh): "
            + (skipped.isEmpty() ? "none" : String.join(", ", skipped)) + "; over " + Bytes.text(MEMORY) + " (refused by `dlxc run` "
            + "there, DLX0411): " + (refused.isEmpty() ? "none" : String.join(", ", refused)));
        if (!failures.isEmpty()) fail("checked clean, but cannot train:\n" + String.join("\n", failures));
        assertTrue(stepped >= 5, "the samples' trainings were found: " + stepped);
    }

    private static void step(ModelIR model, TrainIR t, DatasetIR ds) throws DataException {
        LoadedData data = LoadedData.load(ds, 1);
        data.checkFits(model, t.noiseInputs());
        Splitter.Splits splits = Splitter.split(data, 1);
        if (splits.train().isEmpty()) throw DataException.general("the training split is empty", null);
        Feeding feeding = Feeding.of(model, t, data);
        Map<String, Normalizer> norms = feeding.normalizers(splits.train());
        int n = Math.min(BATCH, splits.train().size());
        if (t.stepped()) {
            // a training with steps (a GAN) takes one step of each
            try (dev.dlx.runtime.train.StepGraph g = dev.dlx.runtime.train.StepGraph.build(model, t, feeding.feed(), 1, TrainGraph.Threads.of(1));
                 BatchFeeder feed = feeding.feeder(splits.train(), norms, DatasetIR.TRAIN, n)) {
                BatchFeeder.Batch batch = feed.batch(null, 0, n, Trainer.random(1, 0, 0, 2));
                for (int k = 0; k < g.steps().size(); k++) {
                    if (!Double.isFinite(g.step(k, batch, 0, 0, k, k))) throw new IllegalStateException("step " + k + " is not finite");
                }
            }
            return;
        }
        try (TrainGraph g = feeding.graph(model, t, 1, TrainGraph.Threads.of(1), false);
             BatchFeeder feed = feeding.feeder(splits.train(), norms, DatasetIR.TRAIN, n)) {
            g.step(feed.batch(null, 0, n, Trainer.random(1, 0, 0, 2)), true);
        }
    }
}
