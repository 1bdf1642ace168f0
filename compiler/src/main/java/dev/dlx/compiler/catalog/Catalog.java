package dev.dlx.compiler.catalog;

import dev.dlx.compiler.data.Augmentations;
import dev.dlx.compiler.data.BatchSize;
import dev.dlx.compiler.data.DatasetChecker;
import dev.dlx.compiler.data.FeatureSteps;
import dev.dlx.compiler.data.KFold;
import dev.dlx.compiler.data.KindTable;
import dev.dlx.compiler.data.LabelSpec;
import dev.dlx.compiler.data.Normalize;
import dev.dlx.compiler.data.Sampling;
import dev.dlx.compiler.data.Sources;
import dev.dlx.compiler.data.Split;
import dev.dlx.compiler.layers.LayerKind;
import dev.dlx.compiler.layers.Layers;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.search.SearchChecker;
import dev.dlx.compiler.schema.Type;
import dev.dlx.compiler.train.Clip;
import dev.dlx.compiler.train.EarlyStop;
import dev.dlx.compiler.train.EvaluateChecker;
import dev.dlx.compiler.train.Init;
import dev.dlx.compiler.train.LossSpec;
import dev.dlx.compiler.train.Metric;
import dev.dlx.compiler.train.Noise;
import dev.dlx.compiler.train.Optimizers;
import dev.dlx.compiler.train.Regularizer;
import dev.dlx.compiler.train.Schedules;
import dev.dlx.compiler.train.TrainChecker;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The language's words in one public place: its keywords, its layer kinds, and the statements of
 * dataset, training and evaluation blocks with their meanings and the very tables (variants,
 * attributes) the checkers bind them with. The language server (hover, completion), `dlxc explain`
 * and the reference's tests read this, so what they describe is what the checker accepts.
 */
public final class Catalog {
    private Catalog() {}

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
        new Keyword("search", "declares the file's hyperparameter search: `param` names for values (used where the value goes), "
            + "the strategy, the number of trials, the objective and the budget; `dlxc search FILE` runs it",
            "search {\n    param lr loguniform 1e-4..1e-2\n    param width choice 32, 64, 128\n    strategy tpe\n    trials 12\n"
            + "    objective val_accuracy max\n    budget epochs 9 halving 3\n}"),
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
    public static final List<String> DECLARATIONS = List.of("import", "dataset", "block", "model", "train", "evaluate", "search");

    /** The layer kind a spelling names (`conv2d` is the `conv` kind). */
    public static Optional<LayerKind<?>> layer(String spelling) { return Layers.lookup(spelling); }

    /** Every layer kind, in registry order. */
    public static List<LayerKind<?>> layers() { return Layers.all(); }

    /**
     * One statement of a dataset, training or evaluation block: what it means, and either its
     * variants (chosen by the first word: `optimizer adam`) or its attributes, or the words it lists.
     */
    public record Statement(String word, String meaning, KindTable<?, ?> variants, Schema schema, List<String> values) {
        public Statement { values = List.copyOf(values); }

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

    /** The kinds of statement block: a dataset, a training, an evaluation, an augmentation list, a source's block, a search. */
    public enum Block { DATASET, TRAIN, EVALUATE, AUGMENT, SOURCE, SEARCH }

    /** The words an attribute of this type accepts, if it is a choice (or a flag). */
    public static List<String> choices(Type type) {
        if (type == Type.BOOL) return List.of("true", "false");
        return type.choices();
    }

    private static final Map<String, String> MEANINGS = new LinkedHashMap<>();

    static {
        MEANINGS.put("source", "where the samples come from: `csv`/`tsv` tables, `idx` files, `images` folders or `text`");
        MEANINGS.put("features", "steps applied to every sample, in order: `reshape`, `scale`, `resize`, `grayscale`, `flatten`");
        MEANINGS.put("labels", "how labels are encoded: `classes N onehot|sparse|binary` or `regression`");
        MEANINGS.put("split", "hold-out splits that add up to 100%: `split train 70%, val 15%, test 15% shuffle seed 42`");
        MEANINGS.put("kfold", "K-fold (iterated) cross-validation over the training part: `kfold 5 repeat 2`");
        MEANINGS.put("normalize", "normalization with statistics of the training split only: `featurewise` or `samplewise`");
        MEANINGS.put("augment", "augmentations applied on the fly to one split's batches: `augment train { flip horizontal }`");
        MEANINGS.put("batch", "samples per mini-batch (a power of two maps best onto hardware)");
        MEANINGS.put("shuffle", "shuffle the training samples every epoch (`true` by default)");
        MEANINGS.put("pairs", "metric-learning pairs drawn by class in each split: features `left`, `right` and the label `same`: "
            + "`pairs positive 50% holdout 7..9`");
        MEANINGS.put("triplets", "metric-learning triplets drawn by class in each split: features `anchor`, `positive`, `negative`, no label: "
            + "`triplets mining semihard margin 0.2 holdout 5..9`");
        MEANINGS.put("loss", "the loss to minimize; it must suit the labels and the last layer");
        MEANINGS.put("optimizer", "the optimizer and its hyperparameters: `adam lr 1e-3`");
        MEANINGS.put("schedule", "how the learning rate changes over the epochs");
        MEANINGS.put("init", "weight initialization: `xavier`, `he_uniform`, ... with an optional `seed`");
        MEANINGS.put("regularize", "weight penalties: `l1`, `l2`, `elastic_net`; `on layer...` restricts them");
        MEANINGS.put("epochs", "passes over the training data");
        MEANINGS.put("early_stop", "stop when a watched metric stops improving: `early_stop on val_loss patience 5`");
        MEANINGS.put("clip", "gradient clipping: `value v`, `norm n` or `global_norm n`");
        MEANINGS.put("metrics", "metrics reported during training and evaluation");
        MEANINGS.put("metric", "a metric of your own, an expression over the model's tensors and the labels, reported per epoch: "
            + "`metric gap = mean(sqdist(ea, ep))`; repeatable");
        MEANINGS.put("freeze", "layers whose weights stay fixed (`freeze layer...` or `freeze until layer`)");
        MEANINGS.put("load", "start from weights saved by an earlier run");
        MEANINGS.put("seed", "seed of every random draw (initialization, shuffling, dropout)");
        MEANINGS.put("step", "one of several update steps (a GAN's discriminator and generator): "
            + "`step D { loss EXPR; updates MODEL|LAYER...; optimizer ... }`, its loss moving only the weights it updates");
        MEANINGS.put("phase", "a stage of a training with its own epochs, frozen layers and fresh optimizer, run in order: "
            + "`phase head { epochs 3 ; freeze until dense_1 }`");
        MEANINGS.put("unfreeze", "in a `phase`, layers that train although the training's `freeze` names them: `unfreeze conv_3 dense_1`");
        MEANINGS.put("precision", "the number format of a training's products: `float32` (the default) or `bf16` (bfloat16 products, "
            + "float32 weights and sums; fast only on CPUs with bfloat16 units)");
        MEANINGS.put("alternate", "the order of the steps on every batch, each with a count: `alternate D * 2, G`");
        MEANINGS.put("noise", "a model input fed with fresh random values by the trainer: `noise z normal [mean m] [std s]` or "
            + "`noise z uniform [low a] [high b]`, seeded by the run");
        MEANINGS.put("param", "a hyperparameter and the values it takes: `param NAME uniform|loguniform|int LOW..HIGH` "
            + "or `param NAME choice V1, V2, ...`, then `default V` and `steps N` (points on a grid); NAME stands for its value "
            + "where an attribute takes a number or word");
        MEANINGS.put("strategy", "how configurations are chosen: `grid` (every point), `random` or `tpe` "
            + "(a model of the good and bad trials so far), with a `seed`");
        MEANINGS.put("trials", "how many configurations to train");
        MEANINGS.put("objective", "the metric that ranks trials, `min` or `max`: `objective val_accuracy max`");
        MEANINGS.put("budget", "epochs of a trial that goes to the end; `halving N` stops all but the best 1/N of "
            + "each rung early (successive halving)");
        MEANINGS.put("parallel", "trials at once, each in its own process (`--parallel` overrides)");
    }

    /** The variants or attributes of each statement word that has them, as the checkers bind them. */
    private static Object table(String word) {
        return switch (word) {
            case "source" -> Sources.TABLE;
            case "features" -> FeatureSteps.KINDS;
            case "labels" -> LabelSpec.SCHEMA;
            case "split" -> Split.SCHEMA;
            case "kfold" -> KFold.SCHEMA;
            case "normalize" -> Normalize.SCHEMA;
            case "augment" -> DatasetChecker.AUGMENT;
            case "shuffle" -> DatasetChecker.SHUFFLE;
            case "pairs" -> Sampling.PAIRS_SCHEMA;
            case "triplets" -> Sampling.TRIPLETS_SCHEMA;
            case "batch" -> BatchSize.SCHEMA;
            case "loss" -> LossSpec.TABLE;
            case "optimizer" -> Optimizers.TABLE;
            case "schedule" -> Schedules.TABLE;
            case "init" -> Init.TABLE;
            case "regularize" -> Regularizer.TABLE;
            case "clip" -> Clip.TABLE;
            case "precision" -> dev.dlx.compiler.train.Precision.TABLE;
            case "early_stop" -> EarlyStop.SCHEMA;
            case "epochs" -> TrainChecker.EPOCHS;
            case "load" -> TrainChecker.LOAD;
            case "seed" -> TrainChecker.SEED;
            case "noise" -> Noise.TABLE;
            case "strategy" -> SearchChecker.STRATEGY;
            case "trials" -> SearchChecker.TRIALS;
            case "objective" -> SearchChecker.OBJECTIVE;
            case "budget" -> SearchChecker.BUDGET;
            case "parallel" -> SearchChecker.PARALLEL;
            default -> null;
        };
    }

    private static Statement statement(String word, List<String> values) {
        Object found = table(word);
        return new Statement(word, MEANINGS.getOrDefault(word, ""), found instanceof KindTable<?, ?> t ? t : null,
            found instanceof Schema s ? s : null, values);
    }

    private static final Map<Block, Map<String, Statement>> STATEMENTS = new LinkedHashMap<>();

    static {
        Map<String, Statement> dataset = new LinkedHashMap<>();
        for (String w : DatasetChecker.STATEMENTS) dataset.put(w, statement(w, List.of()));
        STATEMENTS.put(Block.DATASET, Collections.unmodifiableMap(dataset));

        Map<String, Statement> train = new LinkedHashMap<>();
        for (String w : TrainChecker.STATEMENTS) train.put(w, statement(w, w.equals("metrics") ? Metric.words() : List.of()));
        STATEMENTS.put(Block.TRAIN, Collections.unmodifiableMap(train));

        Map<String, Statement> evaluate = new LinkedHashMap<>();
        for (String w : EvaluateChecker.STATEMENTS) evaluate.put(w, statement(w, w.equals("metrics") ? Metric.words() : List.of()));
        STATEMENTS.put(Block.EVALUATE, Collections.unmodifiableMap(evaluate));

        Map<String, Statement> augment = new LinkedHashMap<>();
        for (KindTable.Kind<?, ?> k : Augmentations.KINDS.all()) {
            augment.put(k.name(), new Statement(k.name(), k.doc(), null, k.schema(), List.of()));
        }
        STATEMENTS.put(Block.AUGMENT, Collections.unmodifiableMap(augment));
        STATEMENTS.put(Block.SOURCE, Map.of());

        Map<String, Statement> search = new LinkedHashMap<>();
        for (String w : SearchChecker.STATEMENTS) {
            search.put(w, statement(w, w.equals("param") ? List.of("uniform", "loguniform", "int", "choice") : List.of()));
        }
        STATEMENTS.put(Block.SEARCH, Collections.unmodifiableMap(search));
    }

    public static Map<String, Statement> statements(Block block) { return STATEMENTS.getOrDefault(block, Map.of()); }

    public static Optional<Statement> statement(Block block, String word) {
        return Optional.ofNullable(statements(block).get(word));
    }
}
