package dev.dlx.compiler.train;

import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.data.LabelSpec;
import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.schema.Suggest;
import dev.dlx.compiler.schema.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** `metrics accuracy f1`: the list, its defaults, and the metrics that need class labels. */
public final class Metrics {
    private Metrics() {}

    /** Whether the task is regression: by the loss when known, else by the labels. */
    static boolean regression(LossSpec loss, DatasetIR data) {
        if (loss != null) return loss.loss().isRegression();
        LabelSpec labels = data == null ? null : data.labels();
        return labels != null && labels.isRegression();
    }

    static List<Metric> defaults(boolean regression) {
        return List.of(regression ? Metric.MAE : Metric.ACCURACY);
    }

    /** The metrics named by a `metrics` statement; unknown, repeated or unsuitable ones are reported and left out. */
    static List<Metric> parse(List<Value> values, Span head, boolean regression, LossSpec loss, Diagnostics sink) {
        List<Metric> out = new ArrayList<>();
        Map<Metric, Span> seen = new HashMap<>();
        if (values.isEmpty()) {
            sink.report(Diagnostic.error(Code.MISSING_ARGUMENT, head, "`metrics` needs at least one metric")
                .label("no metrics")
                .help("the metrics are " + Suggest.list(Metric.words())));
        }
        for (Value v : values) {
            if (!(v instanceof Value.Word w)) {
                sink.report(Diagnostic.error(Code.WRONG_TYPE, v.span(), "`metrics` takes metric names, found " + v)
                    .label("not a metric name")
                    .help("the metrics are " + Suggest.list(Metric.words())));
                continue;
            }
            Optional<Metric> m = Metric.byWord(w.value());
            if (m.isEmpty()) {
                Diagnostic.Builder b = Diagnostic.error(Code.UNKNOWN_METRIC, v.span(), "unknown metric `" + w.value() + "`")
                    .label("unknown metric");
                Suggest.closest(w.value(), Metric.words()).ifPresentOrElse(
                    s -> b.help("did you mean `" + s + "`?"),
                    () -> b.help("the metrics are " + Suggest.list(Metric.words())));
                sink.report(b);
                continue;
            }
            Metric metric = m.get();
            if (seen.containsKey(metric)) {
                sink.report(Diagnostic.error(Code.DUPLICATE_ATTRIBUTE, v.span(), "metric `" + metric.word() + "` is listed twice")
                    .label("again")
                    .secondary(seen.get(metric), "first here")
                    .help("remove one of them"));
                continue;
            }
            seen.put(metric, v.span());
            if (metric.needsClasses() && regression) {
                sink.report(Diagnostic.error(Code.UNKNOWN_METRIC, v.span(), "`" + metric.word() + "` needs class labels, but this is regression")
                    .label("not defined for regression")
                    .help("use `mae` or `mse`"));
                continue;
            }
            if (metric == Metric.PERPLEXITY && loss != null && !loss.loss().isMulticlass()) {
                sink.report(Diagnostic.error(Code.UNKNOWN_METRIC, v.span(), "`perplexity` is the exponential of a categorical cross-entropy, "
                        + "but the loss is `" + loss.loss().word() + "`")
                    .label("needs a categorical loss")
                    .secondary(loss.nameSpan(), "loss")
                    .help("use `loss sparse_categorical_crossentropy` (or `categorical_crossentropy`) for language models"));
                continue;
            }
            out.add(metric);
        }
        return out;
    }

    /**
     * Checks a monitored metric (`early_stop on ...`, `plateau monitor ...`): `loss` or a declared
     * metric (or a `metric NAME = ...`), optionally prefixed `val_`, which needs validation data. Returns whether it is fine.
     */
    public static boolean checkMonitor(String monitor, Span span, List<Metric> metrics, List<String> named, DatasetIR data, Diagnostics sink) {
        boolean val = monitor.startsWith("val_");
        String base = val ? monitor.substring(4) : monitor;
        List<String> allowed = new ArrayList<>();
        allowed.add("loss");
        for (Metric m : metrics) if (!allowed.contains(m.word())) allowed.add(m.word());
        allowed.addAll(named);
        if (!allowed.contains(base)) {
            List<String> candidates = new ArrayList<>(allowed);
            for (String a : allowed) candidates.add("val_" + a);
            Diagnostic.Builder b = Diagnostic.error(Code.UNKNOWN_METRIC, span, "`" + monitor + "` is not computed during training")
                .label("unknown metric");
            Optional<String> close = Suggest.closest(monitor, candidates);
            if (Metric.byWord(base).isPresent()) b.help("add `" + base + "` to `metrics`");
            else if (close.isPresent()) b.help("did you mean `" + close.get() + "`?");
            else b.help("monitor " + Suggest.list(candidates));
            sink.report(b);
            return false;
        }
        if (val && data != null && !data.hasValidation()) {
            sink.report(Diagnostic.error(Code.UNKNOWN_METRIC, span, "`" + monitor + "` needs validation data, but dataset `"
                    + data.name() + "` has no validation split")
                .label("no validation data")
                .secondary(data.split() == null ? null : data.split().span(), "no `val` share")
                .help("add `val 15%` to the dataset's `split` (or use `kfold 5`), or monitor `" + base + "`"));
            return false;
        }
        return true;
    }
}
