package dev.dlx.compiler.data;

import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Span;
import java.nio.file.Path;

/** What a source kind sees while binding: the `.dlx` file's folder and the `source` statement. */
record SourceContext(Path baseDir, Span span, Diagnostics sink) {}
