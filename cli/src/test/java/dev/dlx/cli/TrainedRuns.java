package dev.dlx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Run folders for the tests of commands that read one: trained once per test class, copied to be damaged or edited. */
final class TrainedRuns {
    private static final Path REPO = Path.of(System.getProperty("dlx.repo", "..")).toAbsolutePath().normalize();

    private TrainedRuns() {}

    /**
     * Writes {@code file}: a digits MLP (`model`, one hidden layer of {@code units}) normalized
     * featurewise, trains it one epoch with seed 3 into {@code runs}, and returns the run folder.
     */
    static Path smallDigitsRun(Path file, String model, int units, Path runs) throws Exception {
        Files.writeString(file, """
            dataset digits {
                source csv "%s" { features 0..63, label 64 }
                features scale 1/16
                labels classes 10 onehot
                split train 70%%, val 15%%, test 15%% shuffle seed 42
                normalize featurewise
                batch 64
            }
            model %s(pixels [64]) -> [10] {
                dense %d -> relu
                dense 10 -> softmax
            }
            train %s on digits {
                loss categorical_crossentropy
                optimizer adam lr 1e-2
                epochs 1
            }
            """.formatted(REPO.resolve("samples/data/digits.csv.gz"), model, units, model));
        var r = TrainingCommandsTest.dlxc("run", file.toString(), "--runs", runs.toString(), "--seed", "3", "--progress", "plain");
        assertEquals(0, r.code(), r.toString());
        try (Stream<Path> s = Files.list(runs)) {
            return s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    /**
     * Writes {@code file}: a digits MLP (`model`, one hidden layer of {@code units}) normalized
     * featurewise over `kfold 5`, trains it one epoch per fold with seed 3 into {@code runs}, and
     * returns the run folder, which holds `fold-1` to `fold-5`.
     */
    static Path smallKfoldRun(Path file, String model, int units, Path runs) throws Exception {
        Files.writeString(file, """
            dataset digits {
                source csv "%s" { features 0..63, label 64 }
                features scale 1/16
                labels classes 10 onehot
                split train 85%%, test 15%% shuffle seed 42
                kfold 5 seed 2
                normalize featurewise
                batch 64
            }
            model %s(pixels [64]) -> [10] {
                dense %d -> relu
                dense 10 -> softmax
            }
            train %s on digits {
                loss categorical_crossentropy
                optimizer adam lr 1e-2
                epochs 1
            }
            """.formatted(REPO.resolve("samples/data/digits.csv.gz"), model, units, model));
        var r = TrainingCommandsTest.dlxc("run", file.toString(), "--runs", runs.toString(), "--seed", "3", "--progress", "plain");
        assertEquals(0, r.code(), r.toString());
        try (Stream<Path> s = Files.list(runs)) {
            return s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

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
