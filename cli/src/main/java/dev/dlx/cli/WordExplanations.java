package dev.dlx.cli;

import dev.dlx.compiler.catalog.Catalog;
import dev.dlx.compiler.catalog.Catalog.Block;
import dev.dlx.compiler.catalog.Catalog.Statement;
import dev.dlx.compiler.data.KindTable;
import dev.dlx.compiler.layers.LayerKind;
import dev.dlx.compiler.layers.Layers;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.train.Metric;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * `dlxc explain WORD` for the words of the language that are not codes or layer kinds: keywords,
 * the statements of dataset, training and evaluation blocks, their variants (`adam`, `cosine`,
 * `huber`), augmentations (`rotate`), metrics, attribute names and the words an attribute takes.
 * Everything is read from the compiler's {@link Catalog} (the checkers' own tables), so what is
 * explained is what the checker accepts.
 */
final class WordExplanations {
    private WordExplanations() {}

    private static final Block[] BLOCKS = Block.values();

    /** Every entry for {@code word}, most specific first; empty when the language has no such word. */
    static Optional<String> explain(String word) {
        List<String> parts = new ArrayList<>();
        Catalog.keyword(word).ifPresent(k -> parts.add("`" + k.word() + "` (keyword): " + k.meaning() + "\n  e.g. "
            + k.usage().replace("\n", "\n       ")));
        for (Block b : BLOCKS) {
            Catalog.statement(b, word).ifPresent(s -> parts.add(statement(b, s)));
        }
        for (Block b : BLOCKS) {
            for (Statement s : Catalog.statements(b).values()) {
                if (s.variants() == null) continue;
                for (KindTable.Kind<?, ?> k : s.variants().all()) {
                    if (k.name().equals(word)) parts.add(variant(b, s, k));
                }
            }
        }
        Metric.byWord(word).ifPresent(m -> parts.add("`" + m.word() + "` (metric): reported by `metrics " + m.word()
            + "` in a training or evaluation" + (m.needsClasses() ? ", for class labels" : "") + "; "
            + (m.higherIsBetter() ? "higher is better" : "lower is better")));
        dev.dlx.compiler.train.expr.Function.byWord(word).ifPresent(f -> parts.add("`" + f.word()
            + "` (a function of `loss` and `metric` expressions): " + f.doc()));
        if (word.equals("true") || word.equals("false")) {
            parts.add("`" + word + "` (a boolean): the value of a flag attribute, as in `bias false` or `shuffle true`; a flag "
                + "written alone (`return_sequences`) means `true`");
        }
        dev.dlx.compiler.search.Hyperparam.Kind.byWord(word).ifPresent(k -> parts.add("`" + k.word()
            + "` (a kind of search parameter, in `search { ... }`): " + k.doc() + "\n  usage: " + k.usage()));
        String option = dev.dlx.compiler.search.Hyperparam.OPTIONS.get(word);
        if (option != null) parts.add("`" + word + "` (in a search parameter): " + option);
        attributes(word, parts);
        return parts.isEmpty() ? Optional.empty() : Optional.of(String.join("\n\n", parts));
    }

    private static String where(Block b) {
        return switch (b) {
            case DATASET -> "dataset statement";
            case TRAIN -> "training statement";
            case EVALUATE -> "evaluation statement";
            case AUGMENT -> "augmentation, in `augment SPLIT { ... }`";
            case SOURCE -> "source";
            case SEARCH -> "search statement, in `search { ... }`";
        };
    }

    private static String statement(Block b, Statement s) {
        StringBuilder out = new StringBuilder("`" + s.word() + "` (" + where(b) + "): " + s.meaning());
        if (s.variants() != null) {
            out.append("\n  ").append(s.variants().what()).append("s: ").append(String.join(", ", s.variants().names()));
        } else if (s.schema() != null) {
            out.append("\n  usage: ").append(s.schema().usage(s.word()));
            attrLines(s.schema(), out);
        } else if (!s.values().isEmpty()) {
            out.append("\n  one or more of: ").append(String.join(", ", s.values()));
        }
        return out.toString();
    }

    private static String variant(Block b, Statement s, KindTable.Kind<?, ?> k) {
        StringBuilder out = new StringBuilder("`" + k.name() + "` (" + article(s.variants().what()) + " " + s.variants().what()
            + ", `" + s.word() + " " + k.name() + "` in a " + where(b) + "): " + k.doc());
        out.append("\n  usage: ").append(k.schema().usage(s.word() + " " + k.name()));
        attrLines(k.schema(), out);
        return out.toString();
    }

    /** Attribute names and the words of choice attributes, with the layers and statements that take them. */
    private static void attributes(String word, List<String> parts) {
        Set<String> named = new LinkedHashSet<>(), valued = new LinkedHashSet<>();
        Attr first = null;
        String choiceOf = null;
        for (LayerKind<?> k : Layers.all()) {
            for (Attr a : k.schema().attrs()) {
                if (a.name().equals(word)) {
                    named.add("`" + k.name() + "`");
                    if (first == null) first = a;
                }
                if (a.type().choices().contains(word)) {
                    valued.add("`" + k.name() + " " + a.name() + "`");
                    if (choiceOf == null) choiceOf = a.doc();
                }
            }
        }
        for (Block b : BLOCKS) {
            for (Statement s : Catalog.statements(b).values()) {
                List<Schema> schemas = new ArrayList<>();
                List<String> owners = new ArrayList<>();
                if (s.schema() != null) {
                    schemas.add(s.schema());
                    owners.add(s.word());
                }
                if (s.variants() != null) {
                    for (KindTable.Kind<?, ?> k : s.variants().all()) {
                        schemas.add(k.schema());
                        owners.add(s.word() + " " + k.name());
                    }
                }
                for (int i = 0; i < schemas.size(); i++) {
                    for (Attr a : schemas.get(i).attrs()) {
                        if (a.name().equals(word) && !a.isPositional()) {
                            named.add("`" + owners.get(i) + "`");
                            if (first == null) first = a;
                        }
                        if (a.type().choices().contains(word)) {
                            valued.add("`" + owners.get(i) + (a.isPositional() ? "" : " " + a.name()) + "`");
                            if (choiceOf == null) choiceOf = a.doc();
                        }
                    }
                }
            }
        }
        if (!named.isEmpty()) {
            parts.add("`" + word + "` (attribute of " + String.join(", ", named) + "): " + first.doc() + " ("
                + first.type().description() + ")");
        }
        if (!valued.isEmpty()) parts.add("`" + word + "` (a word of " + String.join(", ", valued) + "): " + choiceOf);
    }

    /** One line per attribute, each starting with a line separator: name, meaning, type, range, default. */
    static void attrLines(Schema schema, StringBuilder out) {
        for (Attr a : schema.attrs()) {
            Object d = a.defaultValue();
            if (d instanceof List<?> l && l.size() == 1) d = l.get(0);
            String def = d == null ? (a.isRequired() ? "required" : "optional") : "default " + d;
            String range = a.rangeText().equals("any") ? "" : ", " + a.rangeText();
            out.append(String.format(Locale.ROOT, "%n  %-18s %s (%s%s; %s)", a.name(), a.doc(), a.type().description(), range, def));
        }
    }

    private static String article(String what) {
        return "aeiou".indexOf(what.charAt(0)) >= 0 ? "an" : "a";
    }
}
