package dev.dlx.compiler.data;

import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.resolve.FileAccess;
import dev.dlx.compiler.schema.Value;
import java.nio.file.Path;
import java.util.List;

/**
 * What a source kind sees while binding: the `.dlx` file's folder, which data files may be read,
 * the `source` statement, and the names given to groups of columns (`features image 0..783`,
 * `labels digit 784, parity 785`), which the schema itself sees without the names.
 */
record SourceContext(Path baseDir, FileAccess access, Span span, Diagnostics sink, List<NamedValues> features, List<NamedValues> labels) {
    SourceContext {
        features = List.copyOf(features);
        labels = List.copyOf(labels);
    }

    /** One named group as written: its name and the column values after it. */
    record NamedValues(String name, Span span, List<Value> values) {
        NamedValues { values = List.copyOf(values); }
    }
}
