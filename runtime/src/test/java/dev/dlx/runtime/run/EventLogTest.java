package dev.dlx.runtime.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.runtime.train.Fixtures;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.Summary;

/** The event file of a run, read back as TensorBoard reads it: checksummed records of Event protos. */
class EventLogTest {
    @TempDir Path dir;

    /** Every record of a TFRecord file, its two masked CRC-32Cs checked. */
    static List<byte[]> records(Path file) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> out = new ArrayList<>();
        while (b.hasRemaining()) {
            byte[] length = new byte[8];
            b.get(length);
            assertEquals(EventLog.masked(length), b.getInt(), "the length's checksum");
            byte[] data = new byte[(int) ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).getLong()];
            b.get(data);
            assertEquals(EventLog.masked(data), b.getInt(), "the data's checksum");
            out.add(data);
        }
        return out;
    }

    @Test
    void theChecksumIsTfRecordsMaskedCrc32c() {
        // CRC-32C of "123456789" is 0xE3069283 (the Castagnoli check value); masked: rotated right 15, plus 0xA282EAD8
        assertEquals(0xC78AB0E5, EventLog.masked("123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    @Test
    void aRunWritesItsGraphAndEveryEpochsScalars() throws Exception {
        Files.writeString(dir.resolve("main.dlx"), """
            dataset digits {
                source csv "%s" { features 0..63, label 64 }
                features scale 1/16
                labels classes 10 onehot
                split train 70%%, val 15%%, test 15%% shuffle seed 42
            }
            model Net(x [64]) -> [10] {
                dense 16 -> relu
                dense 10 -> softmax
            }
            train Net on digits {
                loss categorical_crossentropy
                optimizer adam lr 1e-2
                epochs 3
            }
            """.formatted(RunnerTest.digitsCsv()));
        Fixtures.Output out = new Fixtures.Output();
        Runner r = new Runner(out.outWriter, out.errWriter, out.bar, null);
        assertEquals(Runner.OK, r.run(dir.resolve("main.dlx"), RunOptions.defaults().withRuns(dir.resolve("runs")).withProgress(ConsoleListener.Mode.PLAIN)
            .withSeed(1L)), out.toString());
        Path run = r.results().get(0).folder();
        Path file;
        try (Stream<Path> s = Files.list(run)) {
            file = s.filter(p -> p.getFileName().toString().startsWith(EventLog.PREFIX)).findFirst().orElseThrow();
        }
        List<byte[]> records = records(file);
        assertEquals(2 + 3, records.size(), "the version, the graph, three epochs");
        assertEquals("brain.Event:2", Event.parseFrom(records.get(0)).getFileVersion());
        GraphDef graph = GraphDef.parseFrom(Event.parseFrom(records.get(1)).getGraphDef());
        assertTrue(graph.getNodeList().stream().anyMatch(n -> n.getName().startsWith("dense_1")), "the model's layers are in the graph");
        Map<String, List<Double>> metrics = RunFolder.open(run).readMetrics();
        for (int epoch = 1; epoch <= 3; epoch++) {
            Event e = Event.parseFrom(records.get(1 + epoch));
            assertEquals(epoch, e.getStep());
            Map<String, Float> scalars = new HashMap<>();
            for (Summary.Value v : e.getSummary().getValueList()) scalars.put(v.getTag(), v.getSimpleValue());
            for (String column : List.of("loss", "accuracy", "val_loss", "val_accuracy")) {
                // metrics.csv keeps 6 significant digits
                assertEquals(metrics.get(column).get(epoch - 1), scalars.get(column), 1e-5 * Math.max(1, Math.abs(scalars.get(column))), column);
            }
        }
    }
}
