package dev.dlx.runtime.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Saved weights (and optimizer state), as one NumPy `.npz` file: an uncompressed zip holding one
 * `.npy` array per tensor (float32, little-endian, C order; `np.load("best.npz")["dense_1/kernel"]`
 * reads it) and `manifest.json` (format, model, epoch, every tensor's name and shape, the
 * optimizer's kind, learning rate and accumulators, and free-form metadata). A checkpoint is
 * written to a temporary file in the same folder and then moved over the old one, so a failed or
 * interrupted run never leaves a half-written or overwritten checkpoint behind. A copy of the
 * manifest is written next to it as `NAME.json` for people.
 *
 * @param weights   model weights by name (`layer/param`), in model order
 * @param shapes    the shape of every tensor of {@code weights} and {@code optimizer}
 * @param optimizer accumulators by name (`adam/m/dense_1/kernel`, ...), possibly empty
 * @param meta      epoch, learning rate, optimizer kind, metrics, schedule state
 */
public record Checkpoint(Map<String, float[]> weights, Map<String, long[]> shapes, Map<String, float[]> optimizer, JsonObject meta) {
    public static final String FORMAT = "dlx-checkpoint 1";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    public int epoch() { return meta.has("epoch") ? meta.get("epoch").getAsInt() : 0; }

    /** Writes {@code file} (`.npz`) and its manifest copy atomically. */
    public void write(Path file) throws IOException {
        JsonObject manifest = manifest();
        AtomicWrite.write(file, raw -> {
            ZipOutputStream zip = new ZipOutputStream(raw);
            zip.setMethod(ZipOutputStream.STORED);
            entry(zip, "manifest.json", GSON.toJson(manifest).getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, float[]> e : weights.entrySet()) entry(zip, e.getKey() + ".npy", npy(e.getValue(), shapes.get(e.getKey())));
            for (Map.Entry<String, float[]> e : optimizer.entrySet()) {
                entry(zip, "optimizer/" + e.getKey() + ".npy", npy(e.getValue(), shapes.get(e.getKey())));
            }
            zip.finish();
        });
        String name = file.getFileName().toString();
        Path json = file.resolveSibling((name.endsWith(".npz") ? name.substring(0, name.length() - 4) : name) + ".json");
        AtomicWrite.write(json, GSON.toJson(manifest) + "\n");
    }

    private JsonObject manifest() {
        JsonObject m = new JsonObject();
        m.addProperty("format", FORMAT);
        m.addProperty("layout", "one .npy per tensor: float32, little-endian, C order; optimizer state under optimizer/");
        for (Map.Entry<String, JsonElement> e : meta.entrySet()) m.add(e.getKey(), e.getValue());
        m.add("weights", list(weights));
        m.add("optimizer_state", list(optimizer));
        return m;
    }

    private JsonArray list(Map<String, float[]> tensors) {
        JsonArray a = new JsonArray();
        for (String name : tensors.keySet()) {
            JsonObject t = new JsonObject();
            t.addProperty("name", name);
            JsonArray shape = new JsonArray();
            for (long d : shapes.get(name)) shape.add(d);
            t.add("shape", shape);
            t.addProperty("dtype", "float32");
            a.add(t);
        }
        return a;
    }

    private static void entry(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    /** NumPy's format 1.0: magic, version, header length, a dict padded to 64 bytes, the data. */
    static byte[] npy(float[] values, long[] shape) {
        StringBuilder dims = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) dims.append(shape[i]).append(shape.length == 1 ? "," : i + 1 < shape.length ? ", " : "");
        dims.append(')');
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + dims + ", }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        b.asFloatBuffer().put(values);
        return b.array();
    }

    static float[] fromNpy(byte[] data, String name) throws IOException {
        if (data.length < 10 || (data[0] & 0xFF) != 0x93) throw new IOException("`" + name + "` is not a .npy array");
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int major = data[6];
        int headerLength = major == 1 ? (b.getShort(8) & 0xFFFF) : b.getInt(8);
        int start = (major == 1 ? 10 : 12) + headerLength;
        String header = new String(data, major == 1 ? 10 : 12, headerLength, StandardCharsets.US_ASCII);
        if (!header.contains("'<f4'")) throw new IOException("`" + name + "` is not float32 little-endian");
        float[] out = new float[(data.length - start) / 4];
        b.position(start);
        b.asFloatBuffer().get(out);
        return out;
    }

    /** Reads a checkpoint written by {@link #write}; a damaged file is an IOException that names it and says what is wrong. */
    public static Checkpoint read(Path file) throws IOException {
        try {
            return readZip(file);
        } catch (java.util.zip.ZipException e) {
            throw new IOException("`" + file + "` is damaged (truncated, or not a checkpoint: " + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            throw new IOException("`" + file + "` is damaged (its manifest.json is "
                + (e instanceof com.google.gson.JsonParseException ? "not valid JSON" : "incomplete or of the wrong form") + ")", e);
        }
    }

    /** Fails, naming the first weight, when {@code c} holds NaN or infinite values (a training that diverged before it was saved). */
    public static void requireFinite(Checkpoint c, Path file) throws IOException {
        for (Map.Entry<String, float[]> w : c.weights().entrySet()) {
            int bad = 0;
            for (float v : w.getValue()) if (!Float.isFinite(v)) bad++;
            if (bad > 0) {
                throw new IOException("`" + file + "` holds " + bad + " NaN or infinite value(s) in `" + w.getKey()
                    + "`: the training diverged before these weights were saved");
            }
        }
    }

    private static Checkpoint readZip(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry m = zip.getEntry("manifest.json");
            if (m == null) throw new IOException("`" + file + "` has no manifest.json: not a dlx checkpoint");
            JsonObject manifest;
            try (InputStream in = zip.getInputStream(m)) {
                manifest = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
            }
            Map<String, float[]> weights = new LinkedHashMap<>(), optimizer = new LinkedHashMap<>();
            Map<String, long[]> shapes = new LinkedHashMap<>();
            read(zip, manifest.getAsJsonArray("weights"), "", weights, shapes, file);
            if (manifest.has("optimizer_state")) read(zip, manifest.getAsJsonArray("optimizer_state"), "optimizer/", optimizer, shapes, file);
            JsonObject meta = new JsonObject();
            for (Map.Entry<String, JsonElement> e : manifest.entrySet()) {
                if (!e.getKey().equals("weights") && !e.getKey().equals("optimizer_state")) meta.add(e.getKey(), e.getValue());
            }
            return new Checkpoint(weights, shapes, optimizer, meta);
        }
    }

    private static void read(ZipFile zip, JsonArray list, String prefix, Map<String, float[]> into, Map<String, long[]> shapes, Path file)
            throws IOException {
        for (JsonElement el : list) {
            JsonObject t = el.getAsJsonObject();
            String name = t.get("name").getAsString();
            ZipEntry e = zip.getEntry(prefix + name + ".npy");
            if (e == null) throw new IOException("`" + file + "` lacks `" + prefix + name + ".npy`");
            byte[] data;
            try (InputStream in = zip.getInputStream(e)) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                in.transferTo(buf);
                data = buf.toByteArray();
            }
            JsonArray sh = t.getAsJsonArray("shape");
            long[] shape = new long[sh.size()];
            for (int i = 0; i < shape.length; i++) shape[i] = sh.get(i).getAsLong();
            float[] values = fromNpy(data, name);
            long n = 1;
            for (long d : shape) n *= d;
            if (n != values.length) throw new IOException("`" + name + "` in `" + file + "` holds " + values.length + " values for shape "
                + java.util.Arrays.toString(shape));
            into.put(name, values);
            shapes.put(name, shape);
        }
    }
}
