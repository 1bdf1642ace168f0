package dev.dlx.runtime.run;

import dev.dlx.runtime.train.EpochRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.Summary;

/**
 * TensorFlow event files in a run folder, so that `tensorboard --logdir runs` shows dlx runs beside
 * others: `events.out.tfevents.TIME.dlx`, a TFRecord stream of `Event` protos (the file version,
 * the training graph, then every epoch's scalars under the names of metrics.csv, step = epoch).
 * Each record is the data's length (uint64, little-endian), its masked CRC-32C, the data and its
 * masked CRC-32C. A resumed run writes a new file; TensorBoard reads every file of the folder.
 */
final class EventLog {
    /** The prefix TensorBoard looks for. */
    static final String PREFIX = "events.out.tfevents.";

    private final Path file;

    private EventLog(Path file) { this.file = file; }

    /** A new event file in {@code dir}, holding the file version and {@code graph}. */
    static EventLog create(Path dir, GraphDef graph) throws IOException {
        long now = System.currentTimeMillis();
        Path file = dir.resolve(PREFIX + (now / 1000) + "." + (now % 1000) + ".dlx");
        EventLog log = new EventLog(file);
        log.append(Event.newBuilder().setWallTime(now / 1000.0).setFileVersion("brain.Event:2").build());
        log.append(Event.newBuilder().setWallTime(now / 1000.0).setGraphDef(graph.toByteString()).build());
        return log;
    }

    Path file() { return file; }

    /** The epoch's learning rate, training and validation numbers as scalars at step {@code epoch}. */
    void epoch(EpochRecord r) throws IOException {
        Summary.Builder s = Summary.newBuilder();
        s.addValue(Summary.Value.newBuilder().setTag("lr").setSimpleValue((float) r.lr()));
        r.train().forEach((k, v) -> { if (v != null && Double.isFinite(v)) s.addValue(Summary.Value.newBuilder().setTag(k).setSimpleValue(v.floatValue())); });
        r.val().forEach((k, v) -> { if (v != null && Double.isFinite(v)) s.addValue(Summary.Value.newBuilder().setTag("val_" + k).setSimpleValue(v.floatValue())); });
        append(Event.newBuilder().setWallTime(System.currentTimeMillis() / 1000.0).setStep(r.epoch()).setSummary(s).build());
    }

    private void append(Event e) throws IOException {
        byte[] data = e.toByteArray();
        ByteBuffer head = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(data.length);
        byte[] length = java.util.Arrays.copyOf(head.array(), 8);
        head.putInt(masked(length));
        ByteBuffer tail = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(masked(data));
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            out.write(head.array());
            out.write(data);
            out.write(tail.array());
        }
    }

    /** TFRecord's masked CRC-32C: rotated right by 15 bits, plus a constant. */
    static int masked(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + 0xa282ead8;
    }
}
