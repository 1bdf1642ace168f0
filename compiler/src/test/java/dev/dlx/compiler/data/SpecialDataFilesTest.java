package dev.dlx.compiler.data;

import static dev.dlx.compiler.data.Snippets.checkDataset;
import static dev.dlx.compiler.data.Snippets.only;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostics;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data source that is a pipe or a folder is refused without being read (reading a pipe would wait forever). */
class SpecialDataFilesTest {
    @TempDir Path tmp;

    @Test
    void aPipeAsACsvSourceIsAnErrorNotAHang() throws Exception {
        Path fifo = tmp.resolve("rows.csv");
        Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo is not available");
        Diagnostics sink = new Diagnostics();
        checkDataset("dataset d {\n    source csv \"rows.csv\" { features 0..3, label 4 }\n    labels classes 3 onehot\n}\n", tmp, sink);
        String m = only(sink, Code.DATA_FILE).message();
        assertTrue(m.contains("not a regular file"), m);
    }

    @Test
    void aFolderAsAnIdxSourceIsAnError() throws Exception {
        Files.createDirectory(tmp.resolve("images.idx"));
        Diagnostics sink = new Diagnostics();
        checkDataset("dataset d {\n    source idx \"images.idx\"\n}\n", tmp, sink);
        String m = only(sink, Code.DATA_FILE).message();
        assertTrue(m.contains("folder"), m);
    }
}
