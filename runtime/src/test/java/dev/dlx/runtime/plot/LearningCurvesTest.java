package dev.dlx.runtime.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;

/** The learning-curve PNG: a panel per quantity, the legend outside the plot area. */
class LearningCurvesTest {

    @Test
    void theLegendSitsOutsideThePlotArea() {
        XYChart accuracy = LearningCurves.panel("M: accuracy", "accuracy", new double[] {1, 2, 3},
            List.of(0.5, 0.9, 1.0), List.of(0.6, 0.8, 0.95));
        assertEquals(Styler.LegendPosition.OutsideS, accuracy.getStyler().getLegendPosition(),
            "inside the top right corner the legend hides a rising accuracy");
        assertEquals(2, accuracy.getSeriesMap().size());
    }

    @Test
    void writesOnePanelPerQuantityInTwoColumns(@TempDir Path dir) throws Exception {
        Map<String, List<Double>> columns = new LinkedHashMap<>();
        columns.put("loss", List.of(0.9, 0.5, 0.3));
        columns.put("accuracy", List.of(0.5, 0.9, 1.0));
        columns.put("val_loss", List.of(1.0, 0.6, 0.4));
        columns.put("val_accuracy", List.of(0.6, 0.8, 0.95));
        columns.put("mae", List.of(0.3, 0.2, 0.1));
        Path png = dir.resolve("curves.png");
        LearningCurves.write(png, "M", List.of(1, 2, 3), columns);
        BufferedImage img = ImageIO.read(Files.newInputStream(png));
        assertEquals(2 * 560, img.getWidth(), "two panels a row");
        assertEquals(2 * 380, img.getHeight(), "three panels: two rows");
        assertTrue((img.getRGB(560 + 280, 380 + 190) & 0xFFFFFF) == 0xFFFFFF, "the missing fourth panel is white");
    }
}
