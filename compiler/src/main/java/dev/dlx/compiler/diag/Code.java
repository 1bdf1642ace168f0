package dev.dlx.compiler.diag;

import java.util.Arrays;
import java.util.Optional;

/**
 * Stable diagnostic codes. The number never changes meaning; `dlxc explain CODE` prints the
 * explanation. 01xx syntax, 02xx names, 03xx arguments, 04xx shapes, 05xx data and training,
 * 06xx loss and metric expressions, 07xx files the check may not read, 10xx lints (the
 * cheatsheets' tips, as warnings).
 */
public enum Code {
    SYNTAX("DLX0101", "syntax error",
        "The text does not follow dlx's grammar at this point. The message says what the parser "
        + "expected and what it found. The parser recovers and goes on, so every syntax error of a "
        + "file is reported in one run."),
    UNKNOWN_CHARACTER("DLX0102", "unknown character",
        "This character has no meaning in dlx. Comments start with `//` or are enclosed in `/* */`."),
    UNTERMINATED_STRING("DLX0103", "unterminated string",
        "A string starts with `\"` and must end with `\"` on the same line."),
    BAD_NUMBER("DLX0104", "invalid number",
        "The number cannot be represented, for example an integer larger than 2^31-1."),
    NOT_TEXT("DLX0105", "not a dlx source file",
        "dlx sources are UTF-8 text. The file holds bytes that are not UTF-8 (a file saved as "
        + "Latin-1 or Windows-1252, or a binary file): the message names the first such byte and its "
        + "line and column. Files that are not regular files (directories, pipes, devices) and files "
        + "larger than 16 MiB are not read at all."),
    TOO_DEEP("DLX0106", "nesting too deep",
        "Parentheses, brackets, calls, braces and `-` signs nest more than 100 levels deep. No "
        + "model needs that many; the text beyond that depth is not read. Split the expression, "
        + "or compute the value in steps with block parameters."),

    UNKNOWN_NAME("DLX0201", "unknown name",
        "The name is not defined in this file or in any file it imports. Models, blocks and "
        + "datasets are visible across imports; tensors named with `let` are visible after their "
        + "definition in the same body."),
    UNKNOWN_LAYER("DLX0202", "unknown layer or block",
        "A graph body names a layer kind the compiler does not know and no block of that name is "
        + "defined. `dlxc explain layers` lists the layer kinds."),
    DUPLICATE_DEFINITION("DLX0203", "duplicate definition",
        "Two models, blocks, datasets or tensors share one name. Names must be unique across a "
        + "file and the files it imports."),
    IMPORT_NOT_FOUND("DLX0204", "imported file not found",
        "`import \"path\"` is resolved relative to the importing file."),
    IMPORT_CYCLE("DLX0205", "import cycle",
        "Files import each other in a circle. Move the shared definitions into a third file."),
    NOT_A_TENSOR("DLX0206", "not a tensor",
        "Merge layers (`add`, `concat`, ...) and block calls take tensors: the model's inputs, "
        + "`input` inside a block, or names bound with `let`."),
    RECURSIVE_BLOCK("DLX0207", "recursive block",
        "A block uses itself, directly or through other blocks, so it would expand forever."),
    RECURSIVE_MODEL("DLX0208", "recursive model",
        "A model uses itself, directly or through other models it uses, so it would contain itself. "
        + "A model used inside another shares its weights with every other use; to repeat layers "
        + "with new weights, declare them as a `block`."),

    UNKNOWN_ATTRIBUTE("DLX0301", "unknown attribute",
        "The layer, data step or training rule has no attribute of this name. The message lists "
        + "the ones it has."),
    MISSING_ARGUMENT("DLX0302", "missing argument",
        "A required argument was not given. Positional arguments come first, in the documented "
        + "order; named ones follow as `name value`."),
    TOO_MANY_ARGUMENTS("DLX0303", "too many arguments",
        "More positional arguments were given than the layer or rule takes."),
    WRONG_TYPE("DLX0304", "argument of the wrong type",
        "The argument's value has the wrong type, for example a string where a number is expected, "
        + "or a fraction where a whole number is expected."),
    OUT_OF_RANGE("DLX0305", "argument out of range",
        "The value is outside the range the hyperparameter allows, for example a dropout rate "
        + "outside [0, 1) or a stride of 0."),
    DUPLICATE_ATTRIBUTE("DLX0306", "attribute given twice",
        "The same attribute was set twice in one layer or rule."),
    INVALID_CHOICE("DLX0307", "invalid choice",
        "The attribute takes one of a fixed set of words; the message lists them."),

    RANK_MISMATCH("DLX0401", "input of the wrong rank",
        "A layer received a tensor of a rank it cannot take, for example a 3D feature map into "
        + "`dense` (insert `flatten`) or a flat vector into `conv`. Shapes are written without "
        + "the batch dimension."),
    KERNEL_TOO_LARGE("DLX0402", "window larger than its input",
        "A convolution or pooling window does not fit in its (padded) input, so the output would "
        + "be empty. Output size along an axis is floor((I - d(F-1) - 1 + P_start + P_end) / S) + 1."),
    MERGE_SHAPE_MISMATCH("DLX0403", "branches of different shapes",
        "`add`, `multiply` and `average` need every input to have the same shape; `concat` needs "
        + "the shapes to agree on every axis except the one it joins along."),
    RESHAPE_SIZE("DLX0404", "reshape changes the number of elements",
        "`reshape` must keep the number of elements: the product of the new shape must equal the "
        + "product of the input shape."),
    OUTPUT_SHAPE_MISMATCH("DLX0405", "model output differs from its declaration",
        "The shape the model's body produces differs from the shape declared after `->`."),
    INPUT_COUNT("DLX0406", "wrong number of inputs",
        "The layer or block takes a different number of input tensors than it was given."),
    SHAPE_TOO_LARGE("DLX0407", "tensor or parameter count too large",
        "A tensor or the parameter count is so large it would not fit in memory (over 2^31 "
        + "elements per sample or parameters)."),
    BAD_SHAPE("DLX0408", "invalid shape",
        "A declared shape has a non-positive or non-integer dimension."),
    MODEL_INPUT_SHAPE("DLX0409", "model input of the wrong shape",
        "A model used inside another model (`Encoder(x)`) was given a tensor whose shape differs "
        + "from the input the used model declares. Shapes are written without the batch dimension."),
    TOO_MANY_LAYERS("DLX0410", "model expands to too many layers",
        "Blocks and repeats unfold into more than 100,000 layers, block uses and tensor steps. "
        + "The size comes from the block definitions before anything is built, and the error "
        + "points at the use that takes the model past the limit: often a repeat count (`* N`) "
        + "or blocks that use other blocks several times, which multiply."),
    MEMORY_EXCEEDS_MACHINE("DLX0411", "training needs more memory than the machine has",
        "The estimate of what one training step holds at once is larger than this machine's physical "
        + "memory: the weights (every parameter, 4 bytes each), one gradient per trained parameter, the "
        + "optimizer's state (adam and adadelta keep 2 values per trained parameter, momentum, rmsprop and "
        + "adagrad 1, sgd none) and the outputs of every layer for one batch, kept for the backward pass. "
        + "It is an estimate and a lower bound: TensorFlow needs some memory on top. `dlxc check` prints it "
        + "for every `train` block, and `dlxc run` refuses such a training before reading the data unless "
        + "given `--ignore-memory` (`--memory-limit SIZE` compares with another amount, such as a GPU's). "
        + "Use a smaller `batch` when the activations dominate; fewer units or filters, downsampling "
        + "(pooling, strides) before wide layers, or `optimizer sgd` or `momentum` when the weights do."),
    DETECTION_HEAD("DLX0412", "detection head of the wrong shape",
        "A `yolo` head reads a G x G feature map with k x (5 + p) channels, for k anchor boxes and p "
        + "classes, and outputs G x G x k x (5 + p): for each cell and anchor the objectness p_c, the box "
        + "b_x, b_y, b_h, b_w and the p class probabilities. End the feature map with a 1x1 convolution of "
        + "k x (5 + p) filters (`conv 45 1` for 3 anchors and 10 classes). Anchors are pairs of width and "
        + "height as fractions of the image; with box labels, p must be the number of classes of the data."),

    DATA_MODEL_MISMATCH("DLX0501", "model input does not match the data",
        "The shape of the dataset's features after its steps must equal the model's input shape."),
    LABEL_OUTPUT_MISMATCH("DLX0502", "model output does not match the labels",
        "A classifier over N classes needs N outputs with categorical cross-entropy, or 1 output "
        + "with binary cross-entropy and 2 classes."),
    LOSS_LABEL_MISMATCH("DLX0503", "loss does not fit the labels",
        "The loss must suit the labels: categorical cross-entropy takes one-hot labels, sparse "
        + "categorical cross-entropy takes class indices, binary cross-entropy takes 0/1, "
        + "regression losses take numbers."),
    MISSING_DIRECTIVE("DLX0504", "required statement missing",
        "A dataset needs a `source`; a training block needs a `loss` and an `optimizer`."),
    UNKNOWN_DIRECTIVE("DLX0505", "unknown statement",
        "The dataset, training or evaluation block has no statement of this name."),
    DATA_FILE("DLX0506", "data file problem",
        "A data file named by a `source` is missing or its header cannot be read. Paths are "
        + "relative to the `.dlx` file."),
    SPLIT_SIZES("DLX0507", "split sizes do not add up",
        "The percentages of `split` must add up to 100%."),
    UNKNOWN_METRIC("DLX0508", "unknown or unavailable metric",
        "A monitored metric must be one that training computes, and a `val_` metric needs a "
        + "validation split."),
    UNKNOWN_LAYER_NAME("DLX0509", "no layer of this name",
        "`freeze` and `regularize ... on` name layers of the model: names given with `let`, or "
        + "the automatic names printed by `dlxc check`."),
    DUPLICATE_DIRECTIVE("DLX0510", "statement given twice",
        "The statement may appear once in its block."),
    SAMPLING("DLX0511", "pairs or triplets that cannot be drawn",
        "`pairs` and `triplets` draw metric-learning samples by class: from a source with one unnamed "
        + "feature and class labels (`labels classes 10`), once per dataset. They name the drawn "
        + "features themselves (`left`, `right` and the label `same`; `anchor`, `positive`, `negative`)."),
    INPUT_WITHOUT_FEATURE("DLX0520", "model input fed by no feature",
        "Every model input is fed by the dataset feature of the same name (`features image 0..783` "
        + "feeds `model M(image [784])`). A dataset that names no features feeds one unnamed feature, "
        + "which only a model with one input can take."),
    OUTPUT_WITHOUT_LABEL("DLX0521", "model output trained on no label",
        "Every model output trains on the dataset label of the same name (`labels digit 784` pairs "
        + "with the output `let digit = ...`), with the training block's loss. A dataset that names no "
        + "labels has one unnamed label, which only a model with one output can train on."),

    UNKNOWN_TENSOR("DLX0601", "unknown tensor in an expression",
        "A loss or metric expression names the model's outputs (by their `let` names, or `output` "
        + "when there is one), its intermediate tensors (`let` names and layer names as `dlxc check` "
        + "prints them) and the dataset's labels (`label`, or each by its name: `digit`, `labels.digit`). "
        + "`dlxc check` lists the names it knows."),
    UNKNOWN_FUNCTION("DLX0602", "unknown function in an expression",
        "Loss and metric expressions use a closed set of differentiable functions: mean, sum, "
        + "square, sqrt, abs, log, exp, min, max, relu, norm, dot, sqdist, cosine, matmul, transpose, "
        + "gram, stop_gradient and the built-in losses (categorical_crossentropy, mse, ...)."),
    EXPRESSION_ARGUMENTS("DLX0603", "wrong arguments to an expression function",
        "The function takes a fixed number of tensor arguments and, for some, a named `axis` (an "
        + "integer, counted without the batch axis; negative counts from the end)."),
    EXPRESSION_SHAPE_MISMATCH("DLX0604", "shapes that do not fit in an expression",
        "Arithmetic broadcasts as NumPy does: two axes fit when they are equal or one is 1. "
        + "sqdist, cosine and dot need equal shapes; matmul needs [m, k] and [k, n]. Shapes are "
        + "per sample, without the batch axis."),
    LOSS_NOT_SCALAR("DLX0605", "loss or metric not a scalar per sample",
        "A loss or metric expression must give one number per sample (shape []), which training "
        + "averages over the batch. Reduce the rest with `mean(...)` or `sum(...)`."),
    EXPRESSION_OUT_OF_PLACE("DLX0606", "expression where a value is expected",
        "Function calls such as `mean(x)` and named expressions such as `gap = ...` are written "
        + "in `loss` and `metric` statements only; elsewhere arguments are plain values."),
    AMBIGUOUS_TENSOR("DLX0608", "name both a label and a model tensor",
        "A label trains the model output of the same name, so both are often called alike (`labels "
        + "digit ...` and `let digit = ...`). In an expression the bare name would mean either: write "
        + "`labels.digit` for the label and `MODEL.digit` (the model's name) for its tensor. The "
        + "qualified forms are accepted everywhere."),
    LABEL_NOT_READ("DLX0609", "label that no loss reads",
        "Every label the dataset describes is loaded and split, but one that neither the loss nor a "
        + "metric reads does not train anything. Use it in the loss (for example `+ 0.5 * "
        + "categorical_crossentropy(M.parity, labels.parity)`), or drop it from the dataset's `labels`."),
    STEP_UNREACHED("DLX0630", "step that updates weights its loss does not depend on",
        "A `step` of a training with several steps (`step D { loss ...; updates Discriminator; optimizer ... }`) "
        + "changes only the weights it names in `updates`, along the gradient of its own loss. When the loss does "
        + "not depend on a named model, use or layer (no tensor the loss reads is computed from it, or only "
        + "through `stop_gradient`), its gradient there is zero and the step cannot change it: name the weights the "
        + "loss reaches, or write the loss over the tensors those weights compute."),
    STEP_OVERLAP("DLX0631", "weights updated by two steps",
        "Each weight is updated by one step, with that step's optimizer: two steps updating the same layer would "
        + "pull it along two objectives with two optimizers' state, which is rarely meant (a GAN's discriminator "
        + "and generator each have their own step). Split the `updates` so that each layer is named once."),
    STEP_STATEMENT("DLX0632", "statement out of place in a training with steps",
        "A training with `step` blocks trains each step's own `loss` with its own `optimizer` (the block's "
        + "`optimizer` is the default of steps that give none); `alternate D * 2, G` orders the steps within "
        + "each batch and names every step once. The block's own `loss`, a learning-rate `schedule`, "
        + "`early_stop`, `clip`, `regularize` and `load` do not apply to it, and `alternate` needs steps."),

    PHASE_STATEMENT("DLX0640", "statement out of place in a phase or a training with phases",
        "A training in phases (`phase head { epochs 3 ; freeze until dense_1 }`) runs its phases in order, each "
        + "for its own `epochs`, so the block has no `epochs` of its own (the run's epochs are the phases' sum). "
        + "A phase is `phase NAME { ... }` with a unique name and the statements `epochs` (required), `freeze`, "
        + "`unfreeze` and `optimizer`; phases do not combine with `step` blocks."),
    PHASE_TRAINS_NOTHING("DLX0641", "phase that trains no weight",
        "Every layer with weights is frozen in this phase (the training's `freeze` and the phase's own, less its "
        + "`unfreeze`), so its epochs would change nothing. Unfreeze the layers the phase should train "
        + "(`unfreeze dense_2`), or leave the phase out."),

    OUTSIDE_WORKSPACE("DLX0701", "file outside the workspace",
        "The language server reads only files inside the editor's workspace folders (or, when the "
        + "editor names none, the folders of the open documents): an import or a data path that "
        + "leads elsewhere, also through a symbolic link, is not opened, and the file is not even "
        + "looked at, so a program cannot show what `/etc/shadow` or `~/.ssh/id_rsa` holds in an "
        + "editor. Open the folder that holds the file as a workspace folder, or turn on the setting "
        + "`dlx.allowReadsOutsideWorkspace`. The command line (`dlxc check`, `dlxc run`, ...) reads any file."),

    SEARCH_PARAM("DLX0801", "invalid search parameter",
        "A `search` block's `param NAME KIND ...` declares a hyperparameter: `uniform LOW..HIGH`, "
        + "`loguniform LOW..HIGH` (LOW > 0; spread evenly on the log scale), `int LOW..HIGH` (whole numbers) or "
        + "`choice V1, V2, ...` (numbers or words), optionally `default V` (the value of a plain `dlxc run` or "
        + "`check`) and `steps N` (points of a range on a grid). Each name is declared once and then stands for "
        + "its value wherever an attribute takes a number or a word: `optimizer adam lr lr`, `dense width`."),
    SEARCH_UNUSED("DLX0802", "search parameter never used",
        "No attribute reads the parameter, so trying its values would train the same model again and again. "
        + "Use its name where a value goes (`dense width`), or remove it."),
    SEARCH_POINTS("DLX0803", "too many search points to check each",
        "The checker compiles the program once for every point of a grid (or, for `random` and `tpe`, every "
        + "combination of each parameter's choices and range ends) before anything trains. Beyond 256 such "
        + "points it checks each parameter's values one at a time, the others at their defaults, and says so."),
    SEARCH_VALUE("DLX0804", "value given for a search parameter",
        "`dlxc run --param NAME=VALUE` (and `--from-search`) sets a parameter of the file's `search` block: the "
        + "name must be declared there and the value must be one it takes (a choice, or a number in its range)."),

    LINT_SOFTMAX_BINARY("DLX1001", "softmax output with binary cross-entropy",
        "Softmax makes outputs sum to one, so a single softmax unit always outputs 1 and several "
        + "are not independent probabilities. Binary cross-entropy pairs with `sigmoid`; softmax "
        + "pairs with categorical cross-entropy (Chollet's last-layer/loss table)."),
    LINT_REGRESSION_ACTIVATION("DLX1002", "regression head with an activation",
        "A regression model's last layer should be linear: an activation such as relu, sigmoid or "
        + "softmax bounds the predictions, so targets outside its range can never be reached."),
    LINT_DROPOUT_IN_CONV("DLX1003", "dropout between convolutions",
        "Dropout between convolutional layers drops correlated pixels and mostly slows training; "
        + "batch normalization or data augmentation regularize convolutional stacks better. Keep "
        + "dropout in the dense part."),
    LINT_BATCH_POW2("DLX1004", "batch size not a power of two",
        "Mini-batch sizes that are powers of two (16, 32, 64, ...) map best onto hardware."),
    LINT_NORMALIZE_BEFORE_SPLIT("DLX1005", "`normalize` written before `split`",
        "Featurewise normalization statistics come from the training split only (with `kfold`, from "
        + "each fold's training part), wherever `normalize` stands in the dataset: statistics of the "
        + "whole data set would leak validation and test data into training. Written before `split`, "
        + "the statement reads as if they came from all the data; write it after `split`."),
    LINT_BIAS_BEFORE_BATCHNORM("DLX1006", "bias before batch normalization",
        "Batch normalization subtracts the mean, which cancels any bias added just before it; "
        + "the bias parameters are wasted."),
    LINT_HIGH_DROPOUT("DLX1007", "dropout rate above 0.5",
        "Dropout rates between 0.2 and 0.5 are usual; above 0.5 the layer drops most of its input."),
    LINT_SIGMOID_MULTICLASS("DLX1008", "sigmoid output with categorical cross-entropy",
        "For single-label classification over several classes the last layer should be softmax; "
        + "sigmoid pairs with binary cross-entropy (one or several independent labels)."),
    LINT_UNUSED_TENSOR("DLX1009", "named tensor never used",
        "A tensor bound with `let` is never used, so the layers that compute it do not reach the "
        + "model's output."),
    LINT_AUGMENT_EVAL("DLX1010", "augmentation on evaluation data",
        "Augmentation is for training batches; on validation or test data it makes the measured "
        + "accuracy noisy and biased."),
    LINT_NO_VALIDATION("DLX1011", "training without a validation split",
        "Without a validation split, overfitting cannot be seen and early stopping has nothing to "
        + "watch. Split off a validation set (or use `kfold` when data are scarce)."),
    LINT_LARGE_LEARNING_RATE("DLX1012", "learning rate unusually large",
        "Adaptive optimizers (adam, rmsprop, adagrad) usually diverge with learning rates above "
        + "0.01; typical values are 1e-4 to 1e-3. Plain and momentum gradient descent usually diverge "
        + "above 1; typical values are 1e-3 to 0.1."),
    LINT_LINEAR_CROSSENTROPY("DLX1013", "cross-entropy on a linear output",
        "Cross-entropy losses take probabilities: categorical cross-entropy after `softmax`, binary "
        + "cross-entropy after `sigmoid`. On a linear output the raw scores are clipped into [1e-7, 1 - 1e-7], "
        + "where most of them get no gradient, and training stays near chance. End the model with "
        + "the activation, or declare the loss `from_logits` to train on the raw scores."),
    LINT_DROPOUT_AFTER_OUTPUT("DLX1014", "dropout after the output",
        "Dropout at the end of a model zeroes predictions during training (and scales the rest by "
        + "1/(1-rate)), so probabilities no longer sum to one and the loss sees outputs the model "
        + "never means. Put dropout before the last layer."),
    LINT_UNUSED_DATA("DLX1020", "feature or label never used",
        "The dataset reads a named feature or label that no model input or output of the training "
        + "pairs with; it is loaded and ignored.");

    private final String id;
    private final String title;
    private final String explanation;

    Code(String id, String title, String explanation) {
        this.id = id;
        this.title = title;
        this.explanation = explanation;
    }

    public String id() { return id; }
    public String title() { return title; }
    public String explanation() { return explanation; }

    public static Optional<Code> byId(String id) {
        String wanted = id.toUpperCase();
        return Arrays.stream(values()).filter(c -> c.id.equals(wanted)).findFirst();
    }
}
