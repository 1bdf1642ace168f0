package dev.dlx.compiler.data;

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
 * `kfold 5 repeat 3 seed 1`: K-fold cross-validation over the training part (train K times on K-1
 * folds, validate on the remaining one, average the K scores); with `repeat R` > 1 it is iterated
 * K-fold, reshuffling before each of the R rounds (Chollet).
 */
public record KFold(int k, int repeats, boolean shuffle, OptionalInt seed, Span span) {

    public boolean iterated() { return repeats > 1; }

    public static final Schema SCHEMA = Schema.of(
        Attr.of("k", Type.INT, "number of folds (typically 4 or 5)").positional().required().atLeast(2),
        Attr.of("repeat", Type.INT, "rounds of K-fold, reshuffled each time (iterated K-fold)").defaults(1).atLeast(1),
        Attr.of("shuffle", Type.BOOL, "shuffle before cutting the folds").defaults(true),
        Attr.of("seed", Type.INT, "seed of the shuffles"));

    static KFold bind(List<Value> values, Span head, Diagnostics sink) {
        Attrs a = Statements.bind("kfold", SCHEMA, values, head, sink);
        if (!a.complete()) return null;
        OptionalInt seed = a.given("seed") ? OptionalInt.of(a.integer("seed")) : OptionalInt.empty();
        return new KFold(a.integer("k"), a.integer("repeat"), a.flag("shuffle"), seed, head);
    }
}
