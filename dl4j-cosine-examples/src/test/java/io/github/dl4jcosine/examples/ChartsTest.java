package io.github.dl4jcosine.examples;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tick labels XChart draws on {@link Charts}' charts, read back after rendering (through XChart 3.8.8's internal
 * axis objects: the labels are drawn, not exposed): round values, whole-number epochs, and a bottom of 0 labelled 0.
 */
class ChartsTest {

    /**
     * A preview's shape: 3 epochs of 62 updates, warmup 0 -> 0.05 over the first epoch, cosine to 0 over the other
     * two, ending just above 0 (5e-10 here, as the cosine does at its last update). XChart 3.8.8 put the ticks at
     * every k-th data value of such dense data: labels 0.049, 0.047, 0.043, ..., the bottom one at the data's minimum.
     */
    @Test
    void densePreviewHasRoundTicksWholeEpochsAndZeroAtTheBottom() throws Exception {
        int n = 3 * 62;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i / 62.0;
            y[i] = x[i] < 1 ? 0.05 * x[i] : 0.025 * (1 + Math.cos(Math.PI * (x[i] - 1) / 2));
        }
        y[0] = 5e-10;   // the bottom: above 0 by a hair
        XYChart chart = render("epochs completed", Map.of("value", new double[][] {x, y}));

        assertEquals(List.of("0", "1", "2", "3"), visibleLabels(chart, true));
        List<String> yLabels = visibleLabels(chart, false);
        assertEquals("0", yLabels.get(0), yLabels::toString);
        assertEvenlySpacedRoundValues(yLabels);
        assertEquals(new BigDecimal("0.05"), new BigDecimal(yLabels.get(yLabels.size() - 1)), yLabels::toString);
    }

    /** Per-epoch series (test accuracy of epochs 1-3): labels 1, 2, 3, not 1.0, 2.0, 3.0; a y range far from 0 keeps its bottom. */
    @Test
    void perEpochChartHasWholeNumberTicks() throws Exception {
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("cosine", new double[][] {{1, 2, 3}, {0.52, 0.61, 0.66}});
        series.put("restarts", new double[][] {{1, 2, 3}, {0.48, 0.63, 0.64}});
        XYChart chart = render("epoch", series);

        assertEquals(List.of("1", "2", "3"), visibleLabels(chart, true));
        List<String> yLabels = visibleLabels(chart, false);
        assertEvenlySpacedRoundValues(yLabels);
        assertTrue(new BigDecimal(yLabels.get(0)).doubleValue() >= 0.4, yLabels::toString);
    }

    /** An axis that is not a count keeps fractional ticks. */
    @Test
    void otherAxesKeepFractionalTicks() throws Exception {
        XYChart chart = render("learning rate", Map.of("loss", new double[][] {{0, 0.5, 1, 1.5, 2}, {3, 2, 1.5, 1.2, 1}}));
        List<String> labels = visibleLabels(chart, true);
        assertTrue(labels.stream().anyMatch(l -> new BigDecimal(l).stripTrailingZeros().scale() > 0), labels::toString);
    }

    private static XYChart render(String xTitle, Map<String, double[][]> series) {
        XYChart chart = Charts.chart("title", xTitle, "value", series);
        BitmapEncoder.getBufferedImage(chart);   // lays out the axes: ticks are computed while painting
        return chart;
    }

    /** Tick labels inside the plot, bottom to top / left to right, as XChart drew them. */
    @SuppressWarnings("unchecked")
    private static List<String> visibleLabels(XYChart chart, boolean xAxis) throws Exception {
        Method axisPair = Class.forName("org.knowm.xchart.internal.chartpart.Chart").getDeclaredMethod("getAxisPair");
        axisPair.setAccessible(true);
        Object pair = axisPair.invoke(chart);
        Method getAxis = pair.getClass().getDeclaredMethod(xAxis ? "getXAxis" : "getYAxis");
        getAxis.setAccessible(true);
        Object axis = getAxis.invoke(pair);
        Object calculator = axis.getClass().getMethod("getAxisTickCalculator").invoke(axis);
        List<String> labels = (List<String>) calculator.getClass().getMethod("getTickLabels").invoke(calculator);
        List<Double> locations = (List<Double>) calculator.getClass().getMethod("getTickLocations").invoke(calculator);
        java.awt.geom.Rectangle2D bounds = (java.awt.geom.Rectangle2D) axis.getClass().getMethod("getBounds").invoke(axis);
        double length = xAxis ? bounds.getWidth() : bounds.getHeight();
        List<String> visible = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i) != null && locations.get(i) >= 0 && locations.get(i) <= length) {
                visible.add(labels.get(i));
            }
        }
        return visible;
    }

    /** Labels are plain decimals (no exponent) with one common step between neighbours. */
    private static void assertEvenlySpacedRoundValues(List<String> labels) {
        assertTrue(labels.size() >= 3, labels::toString);
        BigDecimal step = new BigDecimal(labels.get(1)).subtract(new BigDecimal(labels.get(0)));
        for (int i = 1; i < labels.size(); i++) {
            assertTrue(labels.get(i).matches("-?\\d+(\\.\\d+)?"), labels::toString);
            assertEquals(0, step.compareTo(new BigDecimal(labels.get(i)).subtract(new BigDecimal(labels.get(i - 1)))),
                    labels::toString);
        }
    }
}
