package io.github.dl4jcosine.examples;

import io.github.dl4jcosine.finder.LearningRateFinder;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.File;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The range test's curve as a PNG: the learning rate on a log axis, the raw loss of every update (thin, light), the
 * smoothed loss (bold), and each suggestion as a vertical line at its rate, its value in the legend. The loss axis
 * ends a little above the highest smoothed loss before the one that stopped the sweep, so the last updates of a sweep
 * that blew up do not flatten the rest (they are drawn at the top edge).
 */
final class RangeTestChart {

    private static final float[] DASHED = {9, 5};
    private static final float[] DOTTED = {2, 4};
    private static final float[] DASH_DOT = {12, 4, 2, 4};

    private RangeTestChart() {
    }

    /** Writes the chart of {@code r} to {@code file} (".png" is added unless it ends with it). */
    static File write(File file, String title, LearningRateFinder.Result r) throws IOException {
        double[] rates = r.learningRates();
        double[] losses = r.losses();
        double[] smoothed = r.smoothedLosses();
        XYChart chart = new XYChartBuilder().width(900).height(500).title(title)
                .xAxisTitle("learning rate (log scale)").yAxisTitle("loss").build();
        Styler styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setLegendBorderColor(Color.WHITE);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setXAxisDecimalPattern("0.#E0");

        double[][] raw = finite(rates, losses);
        double[][] smooth = finite(rates, smoothed);
        if (smooth[0].length == 0) {
            // nothing finite to draw (a loss that is NaN from the first update): an empty chart that says so
            smooth = new double[][] {{rates.length > 0 ? rates[0] : 1}, {0}};
            chart.setTitle(title + " (no finite loss)");
        }
        // the top: the highest smoothed loss before the one that stopped the sweep (that one can be far above)
        int shown = r.stoppedEarly() && smooth[1].length > 2 ? smooth[1].length - 1 : smooth[1].length;
        double top = max(Arrays.copyOf(smooth[1], shown));
        double bottom = Math.min(min(smooth[1]), min(raw[1]));
        double yMax = top + 0.15 * Math.max(top - bottom, Math.abs(top) * 1e-3 + 1e-12);
        double yMin = bottom - 0.05 * (yMax - bottom);
        if (bottom >= 0 && yMin < 0) {
            yMin = 0;
        }
        chart.getStyler().setYAxisMax(yMax);
        chart.getStyler().setYAxisMin(yMin);
        chart.getStyler().setYAxisDecimalPattern(Charts.decimalPattern(Math.max(Math.abs(yMax), Math.abs(yMin))));

        if (raw[0].length > 0) {
            XYSeries rawSeries = chart.addSeries("loss", raw[0], clip(raw[1], yMin, yMax));
            rawSeries.setLineColor(new Color(150, 150, 150));
            rawSeries.setLineStyle(new BasicStroke(1f));
            rawSeries.setMarker(SeriesMarkers.NONE);
        }
        XYSeries smoothSeries = chart.addSeries("smoothed loss", smooth[0], clip(smooth[1], yMin, yMax));
        smoothSeries.setLineColor(Charts.COLORS[0]);
        smoothSeries.setLineStyle(new BasicStroke(2.5f));
        smoothSeries.setMarker(SeriesMarkers.NONE);

        float[][] dashes = {DASHED, DOTTED, DASH_DOT};
        LearningRateFinder.Suggestion[] kinds = LearningRateFinder.Suggestion.values();
        for (int i = 0; i < kinds.length; i++) {
            OptionalDouble v = r.suggestion(kinds[i]);
            if (v.isPresent()) {
                XYSeries line = chart.addSeries(label(kinds[i], v.getAsDouble()),
                        new double[] {v.getAsDouble(), v.getAsDouble()}, new double[] {yMin, yMax});
                line.setLineColor(Charts.COLORS[i + 1]);
                line.setLineStyle(Charts.stroke(dashes[i]));
                line.setMarker(SeriesMarkers.NONE);
            }
        }
        String path = file.getPath();
        String base = path.endsWith(".png") ? path.substring(0, path.length() - 4) : path;
        BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
        return new File(base + ".png");
    }

    /** "STEEPEST 3.2e-02", as the legend shows it. */
    static String label(LearningRateFinder.Suggestion kind, double rate) {
        return String.format(Locale.ROOT, "%s %.2g", kind, rate);
    }

    private static double[][] finite(double[] x, double[] y) {
        double[] fx = new double[x.length];
        double[] fy = new double[x.length];
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(y[i])) {
                fx[n] = x[i];
                fy[n++] = y[i];
            }
        }
        return new double[][] {Arrays.copyOf(fx, n), Arrays.copyOf(fy, n)};
    }

    /** Values above the axis drawn at its top edge (XChart would otherwise draw lines past the plot area). */
    private static double[] clip(double[] y, double min, double max) {
        double[] out = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = Math.max(min, Math.min(max, y[i]));
        }
        return out;
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            m = Math.max(m, x);
        }
        return m;
    }

    private static double min(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double x : v) {
            m = Math.min(m, x);
        }
        return m;
    }
}
