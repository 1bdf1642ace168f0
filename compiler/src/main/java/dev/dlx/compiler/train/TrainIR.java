package dev.dlx.compiler.train;

import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.train.expr.ExpressionMetric;
import dev.dlx.compiler.train.expr.LossExpr;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A checked `train MODEL on DATASET { ... }` block, for the runtime.
 *
 * @param loss           the built-in loss on the model's output, which decides how predictions are read:
 *                       the one-word loss (`loss mse`), or in an expression the first built-in loss
 *                       applied to a model output; null when there is none or the loss is wrong
 * @param objective      the loss as a checked expression, a scalar per sample that training
 *                       averages over the batch (`loss mse` is `mse(output, label)`); null when
 *                       missing or wrong
 * @param optimizer      the optimizer, or null when missing or wrong
 * @param schedule       the learning-rate schedule, or null (constant rate)
 * @param init           the kernel initializer (Glorot uniform unless written)
 * @param epochs         passes over the training data (10 unless written)
 * @param batchSize      `batch` of the training block, else the dataset's, else 32
 * @param earlyStop      early stopping, or null
 * @param clip           gradient clipping, or null
 * @param metrics        reported metrics ([accuracy] for classification, [mae] for regression
 *                       unless written)
 * @param expressionMetrics the `metric NAME = ...` statements, reported per epoch after {@code metrics}
 * @param frozen         layers whose weights are not trained, resolved to layer names in model order;
 *                       a layer of a used model is there by its name and by its weights' name
 *                       ({@code Node.weightOwner()}, `Encoder/dense_1`), as regularizers' layers are
 * @param load           weights to start from (fine-tuning), or null
 * @param statementSpans the span of each statement given, by its word (the first one for
 *                       repeatable statements)
 * @param valid          no errors were found in the block or its pairing with model and data
 * @param steps          the `step` blocks in the order `alternate` runs them each batch (empty for one
 *                       objective); with steps, {@code objective} and {@code optimizer} are the first
 *                       step's, for what reads one objective (the memory estimate)
 * @param noise          the model inputs the trainer fills with random values (`noise z normal`)
 * @param generated      for a model with noise inputs, the tensor generated from the noise alone
 *                       that pictures show (the last image-shaped one, [h, w, 1 or 3]); null when none
 * @param phases         the `phase` blocks in order (empty for a training in one go); with phases,
 *                       {@code epochs} is their sum and {@code frozen} the block's own `freeze`
 * @param precision      the number format of the products (`precision`, float32 unless written)
 */
public record TrainIR(String model, String dataset, LossSpec loss, LossExpr objective, Optimizer optimizer, Schedule schedule, Init init,
                      List<Regularizer> regularizers, int epochs, int batchSize, EarlyStop earlyStop, Clip clip,
                      List<Metric> metrics, List<ExpressionMetric> expressionMetrics, List<String> frozen, Path load, OptionalInt seed,
                      Map<String, Span> statementSpans, Span span, boolean valid, List<Step> steps, List<Noise> noise,
                      String generated, List<Phase> phases, Precision precision) {

    public static final int DEFAULT_EPOCHS = 10;

    public TrainIR {
        if (precision == null) precision = Precision.DEFAULT;
        regularizers = List.copyOf(regularizers);
        metrics = List.copyOf(metrics);
        expressionMetrics = List.copyOf(expressionMetrics);
        frozen = List.copyOf(frozen);
        statementSpans = Map.copyOf(statementSpans);
        steps = List.copyOf(steps);
        noise = List.copyOf(noise);
        phases = List.copyOf(phases);
    }

    /** A training with one objective and no noise inputs. */
    public TrainIR(String model, String dataset, LossSpec loss, LossExpr objective, Optimizer optimizer, Schedule schedule, Init init,
                   List<Regularizer> regularizers, int epochs, int batchSize, EarlyStop earlyStop, Clip clip,
                   List<Metric> metrics, List<ExpressionMetric> expressionMetrics, List<String> frozen, Path load, OptionalInt seed,
                   Map<String, Span> statementSpans, Span span, boolean valid) {
        this(model, dataset, loss, objective, optimizer, schedule, init, regularizers, epochs, batchSize, earlyStop, clip, metrics,
            expressionMetrics, frozen, load, seed, statementSpans, span, valid, List.of(), List.of(), null, List.of(), Precision.DEFAULT);
    }

    /** Whether the training alternates several update steps. */
    public boolean stepped() { return !steps.isEmpty(); }

    /** Whether the training runs in `phase` blocks. */
    public boolean phased() { return !phases.isEmpty(); }

    /**
     * The training of one phase alone: its epochs, frozen layers and optimizer, no phases, and
     * `load` only for the first phase (the later ones start from the previous phase's weights).
     */
    public TrainIR phase(Phase p) {
        return new TrainIR(model, dataset, loss, objective, p.optimizer(), schedule, init, regularizers, p.epochs(), batchSize, earlyStop, clip,
            metrics, expressionMetrics, p.frozen(), phases.indexOf(p) == 0 ? load : null, seed, statementSpans, span, valid, steps, noise,
            generated, List.of(), precision);
    }

    /** The same training with products in {@code p}. */
    public TrainIR withPrecision(Precision p) {
        return new TrainIR(model, dataset, loss, objective, optimizer, schedule, init, regularizers, epochs, batchSize, earlyStop, clip,
            metrics, expressionMetrics, frozen, load, seed, statementSpans, span, valid, steps, noise, generated, phases, p);
    }

    /** The names of the model inputs fed with noise. */
    public java.util.Set<String> noiseInputs() {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        noise.forEach(n -> out.add(n.input()));
        return out;
    }
}
