package dev.dlx.runtime.run;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.Compiler;
import dev.dlx.compiler.resolve.SourceText;
import dev.dlx.compiler.syntax.Program;
import dev.dlx.runtime.train.AtomicWrite;
import dev.dlx.support.TextFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run's own copy of its program, `source/` in the run folder: the root file and every import, in
 * the layout they had relative to the folder that holds them all (so two `common.dlx` from
 * different folders stay apart and relative imports still resolve), and `source/files.json`, which
 * names each copy's original path. A run is evaluated, predicted, built and resumed from this copy,
 * compiled as if it stood at the original paths (data paths resolve as when it trained), whatever
 * the files on disk say now.
 */
public final class RunSource {
    public static final String DIR = "source";
    public static final String INDEX = "files.json";

    private RunSource() {}

    /** Copies {@code programs} (rooted at {@code rootFile}) into {@code runDir}/source; returns the root copy's path relative to runDir. */
    public static String copy(Path runDir, List<Program> programs, Path rootFile) throws IOException {
        Path src = runDir.resolve(DIR);
        Files.createDirectories(src);
        Path root = rootFile.toAbsolutePath().normalize();
        List<Path> files = new ArrayList<>();
        Map<Path, String> texts = new LinkedHashMap<>();
        for (Program p : programs) {
            if (p.file().path() == null) continue;
            Path abs = p.file().path().toAbsolutePath().normalize();
            if (texts.putIfAbsent(abs, p.file().text()) == null) files.add(abs);
        }
        if (!texts.containsKey(root)) throw new IOException("the program does not contain its root file `" + rootFile + "`");
        Path base = commonFolder(files);
        JsonArray index = new JsonArray();
        String rootCopy = null;
        for (Path abs : files) {
            Path rel = base == null ? abs.getFileName() : base.relativize(abs);
            Path target = src.resolve(rel).normalize();
            if (!target.startsWith(src)) throw new IOException("cannot place a copy of `" + abs + "` inside " + src);
            Files.createDirectories(target.getParent());
            AtomicWrite.write(target, texts.get(abs));
            JsonObject e = new JsonObject();
            e.addProperty("path", abs.toString());
            e.addProperty("copy", src.relativize(target).toString().replace('\\', '/'));
            index.add(e);
            if (abs.equals(root)) rootCopy = DIR + "/" + e.get("copy").getAsString();
        }
        AtomicWrite.write(src.resolve(INDEX), index.toString() + "\n");
        return rootCopy;
    }

    /** The deepest folder holding every one of {@code files}. */
    static Path commonFolder(List<Path> files) {
        Path common = null;
        for (Path f : files) {
            Path dir = f.getParent();
            if (common == null) {
                common = dir;
                continue;
            }
            while (common != null && (dir == null || !dir.startsWith(common))) common = common.getParent();
        }
        return common;
    }

    /**
     * Compiles the run's own program: its copies served at their original paths. Prints a note to
     * {@code note} when a file on disk differs from (or has lost) the copy the run used. Runs made
     * before the index existed have only the root file's copy: imports then come from the disk.
     * Null after printing why (no copy, or the copy has errors).
     */
    public static Compilation compile(RunFolder folder, RunRecord run, PrintWriter note, PrintWriter err) throws IOException {
        Path file = run.file().toAbsolutePath().normalize();
        Path rootCopy = folder.dir().resolve(run.source()).normalize();
        Map<Path, Path> copies = new LinkedHashMap<>();
        Path index = indexOf(rootCopy);
        if (index != null) {
            JsonElement parsed;
            try {
                parsed = JsonParser.parseString(TextFiles.read(index, RunFolder.MAX_TEXT_BYTES));
            } catch (RuntimeException bad) {
                throw new IOException("`" + index + "` is damaged (" + bad.getMessage() + "); the run's sources cannot be read");
            }
            if (!parsed.isJsonArray()) throw new IOException("`" + index + "` is damaged (not a list of files)");
            for (JsonElement e : parsed.getAsJsonArray()) {
                if (!e.isJsonObject() || !e.getAsJsonObject().has("path") || !e.getAsJsonObject().has("copy")) {
                    throw new IOException("`" + index + "` is damaged (an entry without path and copy)");
                }
                Path copy = index.getParent().resolve(e.getAsJsonObject().get("copy").getAsString()).normalize();
                if (!copy.startsWith(index.getParent())) throw new IOException("`" + index + "` names a copy outside " + index.getParent());
                copies.put(Path.of(e.getAsJsonObject().get("path").getAsString()).toAbsolutePath().normalize(), copy);
            }
        } else if (Files.isRegularFile(rootCopy)) {
            copies.put(file, rootCopy);
        }
        if (!copies.containsKey(file) || !Files.isRegularFile(copies.get(file))) {
            if (Files.isRegularFile(file)) {
                note.println("note: `" + Runner.display(folder.dir()) + "` holds no copy of its source; using `" + Runner.display(file) + "` as it is now");
                note.flush();
                return Programs.compile(file, err, RunParams.read(folder));
            }
            err.println("dlxc: neither `" + file + "` nor its copy in `" + Runner.display(folder.dir()) + "` exists");
            return null;
        }
        Map<Path, String> texts = new LinkedHashMap<>();
        List<String> changed = new ArrayList<>();
        for (Map.Entry<Path, Path> c : copies.entrySet()) {
            String text = TextFiles.read(c.getValue(), SourceText.MAX_BYTES);
            texts.put(c.getKey(), text);
            Optional<String> now = read(c.getKey());
            if (now.isEmpty()) changed.add("`" + Runner.display(c.getKey()) + (Files.isRegularFile(c.getKey()) ? "` cannot be read" : "` is gone"));
            else if (!now.get().equals(text)) changed.add("`" + Runner.display(c.getKey()) + "` changed");
        }
        if (!changed.isEmpty()) {
            note.println("note: " + String.join(", ", changed) + " since the run; using the run's own copy (" + Runner.display(copies.get(file)) + ")");
            note.flush();
        }
        boolean indexed = index != null;
        Compiler compiler = new Compiler(path -> {
            String t = texts.get(path.toAbsolutePath().normalize());
            if (t != null) return Optional.of(t);
            return indexed ? Optional.empty() : dev.dlx.compiler.resolve.SourceProvider.DISK.read(path);
        }, Path.of("").toAbsolutePath()).withParams(RunParams.read(folder));
        Compilation c = compiler.compile(file, texts.get(file));
        return Programs.report(c, err) ? c : null;
    }

    private static Optional<String> read(Path p) {
        try {
            return Files.isRegularFile(p) ? Optional.of(TextFiles.read(p, SourceText.MAX_BYTES)) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** source/files.json of the `source` folder that holds {@code rootCopy} (a fold's run names its parent's), or null. */
    private static Path indexOf(Path rootCopy) {
        for (Path d = rootCopy.getParent(); d != null; d = d.getParent()) {
            if (d.getFileName() != null && d.getFileName().toString().equals(DIR) && Files.isRegularFile(d.resolve(INDEX))) {
                return d.resolve(INDEX);
            }
            if (Files.isRegularFile(d.resolve(RunFolder.RUN_JSON))) return null;
        }
        return null;
    }
}
