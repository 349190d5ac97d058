package io.github.dl4jcosine.examples;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.File;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Line charts written as PNG files (XChart; headless). Tick labels always have a leading zero ({@code 0.05}, not
 * XChart's default {@code .05}); several series differ in colour and in dash pattern, and with few points also in
 * marker, so they stay apart in grey-scale and where they overlap; the legend sits outside the plot area.
 */
final class Charts {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** Colour-blind-safe palette (Okabe & Ito, 2008), ordered so that neighbours differ most. */
    static final Color[] COLORS = {new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115),
        Color.BLACK, new Color(204, 121, 167), new Color(230, 159, 0), new Color(86, 180, 233)};
    /** Dash patterns (on, off, ... in pixels); null is a solid line. */
    private static final float[][] DASHES = {null, {9, 5}, {2, 4}, {12, 4, 2, 4}, {4, 4}, {16, 4, 2, 4, 2, 4}};
    private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND,
        SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS, SeriesMarkers.PLUS};
    /** Series with at most this many points get markers (epochs, not iterations). */
    private static final int MARKER_POINTS = 60;

    private Charts() {
    }

    /** A chart of one or more named series, each {x[], y[]}, saved to {@code file} (".png" is added by XChart). */
    static File line(File file, String title, String xTitle, String yTitle, Map<String, double[][]> series)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
                .build();
        Styler styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        styler.setLegendVisible(series.size() > 1);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setLegendBorderColor(Color.WHITE);
        double maxX = 0;
        double maxY = 0;
        for (double[][] xy : series.values()) {
            maxX = Math.max(maxX, maxAbs(xy[0]));
            maxY = Math.max(maxY, maxAbs(xy[1]));
        }
        chart.getStyler().setXAxisDecimalPattern(decimalPattern(maxX));
        chart.getStyler().setYAxisDecimalPattern(decimalPattern(maxY));
        int i = 0;
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            XYSeries s = chart.addSeries(e.getKey(), e.getValue()[0], e.getValue()[1]);
            s.setLineColor(COLORS[i % COLORS.length]);
            s.setLineStyle(stroke(series.size() > 1 ? DASHES[i % DASHES.length] : null));
            if (series.size() > 1 && e.getValue()[0].length <= MARKER_POINTS) {
                s.setMarker(MARKERS[i % MARKERS.length]);
                s.setMarkerColor(COLORS[i % COLORS.length]);
            } else {
                s.setMarker(SeriesMarkers.NONE);
            }
            i++;
        }
        String path = file.getPath();
        String base = path.endsWith(".png") ? path.substring(0, path.length() - 4) : path;
        BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
        return new File(base + ".png");
    }

    /** One series. */
    static File line(File file, String title, String xTitle, String yTitle, String name, double[] x, double[] y)
            throws IOException {
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put(name, new double[][] {x, y});
        return line(file, title, xTitle, yTitle, series);
    }

    /**
     * A {@link java.text.DecimalFormat} pattern for tick labels up to {@code maxAbs}: always a leading digit
     * ({@code 0.05}), enough decimals for ticks about a tenth of the range apart, scientific below 1e-4.
     */
    static String decimalPattern(double maxAbs) {
        if (!(maxAbs > 0) || maxAbs >= 10) {
            return "#,##0.##";
        }
        if (maxAbs < 1e-4) {
            return "0.0#E0";
        }
        int decimals = Math.max(1, (int) Math.ceil(-Math.log10(maxAbs / 10)) + 1);
        return "0." + "0" + "#".repeat(decimals - 1);
    }

    private static double maxAbs(double[] values) {
        double m = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                m = Math.max(m, Math.abs(v));
            }
        }
        return m;
    }

    /** A 2 px line with the dash pattern {@code dashes} (null: solid). */
    static BasicStroke stroke(float[] dashes) {
        return new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dashes, 0f);
    }
}
