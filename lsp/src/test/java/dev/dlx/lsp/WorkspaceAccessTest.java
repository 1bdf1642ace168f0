package dev.dlx.lsp;

import static dev.dlx.lsp.LspSession.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server reads no file outside its workspace folders unless the setting
 * `dlx.allowReadsOutsideWorkspace` allows it: an import or a data path that leads out, also
 * through a symbolic link, gets DLX0701 at the path, and nothing of the file reaches the editor.
 * The outside files hold words that the checker would quote if it read them (an unknown layer, the
 * header's column names), so a read would show.
 */
class WorkspaceAccessTest {
    /** The outside import's unknown layer: quoted in an error when the file is read. */
    static final String LAYER_MARK = "secretlayerzq";
    /** The outside CSV's header names: listed in an error when the header is read. */
    static final String COLUMN_MARK = "secretcolumn";
    static final String SETTING_HELP = "`dlx.allowReadsOutsideWorkspace`";

    @TempDir Path base;
    Path workspace;
    Path outside;

    @BeforeEach
    void files() throws Exception {
        workspace = Files.createDirectories(base.resolve("ws"));
        outside = Files.createDirectories(base.resolve("outside"));
        Files.writeString(outside.resolve("secret.dlx"), "model Leak(x [4]) -> [2] {\n    dense 2 -> " + LAYER_MARK + "\n}\n");
        Files.writeString(outside.resolve("secret.csv"), COLUMN_MARK + "_a," + COLUMN_MARK + "_b,label\n1,2,0\n3,4,1\n");
        Files.writeString(workspace.resolve("inside.csv"), "width_" + COLUMN_MARK + ",height,label\n1,2,0\n3,4,1\n");
        Files.writeString(workspace.resolve("lib.dlx"), "model Lib(x [4]) -> [2] {\n    dense 2 -> " + LAYER_MARK + "\n}\n");
    }

    /** A document that imports {@code path} and nothing else. */
    static String importing(String path) {
        return "import \"" + path + "\"\n\nmodel Net(x [4]) -> [2] {\n    dense 2\n}\n";
    }

    /** A document whose dataset reads the header of {@code path} and names a column it does not have. */
    static String reading(String path) {
        return "dataset d {\n    source csv \"" + path + "\" { header, features \"zz\", label \"label\" }\n}\n";
    }

    private static Range rangeOf(String text, String needle) {
        return new Range(at(text, needle), at(text, needle, 0, needle.length()));
    }

    private static List<Diagnostic> withCode(PublishDiagnosticsParams p, String code) {
        return p.getDiagnostics().stream().filter(d -> code.equals(d.getCode().getLeft())).toList();
    }

    /** Every message the server published in the session, as JSON. */
    private static String allPublished(LspSession s) {
        return new Gson().toJson(s.client.published);
    }

    private String uri(Path p) { return p.toUri().toString(); }

    @Test
    void anImportOutsideTheWorkspaceIsRefusedAndNeverShown() throws Exception {
        String text = importing("../outside/secret.dlx");
        String doc = uri(workspace.resolve("main.dlx"));
        try (LspSession s = new LspSession(workspace)) {
            s.open(doc, text, 1);
            PublishDiagnosticsParams p = s.diagnostics(doc, 1);
            assertEquals(1, p.getDiagnostics().size(), p.getDiagnostics().toString());
            Diagnostic d = p.getDiagnostics().get(0);
            assertEquals("DLX0701", d.getCode().getLeft());
            assertEquals(rangeOf(text, "\"../outside/secret.dlx\""), d.getRange());
            assertTrue(d.getMessage().startsWith("imported file `../outside/secret.dlx` is outside the workspace folders; it was not read"),
                d.getMessage());
            assertTrue(d.getMessage().contains(SETTING_HELP), d.getMessage());
            assertFalse(allPublished(s).contains(LAYER_MARK), allPublished(s));
        }
    }

    @Test
    void aDataFileOutsideTheWorkspaceIsRefusedAndItsHeaderNeverShown() throws Exception {
        String path = outside.resolve("secret.csv").toString();
        String text = reading(path);
        String doc = uri(workspace.resolve("data.dlx"));
        try (LspSession s = new LspSession(workspace)) {
            s.open(doc, text, 1);
            PublishDiagnosticsParams p = s.diagnostics(doc, 1);
            List<Diagnostic> refused = withCode(p, "DLX0701");
            assertEquals(1, refused.size(), p.getDiagnostics().toString());
            assertEquals(rangeOf(text, "\"" + path + "\""), refused.get(0).getRange());
            assertTrue(refused.get(0).getMessage().startsWith("data file `" + path + "` is outside the workspace folders; it was not read"),
                refused.get(0).getMessage());
            assertFalse(allPublished(s).contains(COLUMN_MARK), allPublished(s));
        }
    }

    @Test
    void aLinkInsideTheWorkspaceThatLeadsOutIsRefused() throws Exception {
        Files.createSymbolicLink(workspace.resolve("linked"), outside);
        Files.createSymbolicLink(workspace.resolve("data.csv"), outside.resolve("secret.csv"));
        Files.createSymbolicLink(workspace.resolve("gone.dlx"), outside.resolve("none.dlx")); // leads out to nothing
        String text = "import \"gone.dlx\"\n" + importing("linked/secret.dlx") + reading("data.csv");
        String doc = uri(workspace.resolve("main.dlx"));
        try (LspSession s = new LspSession(workspace)) {
            s.open(doc, text, 1);
            PublishDiagnosticsParams p = s.diagnostics(doc, 1);
            List<Diagnostic> refused = withCode(p, "DLX0701");
            assertEquals(List.of(rangeOf(text, "\"gone.dlx\""), rangeOf(text, "\"linked/secret.dlx\""), rangeOf(text, "\"data.csv\"")),
                refused.stream().map(Diagnostic::getRange).toList(), p.getDiagnostics().toString());
            Path real = outside.toRealPath();
            assertTrue(refused.get(0).getMessage().contains("(it leads to " + real.resolve("none.dlx") + ")"), refused.get(0).getMessage());
            assertTrue(refused.get(1).getMessage().contains("(it leads to " + real.resolve("secret.dlx") + ")"), refused.get(1).getMessage());
            assertTrue(refused.get(2).getMessage().contains("(it leads to " + real.resolve("secret.csv") + ")"), refused.get(2).getMessage());
            String all = allPublished(s);
            assertFalse(all.contains(LAYER_MARK) || all.contains(COLUMN_MARK), all);
        }
    }

    @Test
    void withTheSettingInInitializationOptionsOutsideFilesAreRead() throws Exception {
        String text = importing("../outside/secret.dlx") + reading(outside.resolve("secret.csv").toString());
        String doc = uri(workspace.resolve("main.dlx"));
        try (LspSession s = new LspSession(workspace, Map.of("allowReadsOutsideWorkspace", true))) {
            s.open(doc, text, 1);
            PublishDiagnosticsParams p = s.diagnostics(doc, 1);
            assertEquals(List.of(), withCode(p, "DLX0701"));
            String messages = p.getDiagnostics().toString();
            assertTrue(messages.contains("`" + LAYER_MARK + "`"), messages); // the import was read: its unknown layer
            assertTrue(messages.contains(COLUMN_MARK + "_a"), messages); // the header was read: its names
        }
    }

    @Test
    void changingTheSettingChecksTheOpenDocumentsAgain() throws Exception {
        String text = importing("../outside/secret.dlx");
        String doc = uri(workspace.resolve("main.dlx"));
        try (LspSession s = new LspSession(workspace)) {
            s.open(doc, text, 1);
            assertEquals(1, withCode(s.diagnostics(doc, 1), "DLX0701").size());
            JsonObject on = new JsonObject();
            JsonObject dlx = new JsonObject();
            dlx.addProperty("allowReadsOutsideWorkspace", true);
            on.add("dlx", dlx); // as VS Code sends its `dlx` section
            s.configure(on);
            PublishDiagnosticsParams read = s.diagnosticsUntil(doc, p -> withCode(p, "DLX0701").isEmpty());
            assertTrue(read.getDiagnostics().toString().contains("`" + LAYER_MARK + "`"), read.getDiagnostics().toString());
            s.configure(new JsonObject()); // as VS Code sends a setting turned off: left out
            PublishDiagnosticsParams refused = s.diagnosticsUntil(doc, p -> !withCode(p, "DLX0701").isEmpty());
            assertEquals(1, refused.getDiagnostics().size(), refused.getDiagnostics().toString());
        }
    }

    @Test
    void insideTheWorkspaceImportsAndDataAreReadAsBefore() throws Exception {
        String text = importing("lib.dlx") + reading("inside.csv");
        String doc = uri(workspace.resolve("main.dlx"));
        try (LspSession s = new LspSession(workspace)) {
            s.open(doc, text, 1);
            PublishDiagnosticsParams p = s.diagnostics(doc, 1);
            assertEquals(List.of(), withCode(p, "DLX0701"));
            String messages = p.getDiagnostics().toString();
            assertTrue(messages.contains("`" + LAYER_MARK + "`"), messages);
            assertTrue(messages.contains("width_" + COLUMN_MARK), messages);
        }
    }

    private static List<String> fileCompletions(LspSession s, String uri, String text) throws Exception {
        return s.server.getTextDocumentService().completion(new CompletionParams(LspSession.doc(uri), at(text, "\"", 0, 1)))
            .get(30, TimeUnit.SECONDS).getRight().getItems().stream().map(CompletionItem::getLabel).toList();
    }

    @Test
    void fileNamesAreCompletedOnlyInsideTheWorkspace() throws Exception {
        String text = "import \"\"\n";
        String insideDoc = uri(workspace.resolve("main.dlx"));
        String outsideDoc = uri(outside.resolve("main.dlx")); // the editor sent it: its text is checked, its folder not listed
        try (LspSession s = new LspSession(workspace)) {
            s.open(insideDoc, text, 1);
            s.open(outsideDoc, text, 1);
            s.diagnostics(insideDoc, 1);
            assertEquals(List.of("lib.dlx"), fileCompletions(s, insideDoc, text));
            assertEquals(List.of(), fileCompletions(s, outsideDoc, text));
        }
    }

    @Test
    void withoutWorkspaceFoldersTheOpenDocumentsFolderCounts() throws Exception {
        String text = "import \"lib.dlx\"\nimport \"../outside/secret.dlx\"\n";
        String doc = uri(workspace.resolve("main.dlx"));
        try (LspSession s = new LspSession(null)) {
            s.open(doc, text, 1);
            PublishDiagnosticsParams p = s.diagnostics(doc, 1);
            List<Diagnostic> refused = withCode(p, "DLX0701");
            assertEquals(1, refused.size(), p.getDiagnostics().toString());
            assertEquals(rangeOf(text, "\"../outside/secret.dlx\""), refused.get(0).getRange());
            assertTrue(refused.get(0).getMessage().contains("is outside the folders of the open documents"), refused.get(0).getMessage());
            assertTrue(p.getDiagnostics().toString().contains("`" + LAYER_MARK + "`"), "lib.dlx beside the document is read");
        }
    }
}
