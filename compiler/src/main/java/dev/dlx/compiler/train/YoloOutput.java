package dev.dlx.compiler.train;

import dev.dlx.compiler.data.LabelSpec;
import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.layers.Yolo;

/** Box labels train a `yolo` head whose classes are the data's: the output must be that head. */
final class YoloOutput {
    private YoloOutput() {}

    /** The `yolo` node an output is, or null. */
    static Node head(ModelIR model, Node out) {
        return out.kind() instanceof Yolo ? out : null;
    }

    static void check(ModelIR model, Node out, Node head, LabelSpec labels, Diagnostics sink) {
        Node yolo = head(model, out);
        if (yolo == null) {
            sink.report(Diagnostic.error(Code.DETECTION_HEAD, head.span(), "boxes train a `yolo` head, but output `" + out.name() + "` of model `"
                    + model.name() + "` is " + out.kindName() + " " + out.shape())
                .label("not a detection head")
                .secondary(labels.span(), "boxes over " + labels.classes() + " classes")
                .help("end the model with `conv K 1` and `yolo anchors W H ... classes " + labels.classes() + "`, K = anchors x (5 + "
                    + labels.classes() + ")"));
            return;
        }
        Yolo.Settings settings = yolo.settings(Yolo.Settings.class);
        int p = settings.classes();
        // no classes: the annotations could not be read (reported at the source), so there is nothing to compare
        if (labels.classes() > 0 && p != labels.classes()) {
            sink.report(Diagnostic.error(Code.DETECTION_HEAD, yolo.attrs().span("classes"), "`yolo` predicts p = " + p + " classes, but the boxes of the data have "
                    + labels.classes())
                .label("p = " + p)
                .secondary(labels.span(), labels.classes() + " classes: " + String.join(", ", labels.names().subList(0, Math.min(10, labels.names().size()))))
                .help("write `classes " + labels.classes() + "` (and " + settings.anchors().size() + " x (5 + " + labels.classes()
                    + ") channels before it)"));
        }
    }
}
