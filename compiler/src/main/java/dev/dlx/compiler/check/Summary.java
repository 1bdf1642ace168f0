package dev.dlx.compiler.check;

import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.shape.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A model's summary in the manner of Keras's `model.summary()`: layer, output shape (with the
 * batch as `None`), parameters and receptive field; a "Connected to" column when the graph branches.
 * A use of another model is one row; its shared weights are counted once (see {@link SummaryRow}).
 */
public final class Summary {
    private Summary() {}

    public static String render(ModelIR model) {
        boolean branching = isBranching(model);
        List<String[]> rows = new ArrayList<>();
        for (SummaryRow r : SummaryRow.of(model)) {
            String shapes = String.join(", ", r.shapes().stream().map(Shape::withBatch).toList());
            rows.add(new String[] {r.label(), shapes, grouped(r.params()), r.receptiveField().toString(), String.join(", ", r.inputs())});
        }
        String[] head = {"Layer (type)", "Output Shape", "Param #", "Receptive field", "Connected to"};
        int columns = branching ? 5 : 4;
        int[] width = new int[columns];
        for (int c = 0; c < columns; c++) {
            width[c] = head[c].length();
            for (String[] r : rows) width[c] = Math.max(width[c], r[c].length());
        }
        int total = 1;
        for (int w : width) total += w + 3;
        StringBuilder out = new StringBuilder();
        out.append("Model: \"").append(model.name()).append("\"\n");
        out.append("─".repeat(total)).append('\n');
        out.append(row(head, width, columns)).append('\n');
        out.append("═".repeat(total)).append('\n');
        for (String[] r : rows) out.append(row(r, width, columns)).append('\n');
        out.append("═".repeat(total)).append('\n');
        out.append(" Total params: ").append(grouped(model.totalParams())).append('\n');
        out.append(" Trainable params: ").append(grouped(model.trainableParams())).append('\n');
        out.append(" Non-trainable params: ").append(grouped(model.nonTrainableParams())).append('\n');
        if (!model.frozenLayers().isEmpty()) out.append(" Frozen in training: ").append(String.join(", ", model.frozenLayers())).append('\n');
        out.append("─".repeat(total)).append('\n');
        return out.toString();
    }

    private static boolean isBranching(ModelIR model) {
        for (Node n : model.nodes()) {
            if (n.inputs().size() > 1 || model.consumers(n.id()).size() > 1) return true;
        }
        return model.inputIds().size() > 1 || !model.uses().isEmpty();
    }

    private static String row(String[] cells, int[] width, int columns) {
        StringBuilder s = new StringBuilder(" ");
        for (int c = 0; c < columns; c++) {
            boolean right = c == 2;
            String cell = cells[c];
            String pad = " ".repeat(width[c] - cell.length());
            s.append(right ? pad + cell : cell + pad);
            if (c < columns - 1) s.append("   ");
        }
        return s.toString().stripTrailing();
    }

    public static String grouped(long n) { return String.format(Locale.ROOT, "%,d", n); }
}
