package dev.dlx.compiler.check;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.train.Bytes;
import dev.dlx.compiler.train.MemoryEstimate;
import dev.dlx.compiler.train.TrainIR;

/**
 * The memory estimate of each `train` block of a compilation, as `dlxc check` prints it after the
 * models' summaries, and as JSON (in bytes). Blocks whose model or optimizer has errors have none.
 */
public final class TrainingMemory {
    private TrainingMemory() {}

    /** Two lines per training, then an empty line; "" when no training has an estimate. */
    public static String text(Compilation c) {
        StringBuilder out = new StringBuilder();
        for (TrainIR t : c.trainings()) {
            MemoryEstimate e = MemoryEstimate.of(c.models().get(t.model()), t).orElse(null);
            if (e == null) continue;
            out.append("Memory to train `").append(t.model()).append("` on `").append(t.dataset())
               .append("` (line ").append(t.span().line()).append(", estimate): ").append(Bytes.text(e.total())).append(e.complete() ? "" : " or more").append('\n')
               .append(" ").append(e.parts()).append('\n');
        }
        return out.isEmpty() ? "" : out.append('\n').toString();
    }

    /**
     * One object per training: `model`, `dataset`, `line`, `column`, `batch`, `optimizer`, and `memory`
     * (null without an estimate) with `weights`, `gradients`, `optimizerState`, `activations`, `total`
     * in bytes and `unsized`, the tensors of unknown size the activations leave out.
     */
    public static JsonArray json(Compilation c) {
        JsonArray all = new JsonArray();
        for (TrainIR t : c.trainings()) {
            JsonObject o = new JsonObject();
            o.addProperty("model", t.model());
            o.addProperty("dataset", t.dataset());
            o.addProperty("line", t.span().line());
            o.addProperty("column", t.span().column());
            o.addProperty("batch", t.batchSize());
            o.addProperty("optimizer", t.optimizer() == null ? null : t.optimizer().kind().word());
            MemoryEstimate e = MemoryEstimate.of(c.models().get(t.model()), t).orElse(null);
            if (e == null) {
                o.add("memory", null);
            } else {
                JsonObject m = new JsonObject();
                m.addProperty("weights", e.weights());
                m.addProperty("gradients", e.gradients());
                m.addProperty("optimizerState", e.optimizerState());
                m.addProperty("activations", e.activations());
                m.addProperty("total", e.total());
                m.addProperty("unsized", e.unsized());
                o.add("memory", m);
            }
            all.add(o);
        }
        return all;
    }
}
