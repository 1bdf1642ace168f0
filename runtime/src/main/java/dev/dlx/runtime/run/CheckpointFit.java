package dev.dlx.runtime.run;

import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.ir.ParamSpec;
import dev.dlx.runtime.train.Checkpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether a run's checkpoint holds the weights of its model: every weight (`layer/param`, one per
 * weight owner), each with the model's number of values, and no other. A checkpoint of another
 * model is refused here, naming the file, before any graph is built.
 */
final class CheckpointFit {
    private CheckpointFit() {}

    /** Throws, naming {@code file}, when {@code c} does not hold exactly {@code model}'s weights. */
    static void require(ModelIR model, Checkpoint c, Path file) throws IOException {
        String why = problem(model, c);
        if (why != null) throw new IOException("`" + Runner.display(file) + "` does not fit model `" + model.name() + "`: " + why);
    }

    /** Why {@code c} does not hold {@code model}'s weights, or null when it does. */
    static String problem(ModelIR model, Checkpoint c) {
        Map<String, Long> expected = new LinkedHashMap<>();
        for (Node node : model.nodes()) {
            for (ParamSpec spec : node.params()) expected.putIfAbsent(node.weightOwner() + "/" + spec.name(), spec.count());
        }
        for (Map.Entry<String, Long> e : expected.entrySet()) {
            float[] values = c.weights().get(e.getKey());
            if (values == null) return "it has no weight `" + e.getKey() + "`" + holds(c);
            if (values.length != e.getValue()) {
                return "its weight `" + e.getKey() + "` has " + values.length + " values, the model's has " + e.getValue();
            }
        }
        for (String name : c.weights().keySet()) {
            if (!expected.containsKey(name)) return "it holds a weight `" + name + "` that the model does not have";
        }
        return null;
    }

    private static String holds(Checkpoint c) {
        if (c.weights().isEmpty()) return " (it holds none)";
        String first = c.weights().keySet().iterator().next();
        int more = c.weights().size() - 1;
        return " (it holds `" + first + "`" + (more > 0 ? " and " + more + " more" : "") + ")";
    }
}
