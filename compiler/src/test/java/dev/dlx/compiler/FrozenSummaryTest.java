package dev.dlx.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import dev.dlx.compiler.check.SummaryJson;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.resolve.SourceProvider;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `freeze` moves a layer's weights to the non-trainable count, in the summary's text (golden) and JSON. */
class FrozenSummaryTest {

    @Test
    void frozenWeightsCountAsNonTrainable() {
        Compilation c = new Compiler(SourceProvider.DISK, GoldenTest.CHECK_DIR).compile(GoldenTest.CHECK_DIR.resolve("ok/freeze.dlx"))
            .orElseThrow();
        ModelIR declared = c.rootModels().get(0);
        // dense_1 4*8+8 = 40, batchnorm_1 gamma+beta 16 (+16 moving statistics), dense_2 8*3+3 = 27
        assertEquals(List.of(99L, 83L, 16L), List.of(declared.totalParams(), declared.trainableParams(), declared.nonTrainableParams()));
        List<ModelIR> trained = c.rootModelsAsTrained();
        assertEquals(1, trained.size());
        JsonObject json = SummaryJson.render(trained.get(0));
        assertEquals(99, json.get("totalParams").getAsLong());
        assertEquals(27, json.get("trainableParams").getAsLong(), "only dense_2 trains");
        assertEquals(72, json.get("nonTrainableParams").getAsLong());
        assertEquals("[\"dense_1\",\"relu_1\",\"batchnorm_1\"]", json.get("frozen").toString());
        assertEquals(40, json.getAsJsonArray("layers").get(1).getAsJsonObject().get("nonTrainable").getAsLong());
    }
}
