package dev.dlx.lsp;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.dlx.compiler.resolve.FileAccess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The files the language server may read: those inside its workspace folders, or, when the editor
 * names none, inside the folders of the open documents (their files, not unsaved buffers). Paths
 * are compared as real paths, so a symbolic link inside a folder that leads out of it is outside.
 * Open documents themselves may always be read (the editor sent their text). The setting
 * {@value #SETTING} allows every file.
 */
final class WorkspaceAccess implements FileAccess {
    /** The setting's name as the editor shows it; in `initializationOptions` and `settings` it is the key {@value #KEY}, also under `dlx`. */
    static final String SETTING = "dlx.allowReadsOutsideWorkspace";
    static final String KEY = "allowReadsOutsideWorkspace";
    /** Links followed by hand for a path that does not exist, as the system's own limit. */
    private static final int MAX_LINKS = 40;

    private final Supplier<Collection<DocumentService.Document>> open;
    private volatile List<Path> roots = List.of();
    private volatile boolean allowOutside;

    /** {@code open}: the open documents, whose folders count when there are no workspace folders. */
    WorkspaceAccess(Supplier<Collection<DocumentService.Document>> open) {
        this.open = open;
    }

    /** The workspace folders (absolute, normalized); their real paths are what files are compared with. */
    void setRoots(List<Path> folders) {
        List<Path> real = new ArrayList<>();
        for (Path f : folders) {
            Path r = real(f);
            real.add(r == null ? f.toAbsolutePath().normalize() : r);
        }
        roots = List.copyOf(real);
    }

    void allowOutside(boolean allow) { allowOutside = allow; }

    boolean allowsOutside() { return allowOutside; }

    @Override public Optional<Refusal> check(Path path) {
        if (allowOutside) return Optional.empty();
        Path file = path.toAbsolutePath().normalize();
        Collection<DocumentService.Document> docs = open.get();
        for (DocumentService.Document d : docs) if (d.path().equals(file)) return Optional.empty();
        Path real = real(file);
        if (real != null) for (Path folder : folders(docs)) if (real.startsWith(folder)) return Optional.empty();
        boolean workspace = !roots.isEmpty();
        String where = workspace ? "the workspace folders" : "the folders of the open documents";
        String leads = real == null ? " (through symbolic links that loop or cannot be read)" : real.equals(file) ? "" : " (it leads to " + real + ")";
        String reason = "is outside " + where + leads;
        return Optional.of(new Refusal(reason, "the language server reads only files inside " + where
            + "; open the folder that holds it " + (workspace ? "as a workspace folder" : "as a workspace")
            + ", or allow it with the setting `" + SETTING + "`"));
    }

    private Set<Path> folders(Collection<DocumentService.Document> docs) {
        Set<Path> out = new LinkedHashSet<>(roots);
        if (!out.isEmpty()) return out;
        for (DocumentService.Document d : docs) {
            if (!d.uri().regionMatches(true, 0, "file:", 0, 5) || d.path().getParent() == null) continue;
            Path r = real(d.path().getParent());
            if (r != null) out.add(r);
        }
        return out;
    }

    /**
     * The real path: every symbolic link resolved. For a path that does not exist, the real path of
     * its nearest existing folder with the rest appended (so a missing file behind a link that leads
     * out is outside too); null when links loop or cannot be read (such a path counts as outside).
     */
    static Path real(Path path) {
        return real(path.toAbsolutePath().normalize(), 0);
    }

    private static Path real(Path abs, int links) {
        for (Path existing = abs; existing != null; existing = existing.getParent()) {
            try {
                return existing.toRealPath().resolve(existing.relativize(abs)).normalize();
            } catch (IOException | RuntimeException e) {
                // not there (yet): a link that leads nowhere is followed by hand, else the folder above is tried
            }
            if (Files.isSymbolicLink(existing)) {
                if (links >= MAX_LINKS) return null;
                try {
                    Path target = existing.resolveSibling(Files.readSymbolicLink(existing));
                    return real(target.resolve(existing.relativize(abs)).toAbsolutePath().normalize(), links + 1);
                } catch (IOException | RuntimeException e) {
                    return null;
                }
            }
        }
        return abs;
    }

    /**
     * Whether {@code settings} (`initializationOptions` or `workspace/didChangeConfiguration`'s)
     * turn the setting on: `{"allowReadsOutsideWorkspace": true}`, or the same under `dlx` (as
     * VS Code sends its settings). Anything else means off, the default: a client that sends no
     * value for it (VS Code leaves out a setting that is off) has it off.
     */
    static boolean allowed(Object settings) {
        if (settings == null) return false;
        JsonElement json = settings instanceof JsonElement e ? e : new Gson().toJsonTree(settings);
        if (!json.isJsonObject()) return false;
        JsonObject o = json.getAsJsonObject();
        if (o.has("dlx") && o.get("dlx").isJsonObject()) o = o.getAsJsonObject("dlx");
        JsonElement v = o.get(KEY);
        return v != null && v.isJsonPrimitive() && v.getAsJsonPrimitive().isBoolean() && v.getAsBoolean();
    }
}
