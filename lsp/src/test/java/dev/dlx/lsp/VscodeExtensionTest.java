package dev.dlx.lsp;

import dev.dlx.compiler.catalog.Catalog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.dlx.compiler.layers.Layers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The VS Code extension in ide/vscode: its TextMate grammar knows every word of the registries,
 * its own tests (node's test runner over the grammar with vscode-textmate and vscode-oniguruma,
 * and the client's activation) pass, and the README's packaging command makes a .vsix. Those run
 * where `node` and `npm` are on the PATH (installing the locked packages from the npm registry or
 * npm's cache when node_modules does not hold them) and are skipped elsewhere.
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
        for (Catalog.Block block : Catalog.Block.values()) {
            for (String word : Catalog.statements(block).keySet()) {
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

    /**
     * Whether node_modules holds what package-lock.json pins: npm's record of the installed tree
     * (node_modules/.package-lock.json) lists the same versions, leaving out only optional
     * packages (the other platforms' binaries). Then `npm ci` (about a minute) is not needed.
     */
    static boolean installedAsLocked(Path dir) throws IOException {
        Path record = dir.resolve("node_modules/.package-lock.json");
        if (!Files.isRegularFile(record)) {
            return false;
        }
        JsonObject locked = packages(dir.resolve("package-lock.json"));
        JsonObject installed = packages(record);
        for (var entry : locked.entrySet()) {
            JsonObject want = entry.getValue().getAsJsonObject();
            JsonObject have = installed.getAsJsonObject(entry.getKey());
            if (entry.getKey().isEmpty() || have == null && want.has("optional")) {
                continue;
            }
            if (have == null || !version(want).equals(version(have))) {
                return false;
            }
        }
        return locked.keySet().containsAll(installed.keySet());
    }

    private static JsonObject packages(Path lock) throws IOException {
        return JsonParser.parseString(Files.readString(lock)).getAsJsonObject().getAsJsonObject("packages");
    }

    private static String version(JsonObject pkg) {
        return pkg.has("version") ? pkg.get("version").getAsString() : "";
    }

    /** Installs the locked packages unless they are there already; skips the test without node or npm. */
    private static Path installed() throws Exception {
        Assumptions.assumeTrue(available("node") && available("npm"),
            "node and npm are not on the PATH: the VS Code extension's tests and packaging are skipped");
        Path dir = extension();
        if (!installedAsLocked(dir)) {
            // Only the npm registry (or npm's cache) is asked; no install script runs (none of the
            // packages needs one to test or package, and some would download binaries elsewhere).
            Result install = run(dir, 600, "npm", "ci", "--prefer-offline", "--ignore-scripts", "--no-audit", "--no-fund");
            assertEquals(0, install.code(), "npm ci failed:\n" + install.output());
        }
        return dir;
    }

    @Test
    void nodeTestsOfTheGrammarAndTheClientPass() throws Exception {
        Path dir = installed();
        Result tests = run(dir, 600, "node", "--test", "test/grammar.test.js", "test/extension.test.js");
        assertEquals(0, tests.code(), tests.output());
        assertTrue(tests.output().contains("# fail 0"), tests.output());
    }

    /** The README's packaging command, `npm run package`, makes a .vsix with the runtime dependencies only. */
    @Test
    void theDocumentedPackagingCommandMakesTheVsix() throws Exception {
        Path dir = installed();
        Path target = Path.of("target").toAbsolutePath();
        Files.createDirectories(target);
        Path vsix = target.resolve("dlx.vsix");
        Files.deleteIfExists(vsix);
        Result pack = run(dir, 300, "npm", "run", "package", "--", "--out", vsix.toString());
        assertEquals(0, pack.code(), pack.output());
        Set<String> entries = new HashSet<>();
        try (ZipFile zip = new ZipFile(vsix.toFile())) {
            zip.stream().forEach(e -> entries.add(e.getName()));
        }
        for (String file : List.of("extension.vsixmanifest", "extension/package.json", "extension/extension.js",
                "extension/readme.md", "extension/language-configuration.json", "extension/syntaxes/dlx.tmLanguage.json",
                "extension/snippets/dlx.json", "extension/node_modules/vscode-languageclient/package.json")) {
            assertTrue(entries.contains(file), file + " is not in the package: " + entries);
        }
        for (String prefix : List.of("extension/test/", "extension/node_modules/@vscode/vsce/",
                "extension/node_modules/vscode-textmate/", "extension/node_modules/vscode-oniguruma/")) {
            assertTrue(entries.stream().noneMatch(e -> e.startsWith(prefix)), prefix + " should not be packaged");
        }
    }
}
