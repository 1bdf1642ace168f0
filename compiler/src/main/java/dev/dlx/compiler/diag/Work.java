package dev.dlx.compiler.diag;

/**
 * What one compilation cost, counted in steps rather than measured in time, so that the limits
 * that keep hostile input cheap can be stated and tested on any machine, however loaded. Every
 * phase counts into the one meter it is given, as it reports into one {@link Diagnostics}.
 */
public final class Work {
    private long tokens;
    private long recovery;
    private long expanded;
    private long sizing;

    /** Tokens the parser was handed. */
    public long tokens() { return tokens; }

    /** Rule frames the parser's error recovery walked (its cost grows with nesting depth). */
    public long recovery() { return recovery; }

    /** Layers, block uses and tensor steps elaborated, over all models. */
    public long expanded() { return expanded; }

    /** Steps spent computing the expanded size of block uses before elaborating them. */
    public long sizing() { return sizing; }

    /** Everything counted, in one number. */
    public long total() { return tokens + recovery + expanded + sizing; }

    public void tokens(long n) { tokens += n; }
    public void recovery(long n) { recovery += n; }
    public void expanded(long n) { expanded += n; }
    public void sizing(long n) { sizing += n; }

    @Override
    public String toString() {
        return tokens + " tokens, " + recovery + " recovery steps, " + expanded + " expanded, " + sizing + " sizing steps";
    }
}
