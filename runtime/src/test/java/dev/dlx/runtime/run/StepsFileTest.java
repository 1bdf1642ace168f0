package dev.dlx.runtime.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.runtime.train.StepLosses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** steps.csv: the training loss every K steps, appended epoch by epoch, cut back to a checkpoint when a run resumes. */
class StepsFileTest {
    private static StepLosses.Row row(int epoch, int batch, long step, double loss) { return new StepLosses.Row(epoch, batch, step, 5, loss); }

    @Test
    void rowsAreAppendedReadBackAndCutToTheResumedBatch(@TempDir Path runs) throws Exception {
        RunFolder f = RunFolder.create(runs, "M");
        Path dir = f.dir();
        assertTrue(f.readSteps().isEmpty());
        f.appendSteps(List.of());
        assertTrue(!Files.exists(dir.resolve(RunFolder.STEPS)), "no rows, no file");
        List<StepLosses.Row> first = List.of(row(1, 5, 5, 2.3025851f), row(1, 10, 10, 1.75f)), second = List.of(row(2, 5, 15, 0.5f), row(2, 10, 20, 0.25f));
        f.appendSteps(first);
        f.appendSteps(second);
        assertEquals("epoch,batch,step,batches,loss", Files.readAllLines(dir.resolve(RunFolder.STEPS)).get(0));
        assertEquals(4, Files.readAllLines(dir.resolve(RunFolder.STEPS)).size() - 1);
        // float32 losses come back exactly
        assertEquals(List.of(first.get(0), first.get(1), second.get(0), second.get(1)), f.readSteps());
        // resumed after epoch 1 and 5 batches of epoch 2: the row at batch 10 of epoch 2 goes
        f.truncateSteps(1, 5);
        assertEquals(List.of(first.get(0), first.get(1), second.get(0)), f.readSteps());
        f.truncateSteps(1, 0);
        assertEquals(first, f.readSteps());
    }
}
