package dev.dlx.aot.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The built JAR's prediction CSV, column for column as `dlxc predict` writes it. */
class PredictionFormatTest {

    private static String csv(String manifest, float[]... rows) throws Exception {
        StringWriter w = new StringWriter();
        PredictionFormat.write(ModelManifest.parse(manifest), rows, w);
        return w.toString();
    }

    @Test
    void binaryProbabilityColumnNamesTheSecondClass() throws Exception {
        String m = "{\"format\": \"dlx-model 2\", \"task\": \"binary\", \"logits\": false, \"class_names\": [\"no\", \"yes\"],"
            + " \"output\": {\"shape\": [1]}}";
        assertEquals("class,p_yes\nyes,0.900000\nno,0.100000\n", csv(m, new float[] {0.9f}, new float[] {0.1f}));
    }
}
