package dev.dlx.compiler.data;

import dev.dlx.compiler.diag.Span;

/**
 * A column named by its header name in a `source csv|tsv` statement: `"species"`, or an inclusive
 * range of header names `"sepal_length".."petal_width"`. Resolved against the file's header line
 * by the checker; numbered columns need no resolving and stay plain integers.
 */
sealed interface ColumnRef {
    Span span();

    /** `"species"` */
    record Name(String name, Span span) implements ColumnRef {}

    /** `"a".."d"`: every column from a to d, in the header's order. */
    record NameRange(Name from, Name to, Span span) implements ColumnRef {}
}
