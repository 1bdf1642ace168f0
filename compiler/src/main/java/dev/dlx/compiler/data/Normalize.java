package dev.dlx.compiler.data;

import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;

/**
 * `normalize featurewise|samplewise`: subtract the mean and divide by the standard deviation,
 * per feature (statistics of the training split, applied to every split) or per sample.
 *
 * @param beforeSplit the statement comes before `split` in the file (linted: it reads as if the
 *                    statistics came from the whole data set; they come from the training split
 *                    wherever the statement stands)
 */
public record Normalize(Mode mode, boolean beforeSplit, Span span) {

    public enum Mode { FEATUREWISE, SAMPLEWISE }

    public static final Schema SCHEMA = Schema.of(
        Attr.of("mode", Type.choice("featurewise", "samplewise"),
            "per feature, with the training split's statistics, or per sample").positional().defaults("featurewise"));
}
