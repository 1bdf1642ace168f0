package dev.dlx.runtime.run;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.runtime.train.EpochRecord;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The epoch line of `dlxc run`. */
class ConsoleListenerTest {

    @Test
    void aDivergingEpochLineStaysShort() {
        StringWriter text = new StringWriter();
        ConsoleListener c = new ConsoleListener(new PrintWriter(text, true), null, ConsoleListener.Mode.PLAIN, "");
        Map<String, Double> train = new LinkedHashMap<>(), val = new LinkedHashMap<>();
        train.put("loss", 2826507376248503000000000000000.0);
        train.put("mae", 668857885217524.2);
        val.put("loss", 2257673184863578800000000000000000.0);
        c.epochEnd(new EpochRecord(1, 5, train, val, 0.9, 158), true, 3);
        String line = text.toString();
        assertTrue(line.contains("loss 2.8265e+30  mae 6.6886e+14  val_loss 2.2577e+33"), line);
        assertTrue(!line.matches("(?s).*[0-9]{12}.*"), line);
    }
}
