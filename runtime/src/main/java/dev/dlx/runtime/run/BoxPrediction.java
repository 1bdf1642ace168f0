package dev.dlx.runtime.run;

import dev.dlx.compiler.data.BoxSource;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.BoxReader;
import dev.dlx.runtime.data.DataException;
import dev.dlx.runtime.data.FeatureProcessor;
import dev.dlx.runtime.data.Samples;
import dev.dlx.runtime.detect.Box;
import dev.dlx.runtime.detect.BoxPicture;
import dev.dlx.runtime.detect.Detections;
import dev.dlx.runtime.detect.NonMaxSuppression;
import dev.dlx.runtime.train.TrainGraph;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * `dlxc predict RUN IMAGES` for a `yolo` head: each image (a file, or every image of a folder) read
 * as in training, its boxes after non-max suppression printed as CSV (image, class, probability,
 * corners in pixels of the image file), and with {@code draw} each image written there as a PNG
 * with its boxes.
 */
final class BoxPrediction {
    private BoxPrediction() {}

    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");
    /** Drawn pictures are at least this many pixels wide. */
    private static final int DRAWN = 256;

    static int run(SavedRun r, Detections head, Path input, PrintWriter out, PrintWriter err, int threads, NonMaxSuppression nms, Path draw)
            throws DataException, IOException {
        if (!(r.dataset().source() instanceof BoxSource source)) {
            err.println("dlxc: model `" + r.model().name() + "` has a `yolo` head but was trained on `source " + r.dataset().source().kind() + "`");
            return Runner.ERRORS;
        }
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(input)) {
            try (Stream<Path> s = Files.list(input)) {
                s.filter(Files::isRegularFile).filter(p -> EXTENSIONS.stream().anyMatch(e -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(e)))
                    .sorted().forEach(files::add);
            }
            if (files.isEmpty()) {
                err.println("dlxc: `" + input + "` holds no images (PNG, JPEG, BMP and GIF files are read)");
                return Runner.ERRORS;
            }
        } else {
            files.add(input);
        }
        Samples samples = FeatureProcessor.apply(r.dataset().steps(), BoxReader.images(files, source), input);
        List<String> names = r.dataset().labels().names();
        if (draw != null) Files.createDirectories(draw);
        out.println("image,class,probability,x0,y0,x1,y1");
        int found = 0;
        try (TrainGraph g = r.graph(threads);
             BatchFeeder feed = new BatchFeeder(samples.all(), null, r.normalizer(), null, 128)) {
            for (int from = 0; from < samples.count(); from += 128) {
                int count = Math.min(128, samples.count() - from);
                g.evaluate(feed.batch(null, from, count, null));
                float[] p = g.predictions();
                for (int i = 0; i < count; i++) {
                    Path file = files.get(from + i);
                    BufferedImage image = ImageIO.read(file.toFile());
                    List<Box> boxes = head.detect(p, i * head.width(), nms);
                    found += boxes.size();
                    for (Box b : boxes) {
                        out.println(String.format(Locale.ROOT, "%s,%s,%.4f,%.1f,%.1f,%.1f,%.1f", file.getFileName(), csv(names.get(b.cls())), b.score(),
                            b.x0() * image.getWidth(), b.y0() * image.getHeight(), b.x1() * image.getWidth(), b.y1() * image.getHeight()));
                    }
                    if (draw != null) drawn(image, boxes, names, draw.resolve(stem(file) + ".png"));
                }
            }
        }
        out.flush();
        err.println(String.format(Locale.ROOT, "%,d boxes in %,d images (p >= %s, IoU >= %s suppressed)%s", found, files.size(),
            trim(nms.minScore()), trim(nms.maxIou()), draw == null ? "" : "; pictures in " + draw));
        err.flush();
        return Runner.OK;
    }

    private static void drawn(BufferedImage image, List<Box> boxes, List<String> names, Path file) throws IOException {
        int scale = Math.max(1, (DRAWN + image.getWidth() - 1) / image.getWidth());
        BufferedImage big = new BufferedImage(image.getWidth() * scale, image.getHeight() * scale, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = big.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.drawImage(image, 0, 0, big.getWidth(), big.getHeight(), null);
        BoxPicture.draw(g, boxes, names, 0, 0, big.getWidth(), big.getHeight(), true);
        g.dispose();
        ImageIO.write(big, "png", file.toFile());
    }

    private static String stem(Path f) {
        String n = f.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
