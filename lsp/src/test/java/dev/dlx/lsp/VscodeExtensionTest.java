package dev.dlx.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.dlx.compiler.layers.Layers;
import dev.dlx.lsp.service.Vocabulary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The VS Code extension in ide/vscode: its TextMate grammar knows every word of the registries,
 * and its own tests (node's test runner over the grammar with vscode-textmate and
 * vscode-oniguruma, and the client's activation) pass. Those run where `node` and `npm` are on
 * the PATH and are skipped elsewhere.
 */
class VscodeExtensionTest {
    static Path extension() {
        String repo = System.getProperty("dlx.repo");
        Path base = repo != null && !repo.isBlank() ? Path.of(repo) : Path.of("..");
        return base.resolve("ide/vscode").toAbsolutePath().normalize();
    }

    private static JsonObject grammar() throws IOException {
        return JsonParser.parseString(Files.readString(extension().resolve("syntaxes/dlx.tmLanguage.json"))).getAsJsonObject();
    }

    private static String match(JsonObject grammar, String rule) {
        return grammar.getAsJsonObject("repository").getAsJsonObject(rule).getAsJsonArray("patterns")
            .get(0).getAsJsonObject().get("match").getAsString();
    }

    @Test
    void theGrammarHighlightsEveryLayerKindAndStatementWord() throws IOException {
        JsonObject g = grammar();
        assertEquals("source.dlx", g.get("scopeName").getAsString());
        Pattern layers = Pattern.compile(match(g, "layers"));
        for (String spelling : Layers.spellings()) {
            var m = layers.matcher(spelling);
            assertTrue(m.find() && m.group().equals(spelling), "the grammar does not know the layer kind `" + spelling + "`");
        }
        Pattern statements = Pattern.compile(match(g, "statements"), Pattern.MULTILINE);
        for (Vocabulary.Block block : Vocabulary.Block.values()) {
            for (String word : Vocabulary.statements(block).keySet()) {
                var m = statements.matcher("    " + word + " x");
                assertTrue(m.find() && m.group(1).equals(word), "the grammar does not know the statement `" + word + "`");
            }
        }
    }

    private record Result(int code, String output) {}

    private static Result run(Path dir, long timeoutSeconds, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // the process ended
            }
        });
        reader.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            reader.join(5000);
            return new Result(-1, out.toString(StandardCharsets.UTF_8) + "\n(timed out after " + timeoutSeconds + " s)");
        }
        reader.join(5000);
        return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
    }

    private static boolean available(String tool) {
        try {
            return run(extension(), 60, tool, "--version").code() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void nodeTestsOfTheGrammarAndTheClientPass() throws Exception {
        Assumptions.assumeTrue(available("node") && available("npm"), "node and npm are not on the PATH");
        Path dir = extension();
        Result install = run(dir, 600, "npm", "ci", "--no-audit", "--no-fund");
        boolean installed = Files.isDirectory(dir.resolve("node_modules/vscode-textmate"))
            && Files.isDirectory(dir.resolve("node_modules/vscode-oniguruma"));
        // Without the registry there is nothing to test with; a broken lock file shows here too.
        Assumptions.assumeTrue(install.code() == 0 || installed, "npm ci failed:\n" + install.output());
        Result tests = run(dir, 600, "node", "--test", "test/grammar.test.js", "test/extension.test.js");
        assertEquals(0, tests.code(), tests.output());
        assertTrue(tests.output().contains("# fail 0"), tests.output());
    }
}
