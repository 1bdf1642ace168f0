package dev.dlx.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.resolve.SourceProvider;
import dev.dlx.lsp.service.Analysis;
import dev.dlx.lsp.service.LanguageService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workspace index does its work in the background and only there: what a request gets is what
 * was indexed before it, and what is checked is counted, never timed.
 */
class WorkspaceIndexTest {
    @TempDir Path dir;

    /** Background work that runs only when the test says so. */
    private final Deque<Runnable> queued = new ArrayDeque<>();

    private void runQueued() {
        while (!queued.isEmpty()) queued.poll().run();
    }

    private final Set<Path> open = new HashSet<>();

    private WorkspaceIndex index() {
        LanguageService service = new LanguageService();
        return new WorkspaceIndex(queued::add, (file, text) -> service.analyze(file, text, SourceProvider.DISK, dir), open::contains);
    }

    private static Set<Path> paths(WorkspaceIndex index) {
        Set<Path> out = new HashSet<>();
        for (Analysis a : index.analyses()) out.add(a.path());
        return out;
    }

    @Test
    void filesAreCheckedInTheBackgroundOnceEachAndLargeOnesNever() throws Exception {
        Path a = Files.writeString(dir.resolve("a.dlx"), "block b {\n    relu\n}\n");
        Path m = Files.writeString(dir.resolve("m.dlx"), "import \"a.dlx\"\nmodel M(x [4]) {\n    b\n}\n");
        Files.createDirectories(dir.resolve(".hidden"));
        Files.writeString(dir.resolve(".hidden/h.dlx"), "block h {\n    relu\n}\n");
        Path huge = dir.resolve("huge.dlx");
        Files.writeString(huge, "// " + "x".repeat((int) WorkspaceIndex.MAX_FILE_BYTES) + "\n");

        WorkspaceIndex index = index();
        index.setRoots(List.of(dir));
        assertEquals(0, index.checks(), "nothing is checked on the caller's thread");
        assertTrue(index.analyses().isEmpty(), "a question before the first scan gets what is indexed: nothing");
        assertEquals(1, queued.size());

        runQueued();
        assertEquals(2, index.checks(), "a.dlx and m.dlx; not the hidden folder's file, not the huge one");
        assertEquals(Set.of(a, m), paths(index));
        assertEquals(Set.of(huge.toAbsolutePath().normalize()), index.tooLarge());

        index.refresh();
        index.refresh();
        assertEquals(1, queued.size(), "refreshes before a scan starts share it");
        runQueued();
        assertEquals(2, index.checks(), "unchanged files are not checked again");

        Files.writeString(a, "block b {\n    relu\n    relu\n}\n");
        Files.setLastModifiedTime(a, FileTime.fromMillis(Files.getLastModifiedTime(a).toMillis() + 5000));
        index.refresh();
        runQueued();
        assertEquals(3, index.checks(), "the changed file is checked again, the other one is not");

        index.invalidate();
        runQueued();
        assertEquals(5, index.checks(), "after an invalidation every file is checked again");

        open.add(m);
        assertEquals(Set.of(a), paths(index), "an open file is answered from its document, not from the disk");
        Files.delete(a);
        index.refresh();
        runQueued();
        assertTrue(index.analyses().isEmpty(), "a deleted file is forgotten");
    }
}
