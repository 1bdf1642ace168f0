package dev.dlx.lsp.service;

import dev.dlx.compiler.catalog.Catalog;
import dev.dlx.compiler.check.Summary;
import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.diag.SourceFile;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.layers.LayerKind;
import dev.dlx.compiler.resolve.SymbolTable;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.syntax.Decl;
import dev.dlx.compiler.syntax.Element;
import dev.dlx.compiler.syntax.Expr;
import dev.dlx.compiler.syntax.Ident;
import dev.dlx.compiler.syntax.Program;
import dev.dlx.compiler.syntax.Stmt;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Hover text: what a word means (from the registries) and what the checker found (shapes, parameters). */
final class Hovers {
    private static final int MAX_INSTANCES = 4;

    private Hovers() {}

    static Optional<LanguageService.Hover> hover(Analysis a, int offset, Collection<Analysis> others) {
        return Locator.at(a, offset).map(t -> {
            String text = text(a, t, others);
            return text == null || text.isBlank() ? null : new LanguageService.Hover(text.strip(), t.span());
        });
    }

    private static String text(Analysis a, Target t, Collection<Analysis> others) {
        SymbolTable symbols = a.compilation().symbols();
        switch (t.kind()) {
            case KEYWORD:
                return Catalog.keyword(t.name())
                    .map(k -> "**" + k.word() + "** — " + k.meaning() + "\n\n```dlx\n" + k.usage() + "\n```")
                    .orElse(null);
            case DECL_NAME:
                return declaration(a, t.decl());
            case MODEL_REF:
                return symbols.model(t.name()).map(m -> declaration(a, m)).orElse(null);
            case DATASET_REF:
                return symbols.dataset(t.name()).map(d -> declaration(a, d)).orElse(null);
            case SPLIT_REF: {
                Decl.Evaluate e = (Decl.Evaluate) t.decl();
                DatasetIR data = a.compilation().datasets().get(e.data().parts().get(0).name());
                String s = "split `" + t.name() + "` of dataset `" + e.data().parts().get(0).name() + "`";
                if (data != null && data.split() != null) {
                    s += "\n\n" + splitText(data);
                }
                return s;
            }
            case ELEMENT:
                return element(a, t, others);
            case ATTRIBUTE:
            case NAME:
                return nameInBody(a, t, others);
            case LET:
            case INPUT:
                return tensor(a, t.decl(), t.name(), others);
            case PARAM:
                return Scopes.params(t.decl()).containsKey(t.name()) ? param(Scopes.params(t.decl()).get(t.name()), t.decl()) : null;
            case STATEMENT:
                return statement(t);
            case STATEMENT_ARG:
                return statementArg(t);
            case IMPORT:
                return importText(a, (Decl.Import) t.decl());
            default:
                return null;
        }
    }

    // ------------------------------------------------------------------ declarations

    static String declaration(Analysis a, Decl d) {
        StringBuilder s = new StringBuilder();
        if (d instanceof Decl.Model m) {
            s.append("```dlx\nmodel ").append(Outline.modelSignature(m)).append("\n```\n");
            appendDoc(s, d);
            ModelIR ir = a.compilation().models().get(m.name().name());
            if (ir != null && matches(ir, m)) {
                s.append("\n").append(ir.layers().size()).append(" layers · ")
                 .append(Summary.grouped(ir.totalParams())).append(" parameters (")
                 .append(Summary.grouped(ir.trainableParams())).append(" trainable)");
                s.append("\n\ninputs ").append(shapes(ir.inputShapes(), ir)).append(" → outputs ").append(shapes(ir.outputShapes(), ir));
                boolean explained = ir.inputShapes().isEmpty() || ir.outputShapes().isEmpty();
                if (!ir.valid() && !explained) s.append("\n\n_the model has errors; shapes after them are unknown_");
            }
        } else if (d instanceof Decl.Block b) {
            s.append("```dlx\nblock ").append(Outline.blockSignature(b)).append("\n```\n");
            appendDoc(s, d);
        } else if (d instanceof Decl.Dataset ds) {
            s.append("```dlx\ndataset ").append(ds.name().name()).append("\n```\n");
            appendDoc(s, d);
            DatasetIR ir = a.compilation().datasets().get(ds.name().name());
            if (ir != null && ir.span() == ds.span()) s.append('\n').append(datasetText(ir));
        }
        Path file = d.span().file().path();
        if (file != null && a.path() != null && !file.equals(a.path())) {
            s.append("\n\n_from `").append(d.span().file().displayName()).append("`_");
        }
        return s.toString();
    }

    private static String datasetText(DatasetIR ir) {
        List<String> facts = new ArrayList<>();
        if (!ir.featureShape().isUnknown()) facts.add("samples " + code(ir.featureShape().toString()));
        if (ir.labels() != null && ir.labels().shape() != null && !ir.labels().shape().isUnknown()) {
            facts.add("labels " + code(ir.labels().shape().toString()) + " (" + ir.labels().encoding().name().toLowerCase() + ")");
        }
        if (ir.split() != null) facts.add(splitText(ir));
        facts.add("batch " + ir.batchSize());
        return String.join(" · ", facts);
    }

    private static String splitText(DatasetIR ir) {
        List<String> parts = new ArrayList<>();
        if (ir.source() instanceof dev.dlx.compiler.data.ParallelSource) {
            // its files are its splits; their shares are known only when the files are read
            parts.add("train");
            if (ir.split().val() > 0) parts.add("val");
            if (ir.split().test() > 0) parts.add("test");
            return "split by files: " + String.join(", ", parts);
        }
        if (ir.split().train() > 0) parts.add("train " + percent(ir.split().train()));
        if (ir.split().val() > 0) parts.add("val " + percent(ir.split().val()));
        if (ir.split().test() > 0) parts.add("test " + percent(ir.split().test()));
        return "split " + String.join(", ", parts);
    }

    private static String percent(double fraction) {
        double p = fraction * 100;
        return (p == Math.rint(p) ? Long.toString(Math.round(p)) : Double.toString(p)) + "%";
    }

    /** Comments right above a declaration, and one at the end of its first line. */
    static void appendDoc(StringBuilder s, Decl d) {
        String doc = docComment(d);
        if (!doc.isEmpty()) s.append('\n').append(doc).append('\n');
    }

    static String docComment(Decl d) {
        SourceFile file = d.span().file();
        int line = file.line(d.span().start());
        List<String> lines = new ArrayList<>();
        for (int l = line - 1; l >= 1; l--) {
            String text = file.lineText(l).strip();
            if (!text.startsWith("//")) break;
            lines.add(0, text.substring(2).strip());
        }
        String first = file.lineText(line);
        int comment = first.indexOf("//");
        if (comment >= 0 && !first.substring(0, comment).contains("\"")) lines.add(first.substring(comment + 2).strip());
        return String.join("\n", lines).strip();
    }

    private static String importText(Analysis a, Decl.Import imp) {
        Path dir = a.path() == null || a.path().getParent() == null ? Path.of("") : a.path().getParent();
        Path target = dir.resolve(imp.path()).toAbsolutePath().normalize();
        for (Program p : a.compilation().programs()) {
            if (!target.equals(p.file().path())) continue;
            List<String> names = new ArrayList<>();
            for (Decl d : p.decls()) {
                if (d.name() == null) continue;
                String kind = d instanceof Decl.Model ? "model" : d instanceof Decl.Block ? "block" : "dataset";
                names.add(kind + " `" + d.name().name() + "`");
            }
            return "`" + p.file().displayName() + "`" + (names.isEmpty() ? " declares nothing" : ": " + String.join(", ", names));
        }
        return "`" + target + "` cannot be read";
    }

    // ------------------------------------------------------------------ graph bodies

    private static String element(Analysis a, Target t, Collection<Analysis> others) {
        Element el = t.element();
        String name = el.name().name();
        Map<String, Ident> tensors = Scopes.tensors(t.decl());
        if (!el.called() && el.args().isEmpty() && tensors.containsKey(name)) return tensor(a, t.decl(), name, others);
        Optional<Decl.Block> block = a.compilation().symbols().block(name);
        if (block.isPresent()) return blockUse(a, t, block.get(), others);
        Optional<Decl.Model> model = a.compilation().symbols().model(name);
        if (model.isPresent()) return declaration(a, model.get()) + "\n\nused here with its weights shared by every use";
        Optional<LayerKind<?>> kind = Catalog.layer(name);
        if (kind.isEmpty()) return null;
        StringBuilder s = new StringBuilder(Vocabulary.layerDoc(kind.get(), name));
        List<String> found = new ArrayList<>();
        // A layer inside a block: the models that use the block may be in the files that import this one.
        for (Analysis x : t.decl() instanceof Decl.Block ? users(a, others) : List.of(a)) nodesAt(x, el.span(), found);
        appendInstances(s, found);
        return s.toString();
    }

    /** The nodes built from the element at {@code span}, in every model of an analysis (matched by file and offsets). */
    private static void nodesAt(Analysis a, Span span, List<String> found) {
        for (ModelIR m : a.compilation().models().values()) {
            for (Node n : m.nodes()) {
                if (sameSource(n.span(), span)) found.add(nodeLine(m, n));
            }
        }
    }

    /** Whether two spans are the same text of the same file (also when read by two analyses). */
    private static boolean sameSource(Span x, Span y) {
        if (x == null || y == null || x.start() != y.start() || x.end() != y.end()) return false;
        Path file = y.file().path();
        return x.file() == y.file() || file != null && file.equals(x.file().path()) && x.file().text().equals(y.file().text());
    }

    /** The analyses whose models may expand a block of {@code a}: its own and those of other files (which import it). */
    private static List<Analysis> users(Analysis a, Collection<Analysis> others) {
        List<Analysis> out = new ArrayList<>(List.of(a));
        for (Analysis other : others) if (other != a && !Objects.equals(other.path(), a.path())) out.add(other);
        return out;
    }

    /**
     * The expansions of a block in a model of analysis {@code x}: the prefixes of their layer names
     * (`twice_1/`, `twice_2/convbn_1/`), in order; none when {@code x} knows another block of that name.
     */
    private static List<String> expansions(Analysis x, ModelIR ir, Decl.Block block) {
        String name = block.name().name();
        Optional<Decl.Block> known = x.compilation().symbols().block(name);
        if (known.isEmpty() || !sameSource(known.get().span(), block.span())) return List.of();
        Pattern instance = Pattern.compile(Pattern.quote(name) + "_[0-9]+");
        Set<String> out = new LinkedHashSet<>();
        for (Node n : ir.nodes()) {
            String[] parts = n.name().split("/");
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < parts.length - 1; i++) {
                prefix.append(parts[i]).append('/');
                if (instance.matcher(parts[i]).matches()) out.add(prefix.toString());
            }
        }
        return List.copyOf(out);
    }

    private static void appendInstances(StringBuilder s, List<String> found) {
        if (found.isEmpty()) return;
        // A blank line first: `---` right under a line of text would make that line a heading.
        while (!s.isEmpty() && s.charAt(s.length() - 1) == '\n') s.setLength(s.length() - 1);
        s.append("\n\n---\n\n");
        for (int i = 0; i < Math.min(MAX_INSTANCES, found.size()); i++) s.append(found.get(i)).append("\n\n");
        int more = found.size() - MAX_INSTANCES;
        if (more > 0) s.append("… and ").append(more).append(more == 1 ? " more use\n" : " more uses\n");
    }

    /** `conv_1` in `Net`: input → output, parameters, receptive field. */
    static String nodeLine(ModelIR m, Node n) {
        List<String> inputs = new ArrayList<>();
        for (int i : n.inputs()) inputs.add(m.node(i).shape().toString());
        StringBuilder s = new StringBuilder();
        s.append('`').append(n.name()).append("` in `").append(m.name()).append("`: ");
        if (!inputs.isEmpty()) s.append(code(String.join(", ", inputs))).append(" → ");
        s.append("output ").append(code(n.shape().toString()));
        s.append(" · ").append(Summary.grouped(n.paramCount())).append(" parameters");
        if (n.nonTrainableCount() > 0) s.append(" (").append(Summary.grouped(n.nonTrainableCount())).append(" non-trainable)");
        String rf = n.receptiveField() == null ? "-" : n.receptiveField().toString();
        if (!rf.equals("-")) s.append(" · receptive field ").append(rf);
        return s.toString();
    }

    /**
     * A block used in a model or block body: its signature and the shapes of each expansion of this
     * use (in every model that expands the enclosing block, for a use inside a block).
     */
    private static String blockUse(Analysis a, Target t, Decl.Block block, Collection<Analysis> others) {
        StringBuilder s = new StringBuilder(declaration(a, block));
        List<Stmt> body = t.decl() instanceof Decl.Model m ? m.body() : t.decl() instanceof Decl.Block b ? b.body() : List.of();
        String name = block.name().name();
        int before = 0;
        for (Stmt st : body) {
            for (List<Element> chain : Locator.chains(st)) {
                for (Element el : chain) {
                    if (el == t.element()) {
                        String letName = st instanceof Stmt.Let l && chain.get(chain.size() - 1) == el && l.names().size() == 1
                            ? l.names().get(0).name() : null;
                        int times = repeat(el);
                        List<String> found = new ArrayList<>();
                        for (Scoped where : scopes(a, t.decl(), others)) {
                            for (int r = 1; r <= Math.max(1, times); r++) {
                                String line = instanceLine(where.ir(), where.prefix() + name + "_" + (before + r),
                                    r == times && letName != null ? where.prefix() + letName : null);
                                if (line != null) found.add(line);
                            }
                        }
                        appendInstances(s, found);
                        return s.toString();
                    }
                    if (el.name().name().equals(name)) {
                        int times = repeat(el);
                        if (times < 0) return s.toString();
                        before += times;
                    }
                }
            }
        }
        return s.toString();
    }

    /** A model, and the prefix of the layer names made there by one expansion of a body (`""` for a model's own). */
    private record Scoped(ModelIR ir, String prefix) {}

    /** Where the body of {@code d} was checked: the model itself, or each expansion of the block in every model. */
    private static List<Scoped> scopes(Analysis a, Decl d, Collection<Analysis> others) {
        List<Scoped> out = new ArrayList<>();
        if (d instanceof Decl.Model m) {
            ModelIR ir = a.compilation().models().get(m.name().name());
            if (ir != null && matches(ir, m)) out.add(new Scoped(ir, ""));
        } else if (d instanceof Decl.Block b) {
            for (Analysis x : users(a, others)) {
                for (ModelIR ir : x.compilation().models().values()) {
                    for (String prefix : expansions(x, ir, b)) out.add(new Scoped(ir, prefix));
                }
            }
        }
        return out;
    }

    private static int repeat(Element el) {
        if (el.repeat() == null) return 1;
        if (el.repeat() instanceof Expr.Num n && n.integral()) return (int) n.value();
        return -1;
    }

    /** The nodes of one expansion of a block: named `instance/...`, plus its output when `let` renamed it. */
    private static String instanceLine(ModelIR m, String instance, String letName) {
        String prefix = instance + "/";
        Node first = null;
        Node last = null;
        long params = 0;
        for (Node n : m.nodes()) {
            if (n.name().startsWith(prefix)) {
                if (first == null) first = n;
                last = n;
                params += n.paramCount();
            }
        }
        if (first == null) return null;
        Optional<Node> renamed = letName == null ? Optional.empty() : m.layer(letName);
        if (renamed.isPresent() && renamed.get().id() > last.id()) {
            last = renamed.get();
            params += last.paramCount();
        }
        List<String> inputs = new ArrayList<>();
        for (int i : first.inputs()) if (!m.node(i).name().startsWith(prefix)) inputs.add(m.node(i).shape().toString());
        StringBuilder s = new StringBuilder("`").append(instance).append("` in `").append(m.name()).append("`: ");
        if (!inputs.isEmpty()) s.append(code(String.join(", ", inputs))).append(" → ");
        s.append("output ").append(code(last.shape().toString())).append(" · ").append(Summary.grouped(params)).append(" parameters");
        String rf = last.receptiveField() == null ? "-" : last.receptiveField().toString();
        if (!rf.equals("-")) s.append(" · receptive field ").append(rf);
        return s.toString();
    }

    /** A named tensor: its shape wherever the checker computed it (in each expansion, inside a block). */
    private static String tensor(Analysis a, Decl d, String name, Collection<Analysis> others) {
        StringBuilder s = new StringBuilder("tensor `").append(name).append('`');
        if (d instanceof Decl.Block && name.equals("input")) s.append(" — the tensor the block is applied to");
        List<String> found = new ArrayList<>();
        for (Scoped where : scopes(a, d, others)) {
            where.ir().layer(where.prefix() + name).ifPresent(n -> found.add(nodeLine(where.ir(), n)));
        }
        appendInstances(s, found);
        return s.toString();
    }

    private static String param(Decl.Param p, Decl d) {
        String s = "parameter `" + p.name().name() + "` of block `" + d.name().name() + "`";
        if (p.defaultValue() != null) s += " (default `" + p.defaultValue().span().text() + "`)";
        return s;
    }

    /** A word among a layer's arguments: an attribute name, a block parameter, a tensor or a value. */
    private static String nameInBody(Analysis a, Target t, Collection<Analysis> others) {
        Map<String, Decl.Param> params = Scopes.params(t.decl());
        if (t.kind() == Target.Kind.NAME && params.containsKey(t.name())) return param(params.get(t.name()), t.decl());
        if (t.kind() == Target.Kind.NAME && Scopes.tensors(t.decl()).containsKey(t.name())) return tensor(a, t.decl(), t.name(), others);
        Element el = t.element();
        if (el == null) return null;
        Optional<Decl.Block> block = a.compilation().symbols().block(el.name().name());
        if (block.isPresent()) {
            for (Decl.Param p : block.get().params()) if (p.name().name().equals(t.name())) return param(p, block.get());
            return null;
        }
        Optional<LayerKind<?>> kind = Catalog.layer(el.name().name());
        if (kind.isEmpty()) return null;
        Schema schema = kind.get().schema();
        Optional<Attr> attr = schema.attr(t.name());
        if (attr.isPresent()) return "attribute of `" + el.name().name() + "`: " + Vocabulary.attrDoc(attr.get());
        for (Attr at : schema.attrs()) {
            if (Catalog.choices(at.type()).contains(t.name())) {
                return "`" + t.name() + "`, a value of `" + at.name() + "`: " + Vocabulary.attrDoc(at);
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ statements

    private static String statement(Target t) {
        Optional<Catalog.Statement> st = Catalog.statement(t.block(), t.name());
        if (st.isEmpty()) return null;
        Catalog.Statement s = st.get();
        StringBuilder out = new StringBuilder("**").append(s.word()).append("** — ").append(s.meaning()).append('\n');
        if (s.variants() != null) {
            out.append('\n');
            for (var k : s.variants().all()) out.append("- `").append(k.name()).append("`: ").append(k.doc()).append('\n');
        } else if (s.schema() != null) {
            out.append("\n```dlx\n").append(s.schema().usage(s.word())).append("\n```\n");
            for (Attr a : s.schema().attrs()) out.append("- ").append(Vocabulary.attrDoc(a)).append('\n');
        } else if (!s.values().isEmpty()) {
            out.append("\none or more of ").append(String.join(", ", s.values().stream().map(v -> "`" + v + "`").toList()));
        }
        return out.toString();
    }

    private static String statementArg(Target t) {
        Optional<Catalog.Statement> st = Catalog.statement(t.block(), t.directive().word().name());
        if (st.isEmpty()) return null;
        Catalog.Statement s = st.get();
        String doc = s.variantDoc(t.name());
        if (doc != null) {
            StringBuilder out = new StringBuilder("`").append(s.word()).append(' ').append(t.name()).append("` — ").append(doc).append('\n');
            s.schemaFor(t.name()).ifPresent(schema -> {
                if (schema.attrs().isEmpty()) return;
                out.append("\n```dlx\n").append(schema.usage(s.word() + " " + t.name())).append("\n```\n");
                for (Attr a : schema.attrs()) out.append("- ").append(Vocabulary.attrDoc(a)).append('\n');
            });
            return out.toString();
        }
        List<Expr> args = t.directive().args();
        String variant = !args.isEmpty() && args.get(0) instanceof Expr.Name n ? n.text() : "";
        Optional<Schema> schema = s.schemaFor(variant);
        if (schema.isEmpty() && s.schema() != null) schema = Optional.of(s.schema());
        if (schema.isPresent()) {
            Optional<Attr> attr = schema.get().attr(t.name());
            if (attr.isPresent()) return Vocabulary.attrDoc(attr.get());
        }
        return null;
    }

    // ------------------------------------------------------------------ helpers

    /** The shapes of a model's inputs or outputs; none where errors kept the checker from them. */
    private static String shapes(List<dev.dlx.compiler.shape.Shape> shapes, ModelIR ir) {
        if (shapes.isEmpty()) return ir.valid() ? "none" : "unknown (the model has errors)";
        return code(String.join(", ", shapes.stream().map(Object::toString).toList()));
    }

    private static String code(String s) { return "`" + s + "`"; }

    /** Whether a checked model is the one this declaration produced (not a duplicate's). */
    static boolean matches(ModelIR ir, Decl.Model m) {
        Span s = ir.span();
        return s != null && s.file() == m.span().file() && s.start() == m.span().start() && s.end() == m.span().end();
    }

    static boolean sameFile(Span a, Span b) { return a != null && b != null && a.file() == b.file(); }
}
