package dev.dlx.runtime.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.dlx.runtime.testing.Dlx;
import dev.dlx.runtime.testing.Run;
import dev.dlx.runtime.train.Checkpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat32;

/** A checkpoint fits a model when it holds exactly the model's weights, each of the model's size. */
class CheckpointFitTest {
    /** Mix used twice shares one dense (9 + 3 values); batch norm adds frozen moving statistics. */
    private static final String SOURCE = """
        model M(x [3]) -> [1] {
            x -> Mix -> Mix
            batchnorm
            dense 1
        }
        model Mix(v [3]) -> [3] {
            dense 3 -> tanh
        }
        """;

    private static Checkpoint checkpoint(Map<String, float[]> weights) {
        return new Checkpoint(weights, Map.of(), Map.of(), new JsonObject());
    }

    @Test
    void theModelsOwnWeightsFitAndAnythingElseIsNamed() throws Exception {
        try (Run<TFloat32> run = new Run<>(Dlx.model(SOURCE), TFloat32.class, 1)) {
            Map<String, float[]> own = run.graph.readWeights(run.session);
            assertEquals(12 + 4 * 3 + 4, own.values().stream().mapToInt(v -> v.length).sum(), "shared dense once, batch norm, dense 1: " + own.keySet());
            assertNull(CheckpointFit.problem(run.model, checkpoint(own)));

            Map<String, float[]> missing = new LinkedHashMap<>(own);
            String first = own.keySet().iterator().next();
            missing.remove(first);
            assertTrue(CheckpointFit.problem(run.model, checkpoint(missing)).startsWith("it has no weight `" + first + "` (it holds `"),
                CheckpointFit.problem(run.model, checkpoint(missing)));

            // the last dense's kernel: [3, 1]
            String last = own.entrySet().stream().filter(e -> e.getKey().endsWith("/kernel") && e.getValue().length == 3)
                .map(Map.Entry::getKey).findFirst().orElseThrow();
            Map<String, float[]> resized = new LinkedHashMap<>(own);
            resized.put(last, new float[4]);
            assertEquals("its weight `" + last + "` has 4 values, the model's has 3", CheckpointFit.problem(run.model, checkpoint(resized)));

            Map<String, float[]> extra = new LinkedHashMap<>(own);
            extra.put("conv_1/kernel", new float[27]);
            assertEquals("it holds a weight `conv_1/kernel` that the model does not have", CheckpointFit.problem(run.model, checkpoint(extra)));

            assertEquals("it has no weight `" + first + "` (it holds none)", CheckpointFit.problem(run.model, checkpoint(Map.of())));
            IOException e = assertThrows(IOException.class, () -> CheckpointFit.require(run.model, checkpoint(extra), Path.of("runs", "r", "best.npz")));
            assertTrue(e.getMessage().contains("best.npz` does not fit model `M`: it holds a weight `conv_1/kernel`"), e.getMessage());
        }
    }
}
