package dev.dlx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `dlxc data` on the digits data: the report, its JSON form, the PNG grid and clean errors. */
class DataCommandTest {
    private static final Path REPO = Path.of(System.getProperty("dlx.repo", "..")).toAbsolutePath().normalize();

    record Run(int code, String out, String err) {
        @Override public String toString() { return "exit " + code + "\n--- out\n" + out + "--- err\n" + err; }
    }

    static Run dlxc(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    static String program(String steps) {
        return program(steps, "augment train {\n        rotate 15deg p 0.5\n        noise 1 gaussian p 0.5\n    }");
    }

    static String program(String steps, String augment) {
        return """
            dataset digits {
                source csv "%s" { features 0..63, label 64 }
                %s
                labels classes 10 onehot
                split train 70%%, val 15%%, test 15%% shuffle seed 42 stratify
                normalize featurewise
                %s
                batch 32
            }
            """.formatted(REPO.resolve("samples/data/digits.csv.gz"), steps, augment);
    }

    @Test
    void reportsSplitsClassesStatisticsAndDrawsAGrid(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("d.dlx");
        Files.writeString(file, program("features reshape [8, 8, 1]"));
        Path png = dir.resolve("out/grid.png");
        Run r = dlxc("data", file.toString(), "--grid", png.toString(), "--samples", "3", "--variants", "4");
        assertEquals(0, r.code(), r.toString());
        // stratified: val and test take 15% of each class, rounded; train the rest
        int[] perClass = new int[10];
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(
                new java.util.zip.GZIPInputStream(Files.newInputStream(REPO.resolve("samples/data/digits.csv.gz")))))) {
            in.lines().filter(l -> !l.isBlank()).forEach(l -> perClass[Integer.parseInt(l.substring(l.lastIndexOf(',') + 1).trim())]++);
        }
        int val = 0;
        for (int n : perClass) val += (int) Math.round(n * 0.15);
        assertTrue(r.out().contains("samples      1,797, each [8, 8, 1]"), r.out());
        assertTrue(r.out().contains(String.format("train %,d, val %d, test %d (stratified), seed 42", 1797 - 2 * val, val, val)), r.out());
        assertTrue(r.out().contains("40 per epoch of 32"), r.out());
        assertTrue(r.out().contains("all pixels"), r.out());
        BufferedImage img = ImageIO.read(png.toFile());
        // 3 rows of 88-pixel cells (8 pixels x 11) under a 20-pixel header; 5 columns
        assertEquals(20 + 3 * (88 + 4) + 4, img.getHeight());
        assertTrue(img.getWidth() > 5 * 88);

        Run json = dlxc("data", file.toString(), "--format", "json");
        assertEquals(0, json.code(), json.toString());
        JsonArray all = JsonParser.parseString(json.out()).getAsJsonArray();
        JsonObject d = all.get(0).getAsJsonObject();
        assertEquals(1797 - 2 * 269, d.getAsJsonObject("splits").getAsJsonObject("train").get("size").getAsInt());
        assertEquals(10, d.getAsJsonObject("splits").getAsJsonObject("train").getAsJsonArray("per_class").size());
        assertEquals(2, d.getAsJsonObject("augment").getAsJsonArray("train").size());
    }

    @Test
    void usageAndDataErrorsAreCleanMessages(@TempDir Path dir) throws Exception {
        Run missing = dlxc("data", dir.resolve("nope.dlx").toString());
        assertEquals(2, missing.code(), missing.toString());
        assertTrue(missing.err().contains("no such file"), missing.err());

        Path file = dir.resolve("d.dlx");
        Files.writeString(file, program("features scale 1/16", ""));
        Run name = dlxc("data", file.toString(), "--dataset", "other");
        assertEquals(1, name.code());
        assertTrue(name.err().contains("no dataset named `other`") && name.err().contains("`digits`"), name.err());

        Run vectors = dlxc("data", file.toString(), "--grid", dir.resolve("g.png").toString());
        assertEquals(1, vectors.code(), vectors.toString());
        assertTrue(vectors.err().contains("--grid draws images [H, W, C]") && vectors.err().contains("[64]"), vectors.err());

        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "1,2,0\n3,x,1\n");
        Files.writeString(file, "dataset b {\n    source csv \"bad.csv\" { features 0..1, label 2 }\n    labels classes 2 sparse\n}\n");
        Run bad = dlxc("data", file.toString());
        assertEquals(1, bad.code(), bad.toString());
        assertTrue(bad.err().contains("error[DLX0506]") && bad.err().contains("bad.csv:2"), bad.err());
        assertTrue(!bad.err().contains("Exception"), bad.err());

        assertEquals(2, dlxc("data", file.toString(), "--format", "xml").code());
    }
}
