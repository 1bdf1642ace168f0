package dev.dlx.aot.jar;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The JARs a built model needs at run time, found where this process loaded them from: TensorFlow
 * Java (api, native classes, the native libraries of this machine's platform), its NdArray,
 * JavaCPP and protobuf, and Gson (the model description); plus where the support classes are.
 */
public final class Dependencies {
    private static final String[] CLASSES = {
        "org.tensorflow.Graph", "org.tensorflow.internal.c_api.global.tensorflow", "org.tensorflow.proto.GraphDef",
        "org.tensorflow.ndarray.NdArray", "org.bytedeco.javacpp.Loader", "com.google.protobuf.Message", "com.google.gson.Gson"};
    private static final String[] PLATFORMS = {"linux-x86_64", "linux-x86_64-gpu", "macosx-x86_64", "macosx-arm64", "windows-x86_64",
        "linux-arm64"};

    private Dependencies() {}

    /** The dependency JARs (or class folders), in a stable order. */
    public static List<Path> runtime() {
        Set<Path> out = new LinkedHashSet<>();
        ClassLoader loader = Dependencies.class.getClassLoader();
        for (String name : CLASSES) {
            try {
                out.add(origin(Class.forName(name, false, loader)));
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("`" + name + "` is not on the class path; a built model needs it", e);
            }
        }
        boolean nativeFound = false;
        for (String platform : PLATFORMS) {
            URL url = loader.getResource("org/tensorflow/internal/c_api/" + platform + "/libjnitensorflow.so");
            if (url == null) url = loader.getResource("org/tensorflow/internal/c_api/" + platform + "/libjnitensorflow.dylib");
            if (url == null) url = loader.getResource("org/tensorflow/internal/c_api/" + platform + "/jnitensorflow.dll");
            if (url != null && url.getProtocol().equals("jar")) {
                String s = url.toString();
                out.add(path(s.substring("jar:".length(), s.indexOf("!/"))));
                nativeFound = true;
            }
        }
        if (!nativeFound) throw new IllegalStateException("TensorFlow's native library JAR is not on the class path");
        return new ArrayList<>(out);
    }

    /** The JAR or class folder {@code type} was loaded from. */
    public static Path origin(Class<?> type) {
        var source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) throw new IllegalStateException("cannot tell where " + type.getName() + " comes from");
        return path(source.getLocation().toString());
    }

    private static Path path(String url) {
        try {
            Path p = Path.of(new java.net.URI(url));
            if (!Files.exists(p)) throw new IllegalStateException("`" + p + "` does not exist");
            return p;
        } catch (URISyntaxException e) {
            throw new IllegalStateException("not a file location: " + url, e);
        }
    }
}
