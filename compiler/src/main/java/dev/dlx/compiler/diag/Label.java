package dev.dlx.compiler.diag;

/** A span with the words to print under it. */
public record Label(Span span, String text) {
    public static Label of(Span span, String text) { return new Label(span, text == null ? "" : text); }
}
