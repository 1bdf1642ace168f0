package dev.dlx.compiler.diag;

/**
 * A half-open range [start, end) of a source file's text, in UTF-16 units (Java string indices), the
 * one unit of every offset in the compiler (tokens are converted once, in {@code syntax.Tokens}).
 */
public record Span(SourceFile file, int start, int end) {
    public Span {
        if (end < start) end = start;
    }

    public static Span of(SourceFile file, int start, int end) { return new Span(file, start, end); }

    public Span to(Span other) {
        if (other == null || other.file != file) return this;
        return new Span(file, Math.min(start, other.start), Math.max(end, other.end));
    }

    public int line() { return file.line(start); }
    public int column() { return file.column(start); }
    public int endLine() { return file.line(Math.max(start, end - 1)); }
    public String text() { return file.text().substring(start, Math.min(end, file.text().length())); }

    public String location() { return file.displayName() + ":" + line() + ":" + column(); }

    @Override public String toString() { return location(); }
}
