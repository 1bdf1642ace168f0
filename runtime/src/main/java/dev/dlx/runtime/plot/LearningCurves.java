package dev.dlx.runtime.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The learning curves of a run as one PNG: a panel per quantity (the loss first, then each metric),
 * each with the training curve and, when there is validation data, the validation curve, over
 * epochs. Drawn with XChart, headless.
 */
public final class LearningCurves {
    private LearningCurves() {}

    private static final Color TRAIN = new Color(31, 119, 180);
    private static final Color VAL = new Color(255, 127, 14);

    /**
     * @param epochs  the epoch numbers
     * @param columns values by column name (`loss`, `accuracy`, `val_loss`, ...), one per epoch (NaN: missing)
     */
    public static void write(Path file, String title, List<Integer> epochs, Map<String, List<Double>> columns) throws IOException {
        if (epochs.isEmpty()) return;
        System.setProperty("java.awt.headless", "true");
        Map<String, String[]> panels = new LinkedHashMap<>();
        for (String name : columns.keySet()) {
            if (name.startsWith("val_") || name.equals("lr") || name.equals("epoch")) continue;
            panels.put(name, new String[] {name, columns.containsKey("val_" + name) ? "val_" + name : null});
        }
        List<XYChart> charts = new ArrayList<>();
        double[] x = epochs.stream().mapToDouble(Integer::doubleValue).toArray();
        for (Map.Entry<String, String[]> p : panels.entrySet()) {
            String[] names = p.getValue();
            charts.add(panel(title + ": " + p.getKey(), p.getKey(), x, columns.get(names[0]), names[1] == null ? null : columns.get(names[1])));
        }
        if (charts.isEmpty()) return;
        // panels in a grid of 2 columns (XChart's own grid needs it full), white where one is missing
        int cols = Math.min(2, charts.size()), rows = (charts.size() + cols - 1) / cols;
        int w = charts.get(0).getWidth(), h = charts.get(0).getHeight();
        BufferedImage grid = new BufferedImage(cols * w, rows * h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
        for (int i = 0; i < charts.size(); i++) g.drawImage(BitmapEncoder.getBufferedImage(charts.get(i)), (i % cols) * w, (i / cols) * h, null);
        g.dispose();
        png(file, grid);
    }

    /**
     * Several runs' curves of one quantity in one panel (`dlxc runs compare`): one series per run,
     * by its label, over its own epochs.
     *
     * @param runs label -> (epochs, values); a run without the quantity is left out
     */
    public static void overlay(Path file, String quantity, Map<String, Map.Entry<List<Integer>, List<Double>>> runs) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(800).height(480).title(quantity + " by epoch").xAxisTitle("epoch").yAxisTitle(quantity).build();
        style(chart, Styler.LegendLayout.Vertical);
        Color[] palette = {TRAIN, VAL, new Color(44, 160, 44), new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75),
            new Color(227, 119, 194), new Color(127, 127, 127)};
        int k = 0;
        for (Map.Entry<String, Map.Entry<List<Integer>, List<Double>>> r : runs.entrySet()) {
            double[] x = r.getValue().getKey().stream().mapToDouble(Integer::doubleValue).toArray();
            add(chart, r.getKey(), x, r.getValue().getValue(), palette[k++ % palette.length], x.length <= 40);
        }
        png(file, BitmapEncoder.getBufferedImage(chart));
    }

    /**
     * One panel: the training and validation curves of one quantity. The legend sits below the plot
     * area, in one row, so that it never covers a curve (inside the plot, a rising accuracy ends
     * under it in the top right corner).
     */
    static XYChart panel(String title, String quantity, double[] x, List<Double> train, List<Double> val) {
        XYChart chart = new XYChartBuilder().width(560).height(380).title(title).xAxisTitle("epoch").yAxisTitle(quantity).build();
        style(chart, Styler.LegendLayout.Horizontal);
        add(chart, "train", x, train, TRAIN, x.length <= 40);
        if (val != null) add(chart, "val", x, val, VAL, x.length <= 40);
        return chart;
    }

    /** Writes {@code img} to {@code file} whole or not at all. */
    static void png(Path file, BufferedImage img) throws IOException {
        // through a memory-cached stream: ImageIO's default file cache registers a shutdown hook on first
        // use, which fails ("Shutdown in progress") when the curves are drawn while the JVM is ending
        dev.dlx.runtime.train.AtomicWrite.write(file, out -> {
            try (ImageOutputStream image = new MemoryCacheImageOutputStream(out)) {
                ImageIO.write(img, "png", image);
            }
        });
    }

    /** White, light grid lines, whole epochs on the x axis, the legend below the plot area. */
    private static void style(XYChart chart, Styler.LegendLayout legend) {
        org.knowm.xchart.style.XYStyler s = chart.getStyler();
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(legend);
        s.setLegendBorderColor(Color.WHITE);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(225, 225, 225));
        s.setXAxisDecimalPattern("#");
    }

    private static void add(XYChart chart, String label, double[] x, List<Double> values, Color color, boolean markers) {
        if (values == null) return;
        List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
        for (int i = 0; i < x.length && i < values.size(); i++) {
            Double v = values.get(i);
            if (v == null || !Double.isFinite(v)) continue;
            xs.add(x[i]);
            ys.add(v);
        }
        if (xs.isEmpty()) return;
        XYSeries series = chart.addSeries(label, xs, ys);
        series.setLineColor(color);
        series.setMarkerColor(color);
        series.setLineStyle(new BasicStroke(2f));
        series.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    }
}
