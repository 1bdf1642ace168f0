package dev.dlx.aot.gen;

import java.util.Locale;
import java.util.Set;

/**
 * Java package and class names for a model: `samples/digits.dlx` with model `DigitNet` becomes
 * `dlx.models.digits.DigitNet`; characters that Java does not allow become `_`, a leading digit or
 * a keyword gets a `_`. Names given by hand are checked, never changed.
 */
public final class JavaNames {
    private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case", "catch", "char",
        "class", "const", "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for", "goto",
        "if", "implements", "import", "instanceof", "int", "interface", "long", "native", "new", "package", "private", "protected",
        "public", "return", "short", "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient",
        "try", "void", "volatile", "while", "true", "false", "null", "_", "var", "yield", "record", "sealed", "permits", "non-sealed");

    private JavaNames() {}

    /** `dlx.models.<file name without .dlx, lower case>`. */
    public static String defaultPackage(String dlxFileName) {
        String base = dlxFileName.endsWith(".dlx") ? dlxFileName.substring(0, dlxFileName.length() - 4) : dlxFileName;
        return "dlx.models." + identifier(base.toLowerCase(Locale.ROOT));
    }

    /** The model's name as a class name (upper-case first letter). */
    public static String defaultClass(String modelName) {
        String id = identifier(modelName);
        return Character.isLowerCase(id.charAt(0)) ? Character.toUpperCase(id.charAt(0)) + id.substring(1) : id;
    }

    /** A model output's name in a method name: `digit` -> `Digit`, `digit_class` -> `DigitClass` (as in `predictDigitClass`). */
    public static String capitalized(String name) {
        StringBuilder s = new StringBuilder();
        for (String part : name.split("_")) {
            if (part.isEmpty()) continue;
            s.append(Character.toUpperCase(part.charAt(0))).append(part, 1, part.length());
        }
        return s.length() == 0 ? "_" : identifier(s.toString());
    }

    /** A model input's name as a parameter name. */
    public static String parameter(String name) { return identifier(name); }

    /** {@code text} made into an identifier. */
    static String identifier(String text) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            s.append(i == 0 ? (Character.isJavaIdentifierStart(c) ? c : Character.isJavaIdentifierPart(c) ? "_" + c : "_")
                : Character.isJavaIdentifierPart(c) ? c : '_');
        }
        String id = s.length() == 0 ? "_model" : s.toString();
        return KEYWORDS.contains(id) ? id + "_" : id;
    }

    /** Null when {@code name} is a valid package name (dot-separated identifiers, no keywords), else what is wrong. */
    public static String checkPackage(String name) {
        if (name.isEmpty()) return "the package name is empty";
        for (String part : name.split("\\.", -1)) {
            String problem = checkIdentifier(part);
            if (problem != null) return "`" + name + "` is not a Java package name: " + problem;
        }
        return null;
    }

    /** Null when {@code name} is a valid class name, else what is wrong. */
    public static String checkClass(String name) {
        String problem = checkIdentifier(name);
        return problem == null ? null : "`" + name + "` is not a Java class name: " + problem;
    }

    private static String checkIdentifier(String part) {
        if (part.isEmpty()) return "it has an empty part";
        if (KEYWORDS.contains(part)) return "`" + part + "` is a Java keyword";
        if (!Character.isJavaIdentifierStart(part.charAt(0))) return "`" + part + "` starts with `" + part.charAt(0) + "`";
        for (int i = 1; i < part.length(); i++) {
            if (!Character.isJavaIdentifierPart(part.charAt(i))) return "`" + part + "` holds `" + part.charAt(i) + "`";
        }
        return null;
    }
}
