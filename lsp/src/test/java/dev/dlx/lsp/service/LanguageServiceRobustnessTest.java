package dev.dlx.lsp.service;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.dlx.compiler.resolve.SourceProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every question at every place of every sample and broken test program, and completion at every
 * point of a file being typed from its start: answers may be empty, never an exception.
 */
class LanguageServiceRobustnessTest {
    static List<Path> corpus() {
        String repo = System.getProperty("dlx.repo");
        Path base = (repo != null && !repo.isBlank() ? Path.of(repo) : Path.of("..")).toAbsolutePath().normalize();
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("samples", "compiler/src/test/resources/check")) {
            Path root = base.resolve(dir);
            if (!Files.isDirectory(root)) continue;
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(p -> p.toString().endsWith(".dlx")).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    @TestFactory
    List<DynamicTest> everyQuestionEverywhere() {
        LanguageService service = new LanguageService();
        List<DynamicTest> tests = new ArrayList<>();
        List<Path> files = corpus();
        assertFalse(files.isEmpty());
        for (Path file : files) {
            tests.add(DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
                String text = Files.readString(file);
                Analysis a = service.analyze(file, text, SourceProvider.DISK, file.getParent());
                int length = text.length();
                int step = length > 4000 ? 7 : 1;
                for (int offset = 0; offset <= length; offset += step) {
                    service.hover(a, offset, List.of(a));
                    service.complete(a, text, offset);
                    service.definition(a, offset);
                    service.references(a, offset, true, List.of());
                }
                service.symbols(a);
                // Typing the file from its start: completion on every prefix, with the analysis of the whole.
                for (int cut = 0; cut <= text.length(); cut += Math.max(1, text.length() / 200)) {
                    String prefix = text.substring(0, cut);
                    service.complete(a, prefix, prefix.length());
                }
            }));
        }
        return tests;
    }
}
