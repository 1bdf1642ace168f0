package dev.dlx.compiler.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Images with boxes, read from an annotation file: COCO JSON (one file for a set of images) or
 * YOLO text (one `.txt` per image, `class cx cy w h` as fractions of the image, class names in
 * `classes.txt`). Every box is checked: the first {@link #SHOWN} bad ones are named with their
 * file and index, and any bad box makes the file unusable. The checker and the runtime's reader
 * both read through here, so they agree on what a good box is.
 *
 * @param images   the images in file order, each with its boxes as fractions of the image
 * @param classes  the class names, in class order (COCO: categories by ascending id)
 * @param problems what is wrong, at most {@link #SHOWN} lines; empty when the file is usable
 * @param more     how many further problems were not listed
 */
public record BoxAnnotations(List<Image> images, List<String> classes, List<String> problems, int more) {
    /** At most this many problems are listed. */
    public static final int SHOWN = 8;
    /** Files larger than this are refused (bounded input). */
    public static final long MAX_BYTES = 256L << 20;

    public BoxAnnotations {
        images = List.copyOf(images);
        classes = List.copyOf(classes);
        problems = List.copyOf(problems);
    }

    /** One image file and its boxes. */
    public record Image(Path file, List<Box> boxes) {
        public Image { boxes = List.copyOf(boxes); }
    }

    /** One box: class index and corners as fractions of the image's width and height, 0 <= x0 < x1 <= 1. */
    public record Box(int cls, double x0, double y0, double x1, double y1) {}

    public boolean ok() { return problems.isEmpty(); }

    /** The most boxes any one image has. */
    public int maxBoxes() {
        int m = 0;
        for (Image im : images) m = Math.max(m, im.boxes().size());
        return m;
    }

    /** Corners that stick out of the image by less than this (in pixels) are clipped, not refused: COCO files round this way. */
    private static final double SLACK = 1.0;

    private static final class Problems {
        final List<String> lines = new ArrayList<>();
        int more;

        void add(String line) {
            if (lines.size() < SHOWN) lines.add(line);
            else more++;
        }
    }

    // ------------------------------------------------------------------ COCO

    /**
     * A COCO annotation file: `images` ({@code id}, {@code file_name} relative to the JSON's folder,
     * {@code width}, {@code height}), `annotations` ({@code image_id}, {@code category_id},
     * {@code bbox} [x, y, width, height] in pixels) and `categories` ({@code id}, {@code name}).
     * Crowd annotations ({@code iscrowd} 1) are skipped. Throws IOException when the file cannot be read at all.
     */
    public static BoxAnnotations coco(Path json) throws IOException {
        Problems bad = new Problems();
        String name = display(json);
        if (Files.size(json) > MAX_BYTES) {
            return new BoxAnnotations(List.of(), List.of(), List.of("`" + name + "` is larger than " + (MAX_BYTES >> 20) + " MiB"), 0);
        }
        JsonElement root;
        try (Reader r = new InputStreamReader(DataFiles.open(json), StandardCharsets.UTF_8)) {
            root = JsonParser.parseReader(r);
        } catch (JsonParseException | IllegalStateException e) {
            String why = e.getMessage() == null ? "malformed" : e.getMessage().replaceFirst("^[\\w.]+Exception: ", "");
            return new BoxAnnotations(List.of(), List.of(), List.of("`" + name + "` is not valid JSON: " + why), 0);
        }
        if (!root.isJsonObject()) return fail(name + " is not a COCO annotation file: expected an object with `images`, `annotations` and `categories`");
        JsonObject o = root.getAsJsonObject();
        for (String key : List.of("images", "annotations", "categories")) {
            if (!o.has(key) || !o.get(key).isJsonArray()) return fail("`" + name + "` has no `" + key + "` list: a COCO file has `images`, `annotations` and `categories`");
        }
        // categories, in ascending id order
        Map<Long, String> byId = new java.util.TreeMap<>();
        JsonArray cats = o.getAsJsonArray("categories");
        for (int i = 0; i < cats.size(); i++) {
            String where = "`" + name + "`: category " + i;
            JsonObject c = object(cats.get(i));
            Long id = c == null ? null : whole(c.get("id"));
            String cname = c == null ? null : string(c.get("name"));
            if (id == null || cname == null) bad.add(where + " needs a whole-number `id` and a `name`");
            else if (byId.put(id, cname) != null) bad.add(where + " repeats id " + id);
        }
        if (byId.isEmpty() && bad.lines.isEmpty()) bad.add("`" + name + "` lists no categories");
        Map<Long, Integer> classOf = new HashMap<>();
        List<String> classes = new ArrayList<>();
        for (Map.Entry<Long, String> e : byId.entrySet()) {
            classOf.put(e.getKey(), classes.size());
            classes.add(e.getValue());
        }
        // images
        Map<Long, Integer> imageIndex = new HashMap<>();
        List<Path> files = new ArrayList<>();
        List<double[]> sizes = new ArrayList<>();
        JsonArray ims = o.getAsJsonArray("images");
        Path folder = json.toAbsolutePath().getParent();
        for (int i = 0; i < ims.size(); i++) {
            String where = "`" + name + "`: image " + i;
            JsonObject im = object(ims.get(i));
            Long id = im == null ? null : whole(im.get("id"));
            String file = im == null ? null : string(im.get("file_name"));
            Long w = im == null ? null : whole(im.get("width")), h = im == null ? null : whole(im.get("height"));
            if (id == null || file == null || w == null || h == null) {
                bad.add(where + " needs a whole-number `id`, a `file_name`, and whole-number `width` and `height`");
                continue;
            }
            if (w < 1 || h < 1) { bad.add(where + " (`" + file + "`) has width " + w + " and height " + h + ": both must be at least 1"); continue; }
            if (imageIndex.containsKey(id)) { bad.add(where + " repeats id " + id); continue; }
            imageIndex.put(id, files.size());
            files.add(folder.resolve(file).normalize());
            sizes.add(new double[] {w, h});
        }
        List<List<Box>> boxes = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) boxes.add(new ArrayList<>());
        JsonArray anns = o.getAsJsonArray("annotations");
        for (int i = 0; i < anns.size(); i++) {
            JsonObject a = object(anns.get(i));
            Long annId = a == null ? null : whole(a.get("id"));
            String where = "`" + name + "`: annotation " + i + (annId == null ? "" : " (id " + annId + ")");
            if (a == null) { bad.add(where + " is not an object"); continue; }
            Long crowd = whole(a.get("iscrowd"));
            if (crowd != null && crowd == 1) continue;
            Long imageId = whole(a.get("image_id")), catId = whole(a.get("category_id"));
            if (imageId == null || !imageIndex.containsKey(imageId)) { bad.add(where + " names image_id " + a.get("image_id") + ", which no image has"); continue; }
            if (catId == null || !classOf.containsKey(catId)) { bad.add(where + " names category_id " + a.get("category_id") + ", which no category has"); continue; }
            double[] bb = numbers(a.get("bbox"), 4);
            if (bb == null) { bad.add(where + ": `bbox` must be 4 finite numbers [x, y, width, height], found " + a.get("bbox")); continue; }
            int k = imageIndex.get(imageId);
            double[] size = sizes.get(k);
            Box box = checked(bb[0], bb[1], bb[0] + bb[2], bb[1] + bb[3], size[0], size[1], classOf.get(catId),
                where + " on `" + folder.relativize(files.get(k)) + "`", bad);
            if (box != null) boxes.get(k).add(box);
        }
        List<Image> images = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) images.add(new Image(files.get(i), boxes.get(i)));
        return new BoxAnnotations(images, classes, bad.lines, bad.more);
    }

    // ------------------------------------------------------------------ YOLO

    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    /**
     * A YOLO folder: images, each with a `.txt` of the same name holding one line per box,
     * `class cx cy w h` with the centre and size as fractions of the image (an image without its
     * `.txt` has no boxes), and `classes.txt` (one class name a line) in the folder or above it.
     */
    public static BoxAnnotations yolo(Path dir) throws IOException {
        Problems bad = new Problems();
        Path namesFile = Files.exists(dir.resolve("classes.txt")) ? dir.resolve("classes.txt")
            : dir.getParent() != null && Files.exists(dir.getParent().resolve("classes.txt")) ? dir.getParent().resolve("classes.txt") : null;
        if (namesFile == null) return fail("`" + display(dir) + "` has no `classes.txt` (one class name a line) in it or in the folder above");
        List<String> classes = Files.readAllLines(namesFile, StandardCharsets.UTF_8).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (classes.isEmpty()) return fail("`" + display(namesFile) + "` names no class");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile)
                .filter(p -> EXTENSIONS.stream().anyMatch(e -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(e)))
                .sorted().toList();
        }
        List<Image> images = new ArrayList<>();
        long bytes = 0;
        for (Path f : files) {
            String fn = f.getFileName().toString();
            Path txt = f.resolveSibling(fn.substring(0, fn.lastIndexOf('.')) + ".txt");
            List<Box> boxes = new ArrayList<>();
            if (Files.isRegularFile(txt)) {
                bytes += Files.size(txt);
                if (bytes > MAX_BYTES) return fail("the `.txt` files of `" + display(dir) + "` hold more than " + (MAX_BYTES >> 20) + " MiB");
                List<String> lines = Files.readAllLines(txt, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).trim();
                    if (line.isEmpty()) continue;
                    String where = "`" + display(txt) + "` line " + (i + 1);
                    String[] cells = line.split("\\s+");
                    double[] v = new double[5];
                    boolean numbers = cells.length == 5;
                    for (int c = 0; numbers && c < 5; c++) {
                        try {
                            v[c] = Double.parseDouble(cells[c]);
                            numbers = Double.isFinite(v[c]);
                        } catch (NumberFormatException e) {
                            numbers = false;
                        }
                    }
                    if (!numbers) { bad.add(where + ": expected `class cx cy w h` (5 numbers), found `" + line + "`"); continue; }
                    if (v[0] != Math.rint(v[0]) || v[0] < 0 || v[0] >= classes.size()) {
                        bad.add(where + ": class " + cells[0] + " is not one of the " + classes.size() + " classes of `" + display(namesFile) + "` (0.." + (classes.size() - 1) + ")");
                        continue;
                    }
                    Box box = checked(v[1] - v[3] / 2, v[2] - v[4] / 2, v[1] + v[3] / 2, v[2] + v[4] / 2, 1, 1, (int) v[0], where, bad);
                    if (box != null) boxes.add(box);
                }
            }
            images.add(new Image(f, boxes));
        }
        if (images.isEmpty() && bad.lines.isEmpty()) bad.add("`" + display(dir) + "` holds no images (PNG, JPEG, BMP and GIF files are read)");
        return new BoxAnnotations(images, classes, bad.lines, bad.more);
    }

    // ------------------------------------------------------------------ shared

    /** A box from corners in units of an image w x h: positive size, inside the image (up to {@link #SLACK} pixels, clipped). */
    private static Box checked(double x0, double y0, double x1, double y1, double w, double h, int cls, String where, Problems bad) {
        double slackX = w == 1 ? 1e-6 : SLACK, slackY = h == 1 ? 1e-6 : SLACK;
        String unit = w == 1 ? "" : " px";
        if (!(x1 > x0) || !(y1 > y0)) {
            bad.add(where + ": the box has width " + fmt(x1 - x0) + unit + " and height " + fmt(y1 - y0) + unit + "; both must be positive");
            return null;
        }
        if (x0 < -slackX || y0 < -slackY || x1 > w + slackX || y1 > h + slackY) {
            bad.add(where + ": the box (" + fmt(x0) + ", " + fmt(y0) + ") to (" + fmt(x1) + ", " + fmt(y1) + ") leaves the image "
                + (w == 1 ? "(0, 0) to (1, 1)" : "of " + fmt(w) + " x " + fmt(h) + " px"));
            return null;
        }
        return new Box(cls, Math.max(0, x0) / w, Math.max(0, y0) / h, Math.min(w, x1) / w, Math.min(h, y1) / h);
    }

    private static BoxAnnotations fail(String problem) {
        return new BoxAnnotations(List.of(), List.of(), List.of(problem), 0);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4g", v);
    }

    private static String display(Path p) {
        Path name = p.getFileName();
        Path parent = p.getParent();
        return name == null ? p.toString() : parent != null && parent.getFileName() != null ? parent.getFileName() + "/" + name : name.toString();
    }

    private static JsonObject object(JsonElement e) { return e != null && e.isJsonObject() ? e.getAsJsonObject() : null; }

    private static String string(JsonElement e) {
        return e instanceof JsonPrimitive p && p.isString() ? p.getAsString() : null;
    }

    private static Long whole(JsonElement e) {
        if (!(e instanceof JsonPrimitive p) || !p.isNumber()) return null;
        double d = p.getAsDouble();
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? (long) d : null;
    }

    private static double[] numbers(JsonElement e, int n) {
        if (e == null || !e.isJsonArray() || e.getAsJsonArray().size() != n) return null;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            JsonElement x = e.getAsJsonArray().get(i);
            if (!(x instanceof JsonPrimitive p) || !p.isNumber() || !Double.isFinite(p.getAsDouble())) return null;
            v[i] = p.getAsDouble();
        }
        return v;
    }
}
