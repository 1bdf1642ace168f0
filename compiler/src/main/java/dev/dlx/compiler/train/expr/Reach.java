package dev.dlx.compiler.train.expr;

import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/** What an expression's gradient reaches in a model. */
public final class Reach {
    private Reach() {}

    /**
     * The layers whose weights the expression's gradient reaches: those the tensors it names depend
     * on, short of a `stop_gradient`; each by its name and its weights' name ({@link Node#weightOwner}).
     */
    public static Set<String> layers(ModelIR model, LossExpr e) {
        Set<Integer> seen = new HashSet<>();
        Deque<Integer> todo = new ArrayDeque<>();
        Deque<LossExpr> exprs = new ArrayDeque<>();
        exprs.push(e);
        while (!exprs.isEmpty()) {
            LossExpr x = exprs.pop();
            if (x instanceof LossExpr.Unary u && u.function() == Function.STOP_GRADIENT) continue;
            if (x instanceof LossExpr.Ref r && !r.tensor().isLabel()) todo.push(r.tensor().node());
            LossExpr.children(x).forEach(exprs::push);
        }
        Set<String> layers = new HashSet<>();
        while (!todo.isEmpty()) {
            int id = todo.pop();
            if (!seen.add(id)) continue;
            Node n = model.node(id);
            layers.add(n.name());
            layers.add(n.weightOwner()); // a layer of a used model keeps its weights under the shared owner's name
            n.inputs().forEach(todo::push);
        }
        return layers;
    }
}
