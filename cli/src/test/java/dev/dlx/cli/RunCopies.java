package dev.dlx.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Copies of run folders (and the projects holding them) for tests that damage or edit them. */
final class RunCopies {
    private RunCopies() {}

    /** Copies {@code from} to {@code to}, files and folders, leaving out the lock a training holds. */
    static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else if (!p.getFileName().toString().equals("run.lock")) Files.copy(p, t);
            }
        }
    }
}
