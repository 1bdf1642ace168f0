package dev.dlx.compiler.syntax;

import dev.dlx.compiler.diag.Span;
import java.util.List;

/**
 * A statement of a dataset, training or evaluation block: a word, its arguments and maybe a
 * nested block, as in `split train 70%, val 15%, test 15% seed 42` or `augment train { ... }`.
 */
public record Directive(Ident word, List<Expr> args, List<Directive> nested, boolean hasBlock, Span span) {}
