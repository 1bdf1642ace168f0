package dev.dlx.compiler.diag;

/** A span with the words to print under it. */
public record Label(Span span, String text) {
    public static Label of(Span span, String text) { return new Label(span, text == null ? "" : text); }

    /** The same label where {@code move} puts its span (the text moved in a newer version of its file). */
    public Label relocated(java.util.function.UnaryOperator<Span> move) { return new Label(move.apply(span), text); }
}
