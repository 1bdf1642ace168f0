package dev.dlx.aot.jar;

import dev.dlx.support.PredictionColumns;
import dev.dlx.aot.freeze.FrozenRun;
import dev.dlx.aot.gen.ModelClassGenerator;
import dev.dlx.aot.support.FrozenModel;
import dev.dlx.aot.support.ModelManifest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * A runnable model JAR: the generated class, the support classes (`dev/dlx/aot/support/` and the
 * support module's `dev/dlx/support/`, shared with `dlxc predict`), the
 * frozen graph and its description as resources next to the class (`dlx/models/digits/DigitNet/graph.pb`
 * and `model.json`), and either the dependencies' entries merged in (self-contained) or, thin, a
 * manifest `Class-Path` naming the dependency JARs where they are on this machine.
 */
public final class ModelJar {
    private static final String SUPPORT = FrozenModel.class.getPackageName().replace('.', '/') + "/";
    /** The support module's classes (`dev/dlx/support/`): what the JAR shares with `dlxc predict`. */
    private static final String SHARED = PredictionColumns.class.getPackageName().replace('.', '/') + "/";

    /** What was written. */
    public record Written(Path jar, String className, int entries, int duplicates, long bytes, List<Path> dependencies, boolean thin) {}

    private ModelJar() {}

    /** The generated class's resource folder: its binary name as a path, with a final `/`. */
    public static String resourceFolder(String className) { return className.replace('.', '/') + "/"; }

    public static Written write(FrozenRun frozen, String className, Path jar, boolean thin) throws IOException {
        ModelManifest m = frozen.parsed();
        String folder = resourceFolder(className);
        String sourceName = frozen.manifest().get("source").getAsString();
        byte[] classFile = ModelClassGenerator.generate(className, m, folder, sourceName);
        List<Path> deps = Dependencies.runtime();
        Path support = Dependencies.origin(FrozenModel.class);
        Path shared = Dependencies.origin(PredictionColumns.class);
        if (jar.getParent() != null) Files.createDirectories(jar.getParent());
        Path partial = jar.resolveSibling(jar.getFileName() + ".part");
        int entries, duplicates;
        try (JarWriter w = new JarWriter(partial)) {
            w.directory("META-INF/");
            w.add("META-INF/MANIFEST.MF", manifest(className, thin ? deps : List.of()));
            w.add(className.replace('.', '/') + ".class", classFile);
            w.add(folder + FrozenModel.GRAPH, frozen.graph());
            w.add(folder + FrozenModel.MANIFEST, (new com.google.gson.GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create()
                .toJson(frozen.manifest()) + "\n").getBytes(StandardCharsets.UTF_8));
            copy(w, support, name -> name.startsWith(SUPPORT) && name.endsWith(".class"));
            copy(w, shared, name -> name.startsWith(SHARED) && name.endsWith(".class"));
            if (!thin) for (Path dep : deps) copy(w, dep, ModelJar::merged);
            entries = w.size();
            duplicates = w.duplicates();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        Files.move(partial, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return new Written(jar, className, entries, duplicates, Files.size(jar), deps, thin);
    }

    /** Entries of a dependency that belong in a merged JAR: not its manifest, signatures or module descriptor. */
    static boolean merged(String name) {
        if (name.equals("META-INF/MANIFEST.MF") || name.equals("META-INF/INDEX.LIST")) return false;
        if (name.endsWith("module-info.class")) return false;
        if (name.startsWith("META-INF/") && name.indexOf('/', 9) < 0
            && (name.endsWith(".SF") || name.endsWith(".DSA") || name.endsWith(".RSA") || name.endsWith(".EC"))) {
            return false;
        }
        return true;
    }

    private static void copy(JarWriter w, Path from, java.util.function.Predicate<String> keep) throws IOException {
        if (Files.isDirectory(from)) {
            try (Stream<Path> files = Files.walk(from)) {
                for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                    String name = from.relativize(f).toString().replace('\\', '/');
                    if (Files.isRegularFile(f) && keep.test(name)) w.add(name, Files.readAllBytes(f));
                }
            }
        } else {
            w.copy(from, keep);
        }
    }

    private static byte[] manifest(String mainClass, List<Path> classPath) throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.put(Attributes.Name.MAIN_CLASS, mainClass);
        a.put(new Attributes.Name("Created-By"), "dlxc build");
        if (!classPath.isEmpty()) {
            a.put(Attributes.Name.CLASS_PATH, String.join(" ", classPath.stream().map(p -> p.toAbsolutePath().toUri().toString()).toList()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mf.write(out);
        return out.toByteArray();
    }
}
