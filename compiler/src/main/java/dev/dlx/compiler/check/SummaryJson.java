package dev.dlx.compiler.check;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.shape.Dim;

/** A model's summary as JSON: the same facts as {@link Summary}, with shapes as arrays (null for unknown). */
public final class SummaryJson {
    private SummaryJson() {}

    public static JsonObject render(ModelIR model) {
        JsonObject o = new JsonObject();
        o.addProperty("name", model.name());
        o.addProperty("valid", model.valid());
        JsonArray layers = new JsonArray();
        for (Node n : model.nodes()) {
            JsonObject l = new JsonObject();
            l.addProperty("name", n.name());
            l.addProperty("type", n.isInput() ? "input" : n.spelling());
            l.addProperty("kind", n.kindName());
            JsonArray shape = new JsonArray();
            if (!n.shape().isUnknown()) {
                for (Dim d : n.shape().dims()) {
                    if (d.known()) shape.add(d.size());
                    else shape.add((Number) null);
                }
            }
            l.add("shape", shape);
            l.addProperty("params", n.paramCount());
            l.addProperty("trainable", n.trainableCount());
            l.addProperty("nonTrainable", n.nonTrainableCount());
            l.addProperty("receptiveField", n.receptiveField().toString());
            JsonArray inputs = new JsonArray();
            n.inputs().forEach(i -> inputs.add(model.node(i).name()));
            l.add("inputs", inputs);
            l.addProperty("line", n.span().line());
            l.addProperty("column", n.span().column());
            layers.add(l);
        }
        o.add("layers", layers);
        o.addProperty("totalParams", model.totalParams());
        o.addProperty("trainableParams", model.trainableParams());
        o.addProperty("nonTrainableParams", model.nonTrainableParams());
        JsonArray frozen = new JsonArray();
        model.frozenLayers().forEach(frozen::add);
        o.add("frozen", frozen);
        return o;
    }
}
