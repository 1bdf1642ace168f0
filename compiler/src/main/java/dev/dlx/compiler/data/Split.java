package dev.dlx.compiler.data;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;
import dev.dlx.compiler.schema.Value;
import java.util.List;
import java.util.OptionalInt;

/**
 * `split train 70%, val 15%, test 15% shuffle seed 42 stratify`: hold-out splits as fractions
 * adding up to 1 (val and test are 0 when absent). Samples are shuffled before splitting unless
 * `shuffle false`; `stratify` keeps the class proportions in every split.
 */
public record Split(double train, double val, double test, boolean shuffle, OptionalInt seed, boolean stratify, Span span) {

    public boolean hasVal() { return val > 0; }
    public boolean hasTest() { return test > 0; }

    public static final Schema SCHEMA = Schema.of(
        Attr.of("train", Type.FLOAT, "share of the training split: `70%`; the rest when left out").above(0).atMost(1),
        Attr.of("val", Type.FLOAT, "share of the validation split").above(0).atMost(1),
        Attr.of("test", Type.FLOAT, "share of the test split").above(0).atMost(1),
        Attr.of("shuffle", Type.BOOL, "shuffle before splitting").defaults(true),
        Attr.of("seed", Type.INT, "seed of the shuffle, for the same split every run"),
        Attr.of("stratify", Type.BOOL, "keep each class's share equal across splits").defaults(false));

    /** {@code testFiles}: the source has its own test files, so `test` may not be split off. */
    static Split bind(List<Value> values, Span head, boolean testFiles, Diagnostics sink) {
        Attrs a = Statements.bind("split", SCHEMA, values, head, sink);
        if (!a.complete()) return null;
        double val = a.given("val") ? a.number("val") : 0;
        double test = a.given("test") ? a.number("test") : 0;
        if (testFiles && a.given("test")) {
            sink.report(Diagnostic.error(Code.SPLIT_SIZES, a.span("test"), "the source has its own test files, so `split` cannot take a test share")
                .label("a second test split")
                .help("remove `test " + a.span("test").text() + "`: train and val share the training files"));
            return null;
        }
        double train;
        if (a.given("train")) {
            train = a.number("train");
            double sum = train + val + test;
            if (Math.abs(sum - 1) > 1e-9) {
                sink.report(Diagnostic.error(Code.SPLIT_SIZES, Statements.spanOf(values, head),
                        "split sizes add up to " + percent(sum) + ", not 100%")
                    .label(percent(sum))
                    .help(sum < 1 ? "give the remaining " + percent(1 - sum) + " to a split, e.g. `train " + percent(1 - val - test) + "`"
                        : "lower the shares by " + percent(sum - 1) + " in all"));
                return null;
            }
        } else {
            train = 1 - val - test;
            if (train <= 1e-9) {
                sink.report(Diagnostic.error(Code.SPLIT_SIZES, Statements.spanOf(values, head),
                        "val and test take " + percent(val + test) + ", leaving nothing to train on")
                    .label("no training data")
                    .help("lower the val and test shares"));
                return null;
            }
        }
        OptionalInt seed = a.given("seed") ? OptionalInt.of(a.integer("seed")) : OptionalInt.empty();
        return new Split(train, val, test, a.flag("shuffle"), seed, a.flag("stratify"), head);
    }

    static String percent(double fraction) {
        double p = fraction * 100;
        String s = Math.abs(p - Math.rint(p)) < 1e-6 ? Long.toString(Math.round(p)) : String.format("%.4g", p).replaceAll("\\.?0+$", "");
        return s + "%";
    }
}
