package dev.dlx.compiler.data;

/**
 * What one label cell of a delimited file means under a {@link LabelSpec}: a class index, a
 * regression target, or why it is neither. `dlxc check` and the runtime's reader both ask
 * {@link LabelSpec#parseCell}, so a cell `check` accepts is one `run` reads, and the other way round.
 */
public sealed interface LabelCell {
    /** A class, 0 to classes - 1 (the place of a class name in `names`). */
    record ClassIndex(int index) implements LabelCell {}

    /** A finite regression target. */
    record Target(float value) implements LabelCell {}

    /**
     * A cell the labels do not allow: {@code subject} names it ("the label `cat`"), {@code problem}
     * says what is wrong ("is not a class index"), {@code help} how to fix it.
     */
    record Bad(String subject, String problem, String help) implements LabelCell {
        /** "the label `cat` {where} is not a class index": {@code where} places the cell ("on line 3 of `x.csv`"). */
        public String message(String where) { return subject + " " + where + " " + problem; }
    }
}
