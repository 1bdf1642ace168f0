package dev.dlx.runtime.search;

import dev.dlx.compiler.schema.Value;
import dev.dlx.compiler.search.Hyperparam;
import dev.dlx.runtime.metrics.MetricText;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A search's results: the table of trials sorted by the objective (best first, the best marked
 * `*`; failed trials last), a PNG with the objective against each parameter (a panel per parameter,
 * a logarithmic axis for a loguniform one), and the link `best` to the best trial's run folder.
 */
public final class SearchReport {
    public static final String TABLE = "results.txt";
    public static final String PLOT = "objective.png";
    public static final String BEST = "best";

    private SearchReport() {}

    static String number(double v) { return Double.isNaN(v) ? "-" : MetricText.of(v); }

    /** The trials ranked, best first. */
    public static List<Trial> ranked(SearchState state) {
        List<Trial> out = new ArrayList<>(state.trials);
        out.sort((a, b) -> {
            boolean fa = a.status == Trial.Status.FAILED || Double.isNaN(a.objective());
            boolean fb = b.status == Trial.Status.FAILED || Double.isNaN(b.objective());
            if (fa != fb) return fa ? 1 : -1;
            if (fa) return Integer.compare(a.id, b.id);
            return state.better(a, b) ? -1 : state.better(b, a) ? 1 : 0;
        });
        return out;
    }

    public static String table(SearchState state) {
        List<String> names = state.spec.params().stream().map(Hyperparam::name).toList();
        List<String[]> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("", "trial"));
        header.addAll(names);
        header.addAll(List.of(state.spec.objective(), "epochs", "time", "status"));
        rows.add(header.toArray(String[]::new));
        Trial best = state.best();
        for (Trial t : ranked(state)) {
            List<String> r = new ArrayList<>(List.of(t == best ? "*" : "", t.name()));
            for (String n : names) r.add(Hyperparam.text(t.point.get(n)));
            r.add(number(t.objective()));
            r.add(String.valueOf(t.epochs));
            r.add(String.format(Locale.ROOT, "%.1f s", t.seconds));
            r.add(t.status.word() + (t.error == null ? "" : ": " + t.error));
            rows.add(r.toArray(String[]::new));
        }
        int[] width = new int[header.size()];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
        StringBuilder s = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                boolean last = i == r.length - 1;
                line.append(last ? r[i] : String.format("%-" + width[i] + "s  ", r[i]));
            }
            s.append(line.toString().stripTrailing()).append('\n');
        }
        if (best != null) {
            s.append("best: ").append(best.name()).append(" (").append(dev.dlx.compiler.search.SearchSpec.text(best.point)).append("), ")
                .append(state.spec.objective()).append(' ').append(number(best.objective()));
            if (best.run != null) s.append(", run folder ").append(best.run);
            s.append('\n');
        }
        return s.toString();
    }

    /** Writes results.txt, objective.png and the `best` link into the search folder. */
    public static void write(SearchState state, Path dir) throws IOException {
        dev.dlx.runtime.train.AtomicWrite.write(dir.resolve(TABLE), table(state));
        plot(state, dir.resolve(PLOT));
        Trial best = state.best();
        Path link = dir.resolve(BEST);
        if (Files.isSymbolicLink(link) || Files.isRegularFile(link)) Files.delete(link);
        if (best != null && best.run != null) {
            try {
                Files.createSymbolicLink(link, Path.of(best.run));
            } catch (IOException | UnsupportedOperationException e) {
                dev.dlx.runtime.train.AtomicWrite.write(link, best.run + "\n"); // where links cannot be made: the path as text
            }
        }
    }

    /** The objective against each parameter, a panel per parameter; failed trials are left out. */
    public static void plot(SearchState state, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<XYChart> charts = new ArrayList<>();
        Trial best = state.best();
        for (Hyperparam p : state.spec.params()) {
            XYChart chart = new XYChartBuilder().width(480).height(340).title(state.spec.objective() + " against " + p.name())
                .xAxisTitle(p.name() + (p.kind() == Hyperparam.Kind.CHOICE && !numeric(p) ? " (choice number)" : ""))
                .yAxisTitle(state.spec.objective()).build();
            chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            chart.getStyler().setLegendVisible(true);
            chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
            chart.getStyler().setChartBackgroundColor(Color.WHITE);
            chart.getStyler().setMarkerSize(9);
            if (p.kind() == Hyperparam.Kind.LOGUNIFORM) chart.getStyler().setXAxisLogarithmic(true);
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
            for (Trial t : state.trials) {
                if (t == best || Double.isNaN(t.objective())) continue;
                xs.add(x(p, t.point.get(p.name())));
                ys.add(t.objective());
            }
            if (!xs.isEmpty()) {
                XYSeries s = chart.addSeries("trials", xs, ys);
                s.setMarker(SeriesMarkers.CIRCLE);
                s.setMarkerColor(new Color(31, 119, 180));
            }
            if (best != null) {
                XYSeries s = chart.addSeries("best", List.of(x(p, best.point.get(p.name()))), List.of(best.objective()));
                s.setMarker(SeriesMarkers.DIAMOND);
                s.setMarkerColor(new Color(214, 39, 40));
            }
            if (xs.isEmpty() && best == null) continue;
            charts.add(chart);
        }
        if (charts.isEmpty()) return;
        int cols = Math.min(2, charts.size()), rows = (charts.size() + cols - 1) / cols;
        BufferedImage grid = new BufferedImage(cols * 480, rows * 340, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
        for (int i = 0; i < charts.size(); i++) g.drawImage(BitmapEncoder.getBufferedImage(charts.get(i)), (i % cols) * 480, (i / cols) * 340, null);
        g.dispose();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        ImageIO.write(grid, "png", tmp.toFile());
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean numeric(Hyperparam p) {
        return p.choices().stream().allMatch(c -> c instanceof Value.Num);
    }

    private static double x(Hyperparam p, Value v) {
        if (v instanceof Value.Num n) return n.value();
        for (int i = 0; i < p.choices().size(); i++) if (Hyperparam.text(p.choices().get(i)).equals(Hyperparam.text(v))) return i + 1;
        return 0;
    }
}
