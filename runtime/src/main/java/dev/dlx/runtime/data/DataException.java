package dev.dlx.runtime.data;

import java.nio.file.Path;

/**
 * Data that cannot be used as declared, found while loading (before any training): a ragged or
 * non-numeric CSV row, a label outside the declared classes, a truncated IDX file, samples that do
 * not fit the model. Names the file and the line (or sample) where it can, and a fix.
 */
public final class DataException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long line;
    private final int column;
    private final String where;
    private final String help;

    /**
     * @param file  the data file, or null when the problem is not in one file
     * @param line  the 1-based line (CSV) or 0 when unknown
     * @param where how to name the position when it is not a line ("sample 345"), or null
     * @param help  how to fix it, or null
     */
    public DataException(Path file, long line, String where, String message, String help) {
        this(file, line, 0, where, message, help);
    }

    private DataException(Path file, long line, int column, String where, String message, String help) {
        super(message);
        this.file = file;
        this.line = line;
        this.column = column;
        this.where = where;
        this.help = help;
    }

    public static DataException at(Path file, long line, String message, String help) {
        return new DataException(file, line, null, message, help);
    }

    /** A problem in one cell: {@code column} is the 1-based character column on the line. */
    public static DataException at(Path file, long line, int column, String message, String help) {
        return new DataException(file, line, column, null, message, help);
    }

    /** A prediction file's row that the support module's reader refused, at its file, line and cell. */
    public static DataException of(dev.dlx.support.RowError e) {
        return new DataException(e.file(), e.line(), e.column(), null, e.getMessage(), e.hint());
    }

    public static DataException in(Path file, String where, String message, String help) {
        return new DataException(file, 0, where, message, help);
    }

    public static DataException general(String message, String help) {
        return new DataException(null, 0, null, message, help);
    }

    public Path file() { return file; }
    public long line() { return line; }
    /** The 1-based character column, or 0 when the problem is a whole line or not in a line. */
    public int column() { return column; }
    public String help() { return help; }

    /** `path:17:5`, `path:17`, `path (sample 345)`, `path`, or null: where the problem is. */
    public String location() {
        if (file == null) return null;
        String shown = display(file);
        if (line > 0) return shown + ":" + line + (column > 0 ? ":" + column : "");
        if (where != null) return shown + " (" + where + ")";
        return shown;
    }

    /** rustc-style: `error[DLX0506]: message`, `  --> file:line`, `  = help: ...`. */
    public String render() {
        StringBuilder s = new StringBuilder("error[DLX0506]: ").append(getMessage()).append('\n');
        String at = location();
        if (at != null) s.append("  --> ").append(at).append('\n');
        if (help != null) s.append("  = help: ").append(help).append('\n');
        return s.toString();
    }

    /** The path relative to the working directory when it is below it, else absolute. */
    public static String display(Path file) {
        return dev.dlx.support.RowError.display(file);
    }
}
