package dev.dlx.compiler.train;

import dev.dlx.compiler.diag.Span;
import java.util.List;

/**
 * A checked `evaluate MODEL on DATASET[.SPLIT] { metrics ... batch N }`.
 *
 * @param split     `train`, `val` or `test`; null evaluates on every sample of the dataset
 * @param metrics   the metrics written; empty: those of the model's training
 * @param batchSize samples per batch (the dataset's unless written)
 */
public record EvaluateIR(String model, String dataset, String split, List<Metric> metrics, int batchSize, Span span,
                         boolean valid) {
    public EvaluateIR { metrics = List.copyOf(metrics); }
}
