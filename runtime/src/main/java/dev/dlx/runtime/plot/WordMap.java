package dev.dlx.runtime.plot;

import dev.dlx.runtime.embed.Tsne;
import dev.dlx.runtime.embed.WordVectors;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A t-SNE map of word vectors as one PNG: the most frequent words (the vocabulary is in order of
 * frequency) placed by {@link Tsne} from their unit vectors (so that distance follows cosine
 * similarity), each a dot with its word beside it. Drawn with XChart, headless.
 */
public final class WordMap {
    private WordMap() {}

    /** The words placed, in vocabulary order, and their coordinates. */
    public record Placed(List<String> words, double[][] xy) {}

    /** Places the first {@code count} real words of {@code vectors} and draws them into {@code file}; returns what was placed. */
    public static Placed write(Path file, String title, WordVectors vectors, int count, double perplexity, long seed) throws IOException {
        List<String> words = new ArrayList<>();
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < vectors.size() && words.size() < count; i++) {
            if (!vectors.isWord(i)) continue;
            float[] v = vectors.vector(i);
            double n = 0;
            for (float x : v) n += x * x;
            n = Math.sqrt(Math.max(n, 1e-24));
            double[] u = new double[v.length];
            for (int k = 0; k < v.length; k++) u[k] = v[k] / n;
            words.add(vectors.words().get(i));
            points.add(u);
        }
        if (words.size() < 3) throw new IllegalArgumentException("a map needs at least 3 words, the vocabulary has " + words.size());
        double p = Math.min(perplexity, (words.size() - 1) / 3.0);
        double[][] xy = Tsne.embed(points.toArray(new double[0][]), p, Tsne.ITERATIONS, seed);
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(1400).height(1100).title(title).build();
        var s = chart.getStyler();
        s.setLegendVisible(false);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotGridLinesVisible(false);
        s.setAxisTicksVisible(false);
        s.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarkerSize(5);
        s.setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setAnnotationTextFontColor(new Color(40, 40, 40));
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        double[] x = new double[xy.length], y = new double[xy.length];
        double span = 0;
        for (int i = 0; i < xy.length; i++) {
            x[i] = xy[i][0];
            y[i] = xy[i][1];
        }
        for (double[] q : xy) span = Math.max(span, Math.abs(q[1]));
        XYSeries dots = chart.addSeries("words", x, y);
        dots.setMarker(SeriesMarkers.CIRCLE);
        dots.setMarkerColor(new Color(31, 119, 180));
        for (int i = 0; i < xy.length; i++) chart.addAnnotation(new AnnotationText(words.get(i), x[i], y[i] + span * 0.018, false));
        LearningCurves.png(file, BitmapEncoder.getBufferedImage(chart));
        return new Placed(List.copyOf(words), xy);
    }
}
