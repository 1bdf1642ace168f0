package dev.dlx.runtime.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.runtime.train.StepLosses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
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

    /** run.json's `log_every`: read without opening the folder, kept on resume, another value refused; a run from before it takes any. */
    @Test
    void logEveryIsReadFromRunJsonAndKeptOnResume(@TempDir Path runs) throws Exception {
        Path dir = runs.resolve("R");
        Files.createDirectories(dir);
        Path json = dir.resolve(RunFolder.RUN_JSON);
        Files.writeString(json, "{\"model\": \"M\", \"seed\": 1, \"log_every\": 25}");
        byte[] bytes = Files.readAllBytes(json);
        assertEquals(OptionalInt.of(25), RunRecord.logEvery(dir));
        assertArrayEquals(bytes, Files.readAllBytes(json));
        assertEquals(List.of(dir.resolve(RunFolder.RUN_JSON)), Files.list(dir).toList(), "reading it leaves the folder as it is");
        assertEquals(25, RunRecord.resumedLogEvery(RunRecord.logEvery(dir), 0));
        assertEquals(Optional.empty(), RunRecord.logEveryConflict(OptionalInt.of(25), 0));
        assertEquals(Optional.empty(), RunRecord.logEveryConflict(OptionalInt.of(25), 25));
        assertEquals(Optional.of("--log-every 10 does not go with --resume of a run started with --log-every 25 "
            + "(a run keeps the settings it was started with)"), RunRecord.logEveryConflict(OptionalInt.of(25), 10));
        Files.writeString(json, "{\"model\": \"M\", \"seed\": 1, \"log_every\": 0}");
        assertEquals(0, RunRecord.resumedLogEvery(RunRecord.logEvery(dir), 0));
        assertEquals(Optional.of("--log-every 10 does not go with --resume of a run started without --log-every "
            + "(a run keeps the settings it was started with)"), RunRecord.logEveryConflict(RunRecord.logEvery(dir), 10));
        // a run folder from before run.json recorded it: absent means none, and a value given on resume goes
        Files.writeString(json, "{\"model\": \"M\", \"seed\": 1}");
        assertEquals(OptionalInt.empty(), RunRecord.logEvery(dir));
        assertEquals(0, RunRecord.resumedLogEvery(RunRecord.logEvery(dir), 0));
        assertEquals(7, RunRecord.resumedLogEvery(RunRecord.logEvery(dir), 7));
        assertEquals(Optional.empty(), RunRecord.logEveryConflict(RunRecord.logEvery(dir), 7));
        // damaged or missing: nothing known here (opening the run says what is wrong)
        Files.writeString(json, "{\"log_every\": ");
        assertEquals(OptionalInt.empty(), RunRecord.logEvery(dir));
        assertEquals(OptionalInt.empty(), RunRecord.logEvery(runs.resolve("none")));
    }
}
