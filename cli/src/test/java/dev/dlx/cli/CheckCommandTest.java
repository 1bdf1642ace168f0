package dev.dlx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {
    private static final Path REPO = Path.of(System.getProperty("dlx.repo", ".."));

    record Run(int code, String out, String err) {}

    static Run dlxc(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void cleanFileExitsZeroWithSummary() {
        Run r = dlxc("check", "--color=never", REPO.resolve("samples/classic/lenet5.dlx").toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("Total params: 61,706"), r.out());
        assertTrue(r.out().contains("(None, 28, 28, 6)"), r.out());
        assertTrue(r.out().contains("check passed: 0 errors, 0 warnings"), r.out());
    }

    @Test
    void errorsExitOneWithRenderedDiagnostic(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.dlx");
        Files.writeString(bad, "model M(x [4, 4, 16]) {\n    dense 64 -> relu\n}\n");
        Run r = dlxc("check", "--color=never", bad.toString());
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("bad.dlx:2:5: error[DLX0401]: `dense` expects a rank-1 input, found [4, 4, 16]"), r.out());
        assertTrue(r.out().contains("    |     ^^^^^^^^ needs a vector"), r.out());
        assertTrue(r.out().contains("= help: insert `flatten` before this layer"), r.out());
        assertTrue(r.out().contains("check failed: 1 error, 0 warnings"), r.out());
    }

    @Test
    void usageErrorsExitTwo(@TempDir Path dir) {
        assertEquals(2, dlxc("check").code());
        assertEquals(2, dlxc("check", "--format", "yaml", "x.dlx").code());
        assertEquals(2, dlxc("check", dir.resolve("missing.dlx").toString()).code());
        assertEquals(2, dlxc("frobnicate").code());
    }

    @Test
    void jsonFormatCarriesSummaryAndDiagnostics(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.dlx");
        Files.writeString(bad, "model M(x [28, 28, 1]) {\n    conv 8 3 -> relu\n    dropout 1.5\n}\n");
        Run r = dlxc("check", "--format", "json", bad.toString());
        assertEquals(1, r.code());
        JsonObject root = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(1, root.get("errors").getAsInt());
        JsonObject file = root.getAsJsonArray("files").get(0).getAsJsonObject();
        JsonObject diag = file.getAsJsonArray("diagnostics").get(0).getAsJsonObject();
        assertEquals("DLX0305", diag.get("code").getAsString());
        JsonObject primary = diag.getAsJsonObject("primary");
        assertEquals(3, primary.get("line").getAsInt());
        assertEquals(13, primary.get("column").getAsInt());
        JsonObject model = file.getAsJsonArray("models").get(0).getAsJsonObject();
        assertEquals(80, model.get("totalParams").getAsLong()); // (3*3*1 + 1) * 8
        assertEquals("[null,26,26,8]".replace("null,", ""),
            model.getAsJsonArray("layers").get(1).getAsJsonObject().get("shape").toString());
    }

    @Test
    void explainPrintsCodesAndLayers() {
        Run code = dlxc("explain", "DLX0401");
        assertEquals(0, code.code());
        assertTrue(code.out().contains("input of the wrong rank"), code.out());
        Run conv = dlxc("explain", "conv");
        assertTrue(conv.out().contains("usage: conv FILTERS KERNEL"), conv.out());
        assertEquals(2, dlxc("explain", "nothing_like_this").code());
    }

    @Test
    void aLatin1FileIsAnInputErrorThatSaysWhichByteAndWhere(@TempDir Path dir) throws IOException {
        Path f = Files.write(dir.resolve("x.dlx"),
            "model M(x [4]) {\n    dense 2\n    // r\u00e9seau\n}\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        Run r = dlxc("check", "--color=never", f.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("x.dlx:3:9: error[DLX0105]: not UTF-8 text: byte 0xE9"), r.out());
        assertTrue(r.out().contains("  3 |     // r\uFFFDseau"), r.out());
        assertTrue(r.out().contains("check failed: 1 error, 0 warnings"), r.out());
    }

    @Test
    void aDirectoryOrAPipeIsRefusedWithoutBeingRead(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectory(dir.resolve("folder.dlx"));
        Run r = dlxc("check", "--color=never", folder.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("error[DLX0105]: `" + folder + "` is a directory, not a file"), r.out());

        Path fifo = dir.resolve("fifo.dlx");
        org.junit.jupiter.api.Assumptions.assumeTrue(
            new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo is not available");
        Run p = dlxc("check", "--color=never", fifo.toString());
        assertEquals(1, p.code(), p.out() + p.err());
        assertTrue(p.out().contains("is not a regular file (a pipe, a device or a socket); it was not read"), p.out());
    }

    @Test
    void verboseIsAcceptedBeforeOrAfterTheCommand() {
        // the launcher reads it (TensorFlow's log level); the command line must accept it anywhere
        assertEquals(0, dlxc("--verbose", "explain", "conv").code());
        assertEquals(0, dlxc("explain", "--verbose", "conv").code());
    }
}
