package dev.dlx.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.lsp.service.LanguageService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a change is checked: at once after a quiet period, after the debounce time within a burst.
 * The debounce here is a minute, so a check that waited for it would not come within the test.
 */
class DocumentServiceTest {
    private static final long MINUTE = 60_000;

    @Test
    void aChangeAfterAQuietPeriodIsCheckedAtOnceAndABurstWaits(@TempDir Path dir) throws Exception {
        BlockingQueue<Integer> published = new LinkedBlockingQueue<>();
        DocumentService service = new DocumentService(new LanguageService(),
            (doc, analysis) -> { if (analysis != null) published.add(doc.version()); }, MINUTE);
        try {
            String uri = Files.writeString(dir.resolve("a.dlx"), "").toUri().toString();
            String text = "model M(x [4]) -> [2] {\n    dense 2\n}\n";
            service.open(uri, text, 1);
            assertEquals(1, published.poll(30, TimeUnit.SECONDS));
            // the first change of the document: nothing came before it, so it is checked without waiting a minute
            service.change(uri, text.replace("dense 2", "dense 3"), 2);
            assertEquals(2, published.poll(30, TimeUnit.SECONDS));
            // changes that follow it within the debounce time are checked once it has passed: none now
            service.change(uri, text.replace("dense 2", "dense 4"), 3);
            service.change(uri, text.replace("dense 2", "dense 5"), 4);
            assertNull(published.poll(1, TimeUnit.SECONDS), "a burst waits for the debounce time");
            // asking for the analysis checks the newest text now
            assertTrue(service.analysis(uri).orElseThrow().text().contains("dense 5"));
        } finally {
            service.shutdown();
        }
    }

    /**
     * The workspace's other files are checked only after the first document's diagnostics are out,
     * so that the check the user waits for has the cores to itself. The index's longest wait here is
     * a minute: what it checks within the test, it checks because the first diagnostics came.
     */
    @Test
    void theWorkspaceIsIndexedAfterTheFirstDiagnostics(@TempDir Path dir) throws Exception {
        BlockingQueue<Integer> published = new LinkedBlockingQueue<>();
        DocumentService service = new DocumentService(new LanguageService(),
            (doc, analysis) -> { if (analysis != null) published.add(doc.version()); }, 20, MINUTE);
        try {
            Path other = Files.writeString(dir.resolve("other.dlx"), "model Other(x [4]) -> [2] {\n    dense 2\n}\n");
            service.setRoots(java.util.List.of(dir));
            Thread.sleep(1000);
            assertTrue(service.world().isEmpty(), "no file is checked before a document's first diagnostics");
            String uri = Files.writeString(dir.resolve("a.dlx"), "").toUri().toString();
            service.open(uri, "model M(x [4]) -> [2] {\n    dense 2\n}\n", 1);
            assertEquals(1, published.poll(30, TimeUnit.SECONDS));
            boolean indexed = false;
            for (int i = 0; i < 300 && !indexed; i++) {
                indexed = service.world().stream().anyMatch(a -> a.text().contains("model Other"));
                if (!indexed) Thread.sleep(100);
            }
            assertTrue(indexed, "the workspace's other file is checked once the first diagnostics are out: " + other);
        } finally {
            service.shutdown();
        }
    }
}
