package dev.dlx.aot.support;

import dev.dlx.support.RowError;

/** Bad input to `predict`: the message names the file (and line) and what was expected; the hint says what to do. */
public final class InputException extends Exception {
    private final String hint;
    private final RowError row;

    public InputException(String message, String hint) {
        super(message);
        this.hint = hint;
        this.row = null;
    }

    /** A row the CSV reader refused: it prints as `dlxc predict` prints it. */
    public InputException(RowError row) {
        super(row.location() + ": " + row.getMessage());
        this.hint = row.hint();
        this.row = row;
    }

    public String hint() { return hint; }

    /** The error as printed: `dlxc predict`'s text for a refused row, else `error: ...` and `  = help: ...`. */
    public String render() {
        if (row != null) return row.render();
        return "error: " + getMessage() + "\n" + (hint != null ? "  = help: " + hint + "\n" : "");
    }
}
