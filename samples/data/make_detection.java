// Makes a detection data set from MNIST: several handwritten digits of random size pasted on a
// larger black canvas, each with its tight bounding box and its digit as the class. Writes COCO
// JSON (train.json, test.json: images, annotations with bbox [x, y, width, height] in pixels,
// categories "0".."9" with ids 1..10), the PNGs (train/, test/), and the same boxes in YOLO form
// (one .txt per image beside its PNG: `class cx cy w h` as fractions of the canvas; classes.txt names
// the classes).
// Training images take their digits from MNIST's training set, test images from its test set.
//
//   java samples/data/make_detection.java MNIST_DIR OUT_DIR [--train N] [--test N] [--size S]
//        [--min D] [--max D] [--objects K] [--seed SEED]
//
// Needs only a JDK (17 or later); samples/data/make_detection.sh runs it with the sample's settings.

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;

public class make_detection {
    record Digits(byte[][] pixels, int[] labels, int rows, int cols) {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: java make_detection.java MNIST_DIR OUT_DIR [--train N] [--test N] [--size S] [--min D] [--max D] [--objects K] [--seed SEED]");
            System.exit(2);
        }
        Path mnist = Path.of(args[0]), out = Path.of(args[1]);
        int train = 2000, test = 400, size = 64, min = 16, max = 32, objects = 3;
        long seed = 17;
        for (int i = 2; i < args.length; i += 2) {
            if (i + 1 >= args.length) fail("`" + args[i] + "` needs a value");
            String v = args[i + 1];
            switch (args[i]) {
                case "--train" -> train = positive(args[i], v);
                case "--test" -> test = positive(args[i], v);
                case "--size" -> size = positive(args[i], v);
                case "--min" -> min = positive(args[i], v);
                case "--max" -> max = positive(args[i], v);
                case "--objects" -> objects = positive(args[i], v);
                case "--seed" -> seed = Long.parseLong(v);
                default -> fail("unknown option `" + args[i] + "`");
            }
        }
        if (min > max || max > size) fail("digit sizes need --min <= --max <= --size, found " + min + ", " + max + ", " + size);
        Random random = new Random(seed);
        write(read(mnist, "train"), out, "train", train, size, min, max, objects, random);
        write(read(mnist, "t10k"), out, "test", test, size, min, max, objects, random);
        StringBuilder names = new StringBuilder();
        for (int c = 0; c < 10; c++) names.append(c).append('\n');
        Files.writeString(out.resolve("classes.txt"), names.toString());   // the class names of the YOLO files
        Files.writeString(out.resolve(".gitignore"), "# made by samples/data/make_detection.java; not part of the repository\n*\n");
        System.err.println("wrote " + train + " training and " + test + " test images of " + size + "x" + size + " to " + out);
    }

    static int positive(String name, String v) {
        int n = Integer.parseInt(v);
        if (n < 1) fail(name + " must be at least 1, found " + n);
        return n;
    }

    static void fail(String message) {
        System.err.println("make_detection: " + message);
        System.exit(2);
    }

    static Digits read(Path dir, String prefix) throws IOException {
        Path images = dir.resolve(prefix + "-images-idx3-ubyte"), labels = dir.resolve(prefix + "-labels-idx1-ubyte");
        if (!Files.exists(images) || !Files.exists(labels)) fail("no MNIST in " + dir + " (samples/data/fetch.sh mnist installs it)");
        try (InputStream in = Files.newInputStream(images); DataInputStream d = new DataInputStream(new java.io.BufferedInputStream(in));
             DataInputStream l = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(labels)))) {
            if (d.readInt() != 0x803 || l.readInt() != 0x801) fail(dir + " does not hold MNIST IDX files");
            int n = d.readInt(), rows = d.readInt(), cols = d.readInt();
            if (l.readInt() != n) fail(images + " and " + labels + " hold different numbers of samples");
            byte[][] px = new byte[n][rows * cols];
            int[] y = new int[n];
            for (int i = 0; i < n; i++) { d.readFully(px[i]); y[i] = l.readUnsignedByte(); }
            return new Digits(px, y, rows, cols);
        }
    }

    record Placed(int x0, int y0, int x1, int y1, int digit) {}

    static void write(Digits digits, Path out, String split, int count, int size, int min, int max, int objects, Random random) throws IOException {
        Path folder = out.resolve(split);
        Files.createDirectories(folder);
        StringBuilder images = new StringBuilder(), annotations = new StringBuilder();
        int annotationId = 1;
        for (int i = 0; i < count; i++) {
            BufferedImage canvas = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
            List<int[]> squares = new ArrayList<>();
            List<Placed> placed = new ArrayList<>();
            int want = 1 + random.nextInt(objects);
            for (int tries = 0; placed.size() < want && tries < 100; tries++) {
                int s = min + random.nextInt(max - min + 1);
                int x = random.nextInt(size - s + 1), y = random.nextInt(size - s + 1);
                boolean clash = false;
                for (int[] q : squares) clash |= x < q[0] + q[2] && q[0] < x + s && y < q[1] + q[2] && q[1] < y + s;
                if (clash) continue;
                int k = random.nextInt(digits.labels().length);
                Placed p = paste(canvas, digits, k, x, y, s);
                if (p == null) continue;
                squares.add(new int[] {x, y, s});
                placed.add(p);
            }
            String name = String.format(Locale.ROOT, "%s/%05d.png", split, i);
            ImageIO.write(canvas, "png", out.resolve(name).toFile());
            StringBuilder yolo = new StringBuilder();
            if (i > 0) images.append(",\n");
            images.append(String.format(Locale.ROOT, "    {\"id\": %d, \"file_name\": \"%s\", \"width\": %d, \"height\": %d}", i + 1, name, size, size));
            for (Placed p : placed) {
                int w = p.x1() - p.x0(), h = p.y1() - p.y0();
                if (annotations.length() > 0) annotations.append(",\n");
                annotations.append(String.format(Locale.ROOT,
                    "    {\"id\": %d, \"image_id\": %d, \"category_id\": %d, \"bbox\": [%d, %d, %d, %d], \"area\": %d, \"iscrowd\": 0}",
                    annotationId++, i + 1, p.digit() + 1, p.x0(), p.y0(), w, h, w * h));
                yolo.append(String.format(Locale.ROOT, "%d %.6f %.6f %.6f %.6f%n", p.digit(),
                    (p.x0() + w / 2.0) / size, (p.y0() + h / 2.0) / size, w / (double) size, h / (double) size));
            }
            Files.writeString(out.resolve(name.replace(".png", ".txt")), yolo.toString());
        }
        StringBuilder categories = new StringBuilder();
        for (int c = 0; c < 10; c++) categories.append(c == 0 ? "" : ",\n").append(String.format(Locale.ROOT, "    {\"id\": %d, \"name\": \"%d\"}", c + 1, c));
        String json = "{\n  \"images\": [\n" + images + "\n  ],\n  \"annotations\": [\n" + annotations + "\n  ],\n  \"categories\": [\n" + categories + "\n  ]\n}\n";
        Files.writeString(out.resolve(split + ".json"), json, StandardCharsets.UTF_8);
    }

    /** Draws digit k scaled to s x s at (x, y) (brightest pixel wins) and returns its tight box, or null when it is empty. */
    static Placed paste(BufferedImage canvas, Digits digits, int k, int x, int y, int s) {
        BufferedImage digit = new BufferedImage(digits.cols(), digits.rows(), BufferedImage.TYPE_BYTE_GRAY);
        digit.getRaster().setDataElements(0, 0, digits.cols(), digits.rows(), digits.pixels()[k]);
        BufferedImage scaled = new BufferedImage(s, s, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = scaled.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(digit, 0, 0, s, s, null);
        g.dispose();
        int x0 = Integer.MAX_VALUE, y0 = Integer.MAX_VALUE, x1 = -1, y1 = -1;
        for (int r = 0; r < s; r++) {
            for (int c = 0; c < s; c++) {
                int v = scaled.getRaster().getSample(c, r, 0);
                if (v >= 64) { x0 = Math.min(x0, c); y0 = Math.min(y0, r); x1 = Math.max(x1, c + 1); y1 = Math.max(y1, r + 1); }
                int old = canvas.getRaster().getSample(x + c, y + r, 0);
                canvas.getRaster().setSample(x + c, y + r, 0, Math.max(old, v));
            }
        }
        if (x1 < 0) return null;
        return new Placed(x + x0, y + y0, x + x1, y + y1, digits.labels()[k]);
    }
}
