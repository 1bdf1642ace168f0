package dev.dlx.compiler.shape;

/** One dimension: a known size, or unknown (`?`, e.g. a variable sequence length). */
public record Dim(long size) {
    public static final Dim UNKNOWN = new Dim(-1);

    public static Dim of(long size) { return new Dim(size); }
    public boolean known() { return size >= 0; }

    @Override public String toString() { return known() ? Long.toString(size) : "?"; }
}
