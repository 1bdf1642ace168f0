package dev.dlx.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Where a worker other than the chief keeps the run folder no user reads: a temporary folder removed when the process ends. */
final class WorkerFolder {
    private WorkerFolder() {}

    static Path temporary(int task) throws IOException {
        Path dir = Files.createTempDirectory("dlx-worker-" + task + "-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir), "dlx-worker-folder"));
        return dir;
    }

    /** A copy of run folder {@code run} inside {@code dir}: a worker other than the chief resumes from its own copy. */
    static Path copy(Path run, Path dir) throws IOException {
        Path to = dir.resolve(run.toAbsolutePath().normalize().getFileName().toString());
        try (Stream<Path> all = Files.walk(run)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(run.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
        return to;
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind
        }
    }
}
