package dev.dlx.lsp.service;

import dev.dlx.compiler.data.BatchSize;
import dev.dlx.compiler.data.DatasetChecker;
import dev.dlx.compiler.data.KindTable;
import dev.dlx.compiler.layers.LayerKind;
import dev.dlx.compiler.layers.Layers;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;
import dev.dlx.compiler.train.EvaluateChecker;
import dev.dlx.compiler.train.Metric;
import dev.dlx.compiler.train.TrainChecker;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The words of the language with their meaning, for hover and completion: keywords, layer kinds
 * (from the layer registry), and the statements of dataset, training and evaluation blocks with
 * their variants and attributes (from the checkers' tables).
 */
public final class Vocabulary {
    private Vocabulary() {}

    /** A keyword's meaning and an example. */
    public record Keyword(String word, String meaning, String usage) {}

    public static final List<Keyword> KEYWORDS = List.of(
        new Keyword("import", "makes the models, blocks and datasets of another file visible; the path is relative to this file",
            "import \"blocks.dlx\""),
        new Keyword("dataset", "declares data: a source, feature steps, labels, splits, normalization, augmentation and batching",
            "dataset digits {\n    source csv \"data/digits.csv.gz\" { features 0..63, label 64 }\n    labels classes 10 onehot\n    split train 70%, val 15%, test 15%\n}"),
        new Keyword("block", "declares a reusable, parameterized piece of graph; inside it the incoming tensor is `input`",
            "block convbn(filters, k = 3) {\n    conv filters k padding same -> batchnorm -> relu\n}"),
        new Keyword("model", "declares a network: its inputs with their shapes, an optional output shape, and a body of layer chains",
            "model Net(image [28, 28, 1]) -> [10] {\n    conv 32 3 -> relu\n    flatten\n    dense 10 -> softmax\n}"),
        new Keyword("train", "trains a model on a dataset: loss, optimizer, initialization, regularization, epochs, early stopping",
            "train Net on digits {\n    loss categorical_crossentropy\n    optimizer adam lr 1e-3\n    epochs 30\n}"),
        new Keyword("evaluate", "evaluates a trained model on a split of a dataset",
            "evaluate Net on digits.test"),
        new Keyword("on", "names the dataset a model is trained or evaluated on (or the metric early stopping watches)",
            "train Net on digits { ... }"),
        new Keyword("let", "names the tensor(s) a chain produces, for later statements (and the layer that computes it)",
            "let y = input -> conv 32 3 padding same"),
        new Keyword("return", "gives a body's outputs when they are not the last statement's result",
            "return a, b"),
        new Keyword("input", "inside a block with no listed tensor inputs: the tensor the block is applied to",
            "add(input, y) -> relu"));

    public static Optional<Keyword> keyword(String word) {
        return KEYWORDS.stream().filter(k -> k.word().equals(word)).findFirst();
    }

    /** The declaration keywords, in the order a file usually has them. */
    public static final List<String> DECLARATIONS = List.of("import", "dataset", "block", "model", "train", "evaluate");

    public static Optional<LayerKind> layer(String spelling) { return Layers.lookup(spelling); }

    /**
     * One statement of a dataset, training or evaluation block: what it means, and either its
     * variants (chosen by the first word: `optimizer adam`) or its attributes.
     */
    public record Statement(String word, String meaning, KindTable<?, ?> variants, Schema schema, List<String> values) {
        /** The attributes that follow a variant's word, or the statement's own. */
        public Optional<Schema> schemaFor(String variant) {
            if (variants != null) {
                for (KindTable.Kind<?, ?> k : variants.all()) if (k.name().equals(variant)) return Optional.of(k.schema());
                return Optional.empty();
            }
            return Optional.ofNullable(schema);
        }

        /** The words that may come first: the variants, or a choice attribute's words. */
        public List<String> firstWords() {
            if (variants != null) return variants.names();
            if (!values.isEmpty()) return values;
            if (schema != null && !schema.positional().isEmpty()) return choices(schema.positional().get(0).type());
            return List.of();
        }

        public String variantDoc(String variant) {
            if (variants == null) return null;
            for (KindTable.Kind<?, ?> k : variants.all()) if (k.name().equals(variant)) return k.doc();
            return null;
        }
    }

    /** The kinds of statement block: a dataset, a training, an evaluation, an augmentation list. */
    public enum Block { DATASET, TRAIN, EVALUATE, AUGMENT, SOURCE }

    private static final Map<Block, Map<String, Statement>> STATEMENTS = new LinkedHashMap<>();

    static {
        Map<String, String> meaning = new LinkedHashMap<>();
        meaning.put("source", "where the samples come from: `csv`/`tsv` tables, `idx` files, `images` folders or `text`");
        meaning.put("features", "steps applied to every sample, in order: `reshape`, `scale`, `resize`, `grayscale`, `flatten`");
        meaning.put("labels", "how labels are encoded: `classes N onehot|sparse|binary` or `regression`");
        meaning.put("split", "hold-out splits that add up to 100%: `split train 70%, val 15%, test 15% shuffle seed 42`");
        meaning.put("kfold", "K-fold (iterated) cross-validation over the training part: `kfold 5 repeat 2`");
        meaning.put("normalize", "normalization with statistics of the training split only: `featurewise` or `samplewise`");
        meaning.put("augment", "augmentations applied on the fly to one split's batches: `augment train { flip horizontal }`");
        meaning.put("batch", "samples per mini-batch (a power of two maps best onto hardware)");
        meaning.put("shuffle", "shuffle the training samples every epoch (`true` by default)");
        meaning.put("pairs", "metric-learning pairs drawn by class in each split: features `left`, `right` and the label `same`: "
            + "`pairs positive 50% holdout 7..9`");
        meaning.put("triplets", "metric-learning triplets drawn by class in each split: features `anchor`, `positive`, `negative`, no label: "
            + "`triplets mining semihard margin 0.2 holdout 5..9`");
        meaning.put("loss", "the loss to minimize; it must suit the labels and the last layer");
        meaning.put("optimizer", "the optimizer and its hyperparameters: `adam lr 1e-3`");
        meaning.put("schedule", "how the learning rate changes over the epochs");
        meaning.put("init", "weight initialization: `xavier`, `he_uniform`, ... with an optional `seed`");
        meaning.put("regularize", "weight penalties: `l1`, `l2`, `elastic_net`; `on layer...` restricts them");
        meaning.put("epochs", "passes over the training data");
        meaning.put("early_stop", "stop when a watched metric stops improving: `early_stop on val_loss patience 5`");
        meaning.put("clip", "gradient clipping: `value v`, `norm n` or `global_norm n`");
        meaning.put("metrics", "metrics reported during training and evaluation");
        meaning.put("freeze", "layers whose weights stay fixed (`freeze layer...` or `freeze until layer`)");
        meaning.put("load", "start from weights saved by an earlier run");
        meaning.put("seed", "seed of every random draw (initialization, shuffling, dropout)");
        meaning.put("step", "one of several update steps (a GAN's discriminator and generator): "
            + "`step D { loss EXPR; updates MODEL|LAYER...; optimizer ... }`, its loss moving only the weights it updates");
        meaning.put("alternate", "the order of the steps on every batch, each with a count: `alternate D * 2, G`");
        meaning.put("noise", "a model input fed with fresh random values by the trainer: `noise z normal [mean m] [std s]` or "
            + "`noise z uniform [low a] [high b]`, seeded by the run");

        Map<String, Statement> dataset = new LinkedHashMap<>();
        for (String w : DatasetChecker.STATEMENTS) {
            dataset.put(w, statement(w, meaning.get(w), switch (w) {
                case "source" -> "dev.dlx.compiler.data.Sources#TABLE";
                case "features" -> "dev.dlx.compiler.data.FeatureSteps#KINDS";
                case "labels" -> "dev.dlx.compiler.data.LabelSpec#SCHEMA";
                case "split" -> "dev.dlx.compiler.data.Split#SCHEMA";
                case "kfold" -> "dev.dlx.compiler.data.KFold#SCHEMA";
                case "normalize" -> "dev.dlx.compiler.data.Normalize#SCHEMA";
                case "augment" -> "dev.dlx.compiler.data.DatasetChecker#AUGMENT";
                case "shuffle" -> "dev.dlx.compiler.data.DatasetChecker#SHUFFLE";
                case "pairs" -> "dev.dlx.compiler.data.Sampling#PAIRS_SCHEMA";
                case "triplets" -> "dev.dlx.compiler.data.Sampling#TRIPLETS_SCHEMA";
                default -> null;
            }, List.of()));
        }
        if (dataset.containsKey("batch")) dataset.put("batch", new Statement("batch", meaning.get("batch"), null, BatchSize.SCHEMA, List.of()));
        STATEMENTS.put(Block.DATASET, dataset);

        Map<String, Statement> train = new LinkedHashMap<>();
        for (String w : TrainChecker.STATEMENTS) {
            train.put(w, statement(w, meaning.get(w), switch (w) {
                case "loss" -> "dev.dlx.compiler.train.LossSpec#TABLE";
                case "optimizer" -> "dev.dlx.compiler.train.Optimizers#TABLE";
                case "schedule" -> "dev.dlx.compiler.train.Schedules#TABLE";
                case "init" -> "dev.dlx.compiler.train.Init#TABLE";
                case "regularize" -> "dev.dlx.compiler.train.Regularizer#TABLE";
                case "clip" -> "dev.dlx.compiler.train.Clip#TABLE";
                case "early_stop" -> "dev.dlx.compiler.train.EarlyStop#SCHEMA";
                case "epochs" -> "dev.dlx.compiler.train.TrainChecker#EPOCHS";
                case "load" -> "dev.dlx.compiler.train.TrainChecker#LOAD";
                case "seed" -> "dev.dlx.compiler.train.TrainChecker#SEED";
                case "noise" -> "dev.dlx.compiler.train.Noise#TABLE";
                default -> null;
            }, w.equals("metrics") ? Metric.words() : List.of()));
        }
        if (train.containsKey("batch")) train.put("batch", new Statement("batch", meaning.get("batch"), null, BatchSize.SCHEMA, List.of()));
        STATEMENTS.put(Block.TRAIN, train);

        Map<String, Statement> evaluate = new LinkedHashMap<>();
        for (String w : EvaluateChecker.STATEMENTS) {
            evaluate.put(w, w.equals("batch")
                ? new Statement(w, meaning.get(w), null, BatchSize.SCHEMA, List.of())
                : statement(w, meaning.get(w), null, w.equals("metrics") ? Metric.words() : List.of()));
        }
        STATEMENTS.put(Block.EVALUATE, evaluate);

        Map<String, Statement> augment = new LinkedHashMap<>();
        KindTable<?, ?> augmentations = table("dev.dlx.compiler.data.Augmentations#KINDS");
        if (augmentations != null) {
            for (KindTable.Kind<?, ?> k : augmentations.all()) {
                augment.put(k.name(), new Statement(k.name(), k.doc(), null, k.schema(), List.of()));
            }
        }
        STATEMENTS.put(Block.AUGMENT, augment);
        STATEMENTS.put(Block.SOURCE, Map.of());
    }

    private static Statement statement(String word, String meaning, String registry, List<String> values) {
        Object found = registry == null ? null : read(registry);
        KindTable<?, ?> table = found instanceof KindTable<?, ?> t ? t : null;
        Schema schema = found instanceof Schema s ? s : null;
        return new Statement(word, meaning == null ? "" : meaning, table, schema, values);
    }

    private static KindTable<?, ?> table(String registry) {
        Object found = read(registry);
        return found instanceof KindTable<?, ?> t ? t : null;
    }

    /**
     * The checkers keep their tables package-private; the language server reads them so that its
     * words never drift from what the checker accepts. A table that cannot be read leaves its
     * statement without variants (completion offers less), never a failure.
     */
    private static Object read(String registry) {
        String[] parts = registry.split("#");
        try {
            Field f = Class.forName(parts[0]).getDeclaredField(parts[1]);
            f.setAccessible(true);
            return f.get(null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    public static Map<String, Statement> statements(Block block) { return STATEMENTS.getOrDefault(block, Map.of()); }

    public static Optional<Statement> statement(Block block, String word) {
        return Optional.ofNullable(statements(block).get(word));
    }

    /** The words an attribute of this type accepts, if it is a choice. */
    public static List<String> choices(Type type) {
        if (type == Type.BOOL) return List.of("true", "false");
        return type.choices();
    }

    /** Markdown for one attribute: name, type, default, range, meaning. */
    public static String attrDoc(Attr a) {
        StringBuilder s = new StringBuilder("`").append(a.name()).append("`: ").append(a.doc());
        List<String> facts = new ArrayList<>();
        facts.add(a.type().description());
        if (a.isRequired()) facts.add("required");
        else if (a.defaultValue() != null) facts.add("default `" + show(a.defaultValue()) + "`");
        if (a.min() != null || a.max() != null) facts.add("range " + a.rangeText());
        if (a.isPositional()) facts.add("positional");
        s.append(" (").append(String.join("; ", facts)).append(")");
        return s.toString();
    }

    static String show(Object value) {
        if (value instanceof List<?> l && l.size() == 1) return String.valueOf(l.get(0));
        if (value instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            for (Object o : l) parts.add(String.valueOf(o));
            return String.join("x", parts);
        }
        if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite()) return String.valueOf(d.longValue());
        return String.valueOf(value).toLowerCase(java.util.Locale.ROOT);
    }

    /** Markdown for a layer kind: what it does, its usage line and its attributes. */
    public static String layerDoc(LayerKind kind, String spelling) {
        StringBuilder s = new StringBuilder();
        s.append("**").append(spelling).append("**");
        if (!spelling.equals(kind.name())) s.append(" (layer kind `").append(kind.name()).append("`)");
        s.append(" — ").append(kind.doc()).append("\n\n");
        s.append("```dlx\n").append(kind.schema().usage(spelling)).append("\n```\n");
        if (!kind.schema().attrs().isEmpty()) {
            s.append('\n');
            for (Attr a : kind.schema().attrs()) s.append("- ").append(attrDoc(a)).append('\n');
        }
        if (!kind.aliases().isEmpty()) {
            s.append("\nAlso written ").append(String.join(", ", kind.aliases().stream().map(a -> "`" + a + "`").toList())).append('\n');
        }
        return s.toString();
    }
}
