package dev.dlx.compiler.train.expr;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The functions of loss and metric expressions (besides + - * / and the built-in losses), each
 * with its shape rule. Shapes are per sample; `axis` counts without the batch axis.
 */
public enum Function {
    MEAN("mean", Form.REDUCE, "mean(x), mean(x, axis = k): the mean over every axis -> [], or over axis k (dropped)"),
    SUM("sum", Form.REDUCE, "sum(x), sum(x, axis = k): the sum over every axis -> [], or over axis k (dropped)"),
    MIN("min", Form.REDUCE_OR_PAIR, "min(a, b): elementwise, broadcast; min(x), min(x, axis = k): the smallest, as mean"),
    MAX("max", Form.REDUCE_OR_PAIR, "max(a, b): elementwise, broadcast; max(x), max(x, axis = k): the largest, as mean"),
    POW("pow", Form.BROADCAST, "pow(x, p): x^p elementwise, broadcast (x > 0 unless p is a whole number)"),
    NORM("norm", Form.REDUCE, "norm(x), norm(x, axis = k): the Euclidean norm over every axis -> [], or over axis k"),
    SQUARE("square", Form.ELEMENTWISE, "square(x): x^2, same shape"),
    SQRT("sqrt", Form.ELEMENTWISE, "sqrt(x): same shape"),
    ABS("abs", Form.ELEMENTWISE, "abs(x): |x|, same shape"),
    LOG("log", Form.ELEMENTWISE, "log(x): natural logarithm, same shape"),
    EXP("exp", Form.ELEMENTWISE, "exp(x): e^x, same shape"),
    RELU("relu", Form.ELEMENTWISE, "relu(x): max(x, 0), same shape"),
    SIGMOID("sigmoid", Form.ELEMENTWISE, "sigmoid(x): 1 / (1 + e^-x), same shape"),
    LOG_SIGMOID("log_sigmoid", Form.ELEMENTWISE, "log_sigmoid(x): log σ(x) = -log(1 + e^-x), computed without overflow, same shape"),
    STOP_GRADIENT("stop_gradient", Form.ELEMENTWISE, "stop_gradient(x): x, through which no gradient flows"),
    DOT("dot", Form.LAST_AXIS, "dot(a, b): sum of a * b over the last axis; [..., n] and [..., n] -> [...]"),
    SQDIST("sqdist", Form.LAST_AXIS, "sqdist(a, b): squared Euclidean distance over the last axis; [..., n], [..., n] -> [...]"),
    COSINE("cosine", Form.LAST_AXIS, "cosine(a, b): cosine similarity over the last axis; [..., n], [..., n] -> [...]"),
    MATMUL("matmul", Form.MATMUL, "matmul(a, b): [..., m, k] and [..., k, n] -> [..., m, n]"),
    TRANSPOSE("transpose", Form.TRANSPOSE, "transpose(x): swaps the last two axes, [..., m, n] -> [..., n, m]"),
    GRAM("gram", Form.GRAM, "gram(x): F^T F of the features, [h, w, c] (or [n, c]) -> [c, c]");

    /** How a function's arguments and shapes go. */
    public enum Form { ELEMENTWISE, REDUCE, REDUCE_OR_PAIR, BROADCAST, LAST_AXIS, MATMUL, TRANSPOSE, GRAM }

    private final String word;
    private final Form form;
    private final String doc;

    Function(String word, Form form, String doc) {
        this.word = word;
        this.form = form;
        this.doc = doc;
    }

    public String word() { return word; }
    public Form form() { return form; }
    /** The function and its shape rule, as the language reference gives it. */
    public String doc() { return doc; }

    public static Optional<Function> byWord(String word) {
        return Arrays.stream(values()).filter(f -> f.word.equals(word)).findFirst();
    }

    public static List<String> words() { return Arrays.stream(values()).map(Function::word).toList(); }
}
