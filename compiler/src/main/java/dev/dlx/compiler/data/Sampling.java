package dev.dlx.compiler.data;

import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;
import dev.dlx.compiler.schema.Value;
import java.util.List;
import java.util.OptionalInt;

/**
 * Metric-learning samples drawn from a class-labelled dataset, within each split: `pairs positive
 * 50%` makes every sample the `left` of one pair whose `right` is another sample of the same class
 * (with that probability) or of another class, labelled `same` (1 or 0); `triplets` makes every
 * sample the `anchor` of one triplet with a `positive` of its class and a `negative` of another.
 * The draws depend on the seed alone (the run's seed unless `seed` is given), so every run of a
 * program trains on the same pairs. `holdout 7..9` keeps those classes out of every split, for
 * the one-shot evaluation on classes never seen in training.
 *
 * @param positive the share of same-class pairs (pairs only)
 * @param holdout  class indices kept out of training, validation and test
 */
public record Sampling(Kind kind, double positive, OptionalInt seed, List<Integer> holdout, Mining mining, double margin, Span span) {
    public Sampling { holdout = List.copyOf(holdout); }

    /** Drawn at random, without mining. */
    public Sampling(Kind kind, double positive, OptionalInt seed, List<Integer> holdout, Span span) {
        this(kind, positive, seed, holdout, Mining.RANDOM, 0, span);
    }

    /**
     * How a triplet's negative is chosen: at random among the other classes, or (`mining
     * semihard`, FaceNet's rule) from the second training epoch on, among a few drawn candidates,
     * the nearest to the anchor that is still farther than the positive and within {@code margin}
     * of it (d(a,p) < d(a,n) < d(a,p) + margin, squared distances of the model's embedding); a
     * random one when no candidate is.
     */
    public enum Mining { RANDOM, SEMIHARD }

    public enum Kind {
        PAIRS("pairs", List.of("left", "right")),
        TRIPLETS("triplets", List.of("anchor", "positive", "negative"));

        private final String word;
        private final List<String> features;

        Kind(String word, List<String> features) {
            this.word = word;
            this.features = features;
        }

        public String word() { return word; }

        /** The features each drawn sample feeds, in order: the first is the drawn-from sample itself. */
        public List<String> features() { return features; }
    }

    /** The label of a pair: 1 when both samples are of one class. */
    public static final String SAME = "same";

    static final Type CLASSES = new Type("a class index or range such as `7..9`") {
        @Override public Object convert(Value v) { return Type.COLUMNS.convert(v); }
    };

    public static final Schema PAIRS_SCHEMA = schema(Kind.PAIRS);
    public static final Schema TRIPLETS_SCHEMA = schema(Kind.TRIPLETS);

    static Schema schema(Kind kind) {
        Attr seed = Attr.of("seed", Type.INT, "seed of the draws (the run's seed when left out)");
        Attr holdout = Attr.of("holdout", CLASSES, "classes kept out of every split, for one-shot evaluation");
        if (kind == Kind.TRIPLETS) {
            return Schema.of(seed, holdout,
                Attr.of("mining", Type.choice("random", "semihard"), "how negatives are chosen").defaults("random"),
                Attr.of("margin", Type.FLOAT, "the margin semi-hard negatives fall within (the loss's)").defaults(0.2).above(0));
        }
        return Schema.of(Attr.of("positive", Type.FLOAT, "share of pairs of one class").defaults(0.5).above(0).below(1), seed, holdout);
    }

    static Sampling bind(Kind kind, List<Value> values, Span head, dev.dlx.compiler.diag.Diagnostics sink) {
        Attrs a = Statements.bind(kind.word(), kind == Kind.PAIRS ? PAIRS_SCHEMA : TRIPLETS_SCHEMA, values, head, sink);
        if (!a.complete()) return null;
        OptionalInt seed = a.given("seed") ? OptionalInt.of(a.integer("seed")) : OptionalInt.empty();
        @SuppressWarnings("unchecked") List<Integer> holdout = a.given("holdout") ? (List<Integer>) a.get("holdout") : List.of();
        if (kind == Kind.PAIRS) return new Sampling(kind, a.number("positive"), seed, holdout, head);
        Mining mining = a.word("mining").equals("semihard") ? Mining.SEMIHARD : Mining.RANDOM;
        return new Sampling(kind, 0, seed, holdout, mining, a.number("margin"), head);
    }
}
