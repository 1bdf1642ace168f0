package dev.dlx.support;

import java.nio.file.Path;

/**
 * A prediction file that cannot be read as the model's rows: where (the file, the 1-based line,
 * the 1-based character column of the cell, 0 when the whole line or file is meant), what, and how
 * to fix it. `dlxc predict` and a built model JAR print it alike ({@link #render}).
 */
public final class RowError extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long line;
    private final int column;
    private final String hint;

    public RowError(Path file, long line, int column, String message, String hint) {
        super(message, null, false, false);
        this.file = file;
        this.line = line;
        this.column = column;
        this.hint = hint;
    }

    public Path file() { return file; }
    public long line() { return line; }
    public int column() { return column; }
    public String hint() { return hint; }

    /** `path:17:5`, `path:17` or `path`. */
    public String location() {
        String shown = display(file);
        return line > 0 ? shown + ":" + line + (column > 0 ? ":" + column : "") : shown;
    }

    /** rustc-style, as dlx words data errors: `error[DLX0506]: message`, `  --> file:line:col`, `  = help: ...`. */
    public String render() {
        StringBuilder s = new StringBuilder("error[DLX0506]: ").append(getMessage()).append('\n');
        s.append("  --> ").append(location()).append('\n');
        if (hint != null) s.append("  = help: ").append(hint).append('\n');
        return s.toString();
    }

    /** The path relative to the working directory when it is below it, else absolute. */
    public static String display(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }
}
