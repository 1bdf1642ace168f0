package dev.dlx.compiler.train;

import dev.dlx.compiler.data.KindTable;
import dev.dlx.compiler.schema.Schema;

/**
 * `precision float32 | bf16`: the number format a training computes its products in. The weights,
 * the optimizer's state, the loss and the gradients' sums stay float32 either way (the master
 * weights); under `bf16` the convolutions and dense layers multiply in bfloat16 (8 bits of mantissa,
 * float32's exponent range, so no loss scaling is needed) and add up in float32. Worth it only on
 * CPUs with bfloat16 units (`avx512_bf16`, AMX); elsewhere TensorFlow emulates it, far slower.
 */
public enum Precision {
    FLOAT32("float32"),
    BF16("bf16");

    private final String word;

    Precision(String word) { this.word = word; }

    /** The word a `precision` statement writes. */
    public String word() { return word; }

    /** The default: float32 throughout. */
    public static final Precision DEFAULT = FLOAT32;

    private static KindTable.Kind<RuleContext, Precision> kind(Precision p, String doc) {
        return new KindTable.Kind<>(p.word, doc, Schema.of(), (a, ctx) -> p);
    }

    public static final KindTable<RuleContext, Precision> TABLE = new KindTable<>("precision",
        kind(FLOAT32, "float32 throughout (the default)"),
        kind(BF16, "convolutions and dense layers multiply in bfloat16 and add up in float32; float32 weights, optimizer and loss; "
            + "fast only on CPUs with bfloat16 units (avx512_bf16, AMX)"));
}
