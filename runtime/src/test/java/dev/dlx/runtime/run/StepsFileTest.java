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
        // resumed after epoch 1 and 5 batches of epoch 2 (a checkpoint that does not count its steps): the row at batch 10 of epoch 2 goes
        f.cutForResume(1, 5, -1);
        assertEquals(List.of(first.get(0), first.get(1), second.get(0)), f.readSteps());
        f.cutForResume(1, 0, -1);
        assertEquals(first, f.readSteps());
    }

    /**
     * An epoch interrupted on 3 workers (rows at its batches 7, 14, 16), begun again on 2 (rows at
     * batches 7 and 10) and interrupted again: a checkpoint that counts its steps keeps every row of
     * the steps taken, where cutting by batch would drop the 3 workers' rows after batch 10.
     */
    @Test
    void aResumeCutsStepsByTheStepsTheCheckpointTook(@TempDir Path runs) throws Exception {
        RunFolder f = RunFolder.create(runs, "M");
        List<StepLosses.Row> epoch1 = List.of(row(1, 7, 7, 1f), row(1, 20, 20, 0.9f));
        List<StepLosses.Row> onThree = List.of(row(2, 7, 27, 0.8f), row(2, 14, 34, 0.7f), row(2, 16, 36, 0.6f));
        List<StepLosses.Row> onTwo = List.of(row(2, 7, 43, 0.5f), row(2, 10, 46, 0.4f));
        f.appendSteps(epoch1);
        f.appendSteps(onThree);
        f.appendSteps(onTwo);
        List<StepLosses.Row> all = new java.util.ArrayList<>(epoch1);
        all.addAll(onThree);
        all.addAll(onTwo);
        f.cutForResume(1, 10, 46);
        assertEquals(all, f.readSteps(), "`last` holds 46 steps: every row stays");
        f.cutForResume(1, 7, 43);
        assertEquals(all.subList(0, 6), f.readSteps(), "the row of steps 44-46 goes");
        f.cutForResume(1, 0, 20);
        assertEquals(epoch1, f.readSteps());
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
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve(RunFolder.RUN_JSON)), files.toList(), "reading it leaves the folder as it is");
        }
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
