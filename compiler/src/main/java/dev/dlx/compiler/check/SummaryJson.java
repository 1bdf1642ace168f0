package dev.dlx.compiler.check;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.shape.Dim;
import dev.dlx.compiler.shape.Shape;

/**
 * A model's summary as JSON: the same rows as {@link Summary}, with shapes as arrays (null for
 * unknown); a use of another model has `kind` "model", `model`, and `sharedWith` when it computes
 * with an earlier use's weights (its `params` are then 0: they count once, in that use's row).
 */
public final class SummaryJson {
    private SummaryJson() {}

    public static JsonObject render(ModelIR model) {
        JsonObject o = new JsonObject();
        o.addProperty("name", model.name());
        o.addProperty("valid", model.valid());
        JsonArray layers = new JsonArray();
        for (SummaryRow r : SummaryRow.of(model)) {
            JsonObject l = new JsonObject();
            l.addProperty("name", r.name());
            l.addProperty("type", r.type());
            l.addProperty("kind", r.kind());
            if (r.model() != null) l.addProperty("model", r.model());
            if (r.sharedWith() != null) l.addProperty("sharedWith", r.sharedWith());
            l.add("shape", shape(r.shapes().get(0)));
            if (r.shapes().size() > 1) {
                JsonArray all = new JsonArray();
                r.shapes().forEach(s -> all.add(shape(s)));
                l.add("shapes", all);
            }
            l.addProperty("params", r.params());
            l.addProperty("trainable", r.trainable());
            l.addProperty("nonTrainable", r.params() - r.trainable());
            l.addProperty("receptiveField", r.receptiveField().toString());
            JsonArray inputs = new JsonArray();
            r.inputs().forEach(inputs::add);
            l.add("inputs", inputs);
            l.addProperty("line", r.span().line());
            l.addProperty("column", r.span().column());
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

    private static JsonArray shape(Shape s) {
        JsonArray shape = new JsonArray();
        if (!s.isUnknown()) {
            for (Dim d : s.dims()) {
                if (d.known()) shape.add(d.size());
                else shape.add((Number) null);
            }
        }
        return shape;
    }
}
