package dev.dlx.runtime.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** metrics.csv and steps.csv read back: a damaged row is an error naming the file and line, and leaves the file as it was. */
class RunFolderRowsTest {

    @Test
    void aDamagedMetricsRowNamesItsLineAndColumnAndIsNotCut(@TempDir Path runs) throws Exception {
        RunFolder f = RunFolder.create(runs, "M");
        Path csv = f.file(RunFolder.METRICS);
        Files.writeString(csv, "epoch,lr,loss\n1,0.01,0.5\n2,0.01,O.25\n3,0.01,0.125\n");
        byte[] before = Files.readAllBytes(csv);
        IOException e = assertThrows(IOException.class, f::readMetrics);
        assertTrue(e.getMessage().contains("metrics.csv:3` is a damaged row: expected a number in column `loss`, found `O.25`"), e.getMessage());
        Files.writeString(csv, "epoch,lr,loss\n1,0.01,0.5\nx,0.01,0.25\n3,0.01,0.125\n");
        before = Files.readAllBytes(csv);
        e = assertThrows(IOException.class, () -> f.cutForResume(1, 0, -1));
        assertTrue(e.getMessage().contains("metrics.csv:3` is a damaged row: expected an epoch number first, found `x`"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(csv), "nothing was cut");
        Files.writeString(csv, "epoch,lr,loss\n1,0.01,0.5,7\n");
        e = assertThrows(IOException.class, f::readMetrics);
        assertTrue(e.getMessage().contains("metrics.csv:2` is a damaged row: expected 3 cells, as the header has, found 4"), e.getMessage());
        // a row after the checkpoint is cut, damaged or not (half written when the run ended): only its epoch is read
        Files.writeString(csv, "epoch,lr,loss\n1,0.01,0.5\n2,0.01,0.2e");
        f.cutForResume(1, 0, -1);
        assertEquals("epoch,lr,loss\n1,0.01,0.5\n", Files.readString(csv));
        // empty cells are missing values, not damage
        Files.writeString(csv, "epoch,lr,loss,val_loss\n1,0.01,0.5,\n");
        assertTrue(Double.isNaN(f.readMetrics().get("val_loss").get(0)));
        assertEquals(List.of(0.5), f.readMetrics().get("loss"));
    }

    @Test
    void aDamagedStepsRowIsAnErrorAndTheFileIsNotCut(@TempDir Path runs) throws Exception {
        RunFolder f = RunFolder.create(runs, "M");
        Path csv = f.file(RunFolder.STEPS);
        Files.writeString(csv, "epoch,batch,step,batches,loss\n1,5,5,5,2.3\n1,10,10,5\n");
        byte[] before = Files.readAllBytes(csv);
        IOException e = assertThrows(IOException.class, f::readSteps);
        assertTrue(e.getMessage().contains("steps.csv:3` is a damaged row: expected 5 numbers `epoch,batch,step,batches,loss`, found `1,10,10,5`"),
            e.getMessage());
        // metrics.csv would be cut to epoch 0, but steps.csv is damaged: neither is written
        Path metrics = f.file(RunFolder.METRICS);
        Files.writeString(metrics, "epoch,lr,loss\n1,0.01,0.5\n");
        assertThrows(IOException.class, () -> f.cutForResume(0, 5, -1));
        assertArrayEquals(before, Files.readAllBytes(csv));
        assertEquals("epoch,lr,loss\n1,0.01,0.5\n", Files.readString(metrics));
        Files.writeString(csv, "epoch,batch,step,batches,loss\n1,5,5,5,2.3,9\n");
        assertThrows(IOException.class, f::readSteps, "a sixth cell is damage too");
    }

    @Test
    void aHugeOrSpecialFileIsRefusedWithoutReadingIt(@TempDir Path runs) throws Exception {
        RunFolder f = RunFolder.create(runs, "M");
        try (RandomAccessFile r = new RandomAccessFile(f.file(RunFolder.STEPS).toFile(), "rw")) {
            r.setLength(RunFolder.MAX_CSV_BYTES + 1); // sparse: no disk is used
        }
        IOException e = assertThrows(IOException.class, f::readSteps);
        assertTrue(e.getMessage().contains("steps.csv` is larger than 256 MiB"), e.getMessage());
        Process p = new ProcessBuilder("mkfifo", f.file(RunFolder.METRICS).toString()).start();
        assertEquals(0, p.waitFor());
        assertTrue(assertThrows(IOException.class, f::readMetrics).getMessage().contains("metrics.csv` is not a regular file"));
    }
}
