package dev.dlx.compiler.diag;

import java.util.ArrayList;
import java.util.List;

/**
 * One problem found in a program, as a value: what is wrong (message), where (the primary label,
 * plus secondary labels for related places), and how to fix it (help). Phases add these to a
 * {@link Diagnostics} sink and carry on; nothing throws for a user's mistake.
 */
public record Diagnostic(Severity severity, Code code, String message, Label primary,
                         List<Label> secondary, List<String> notes, String help) {

    public Diagnostic {
        secondary = List.copyOf(secondary);
        notes = List.copyOf(notes);
    }

    public Span span() { return primary.span(); }

    /** The same diagnostic with every span where {@code move} puts it (the text moved in a newer version of its file). */
    public Diagnostic relocated(java.util.function.UnaryOperator<Span> move) {
        return new Diagnostic(severity, code, message, primary.relocated(move),
            secondary.stream().map(l -> l.relocated(move)).toList(), notes, help);
    }
    public boolean isError() { return severity == Severity.ERROR; }

    public static Builder error(Code code, Span span, String message) {
        return new Builder(Severity.ERROR, code, span, message);
    }

    public static Builder warning(Code code, Span span, String message) {
        return new Builder(Severity.WARNING, code, span, message);
    }

    /** Assembles a diagnostic: `Diagnostic.error(code, span, msg).label("..").help("..").build()`. */
    public static final class Builder {
        private final Severity severity;
        private final Code code;
        private final Span span;
        private final String message;
        private String label = "";
        private final List<Label> secondary = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private String help;

        private Builder(Severity severity, Code code, Span span, String message) {
            this.severity = severity;
            this.code = code;
            this.span = span;
            this.message = message;
        }

        public Builder label(String text) { this.label = text; return this; }
        public Builder secondary(Span span, String text) {
            if (span != null) secondary.add(Label.of(span, text));
            return this;
        }
        public Builder note(String note) { notes.add(note); return this; }
        public Builder help(String help) { this.help = help; return this; }

        public Diagnostic build() {
            return new Diagnostic(severity, code, message, Label.of(span, label), secondary, notes, help);
        }
    }
}
