package dev.dlx.aot.support;

/** Bad input to `predict`: the message names the file (and line) and what was expected; the hint says what to do. */
public final class InputException extends Exception {
    private final String hint;

    public InputException(String message, String hint) {
        super(message);
        this.hint = hint;
    }

    public String hint() { return hint; }
}
