package io.github.dl4jcosine.examples;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.File;
import java.io.IOException;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Line charts written as PNG files (XChart; headless). Tick labels always have a leading zero ({@code 0.05}, not
 * XChart's default {@code .05}); several series differ in colour and in dash pattern, and with few points also in
 * marker, so they stay apart in grey-scale and where they overlap; the legend sits outside the plot area.
 * Ticks fall on round values; an x axis titled {@code epoch...} or {@code iteration...} counts whole things and has
 * whole-number ticks; a y range of values {@code >= 0} that comes within 5% of its top to 0 is drawn from 0, and
 * the tick at 0 reads {@code 0}.
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
        XYChart chart = chart(title, xTitle, yTitle, series);
        String path = file.getPath();
        String base = path.endsWith(".png") ? path.substring(0, path.length() - 4) : path;
        BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
        return new File(base + ".png");
    }

    /** The chart {@link #line} saves. */
    static XYChart chart(String title, String xTitle, String yTitle, Map<String, double[][]> series) {
        XYChart chart = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
                .build();
        XYStyler styler = chart.getStyler();
        styler.setLocale(Locale.ROOT);   // 0.05 on every machine, as in the CSV files
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
        double[] xRange = range(series, 0);
        double[] yRange = range(series, 1);
        boolean counts = xTitle.startsWith("epoch") || xTitle.startsWith("iteration");
        styler.setXAxisDecimalPattern(counts && xRange[1] - xRange[0] >= 1 ? "#,##0" : decimalPattern(maxX));
        DecimalFormat yFormat = new DecimalFormat(decimalPattern(maxY), DecimalFormatSymbols.getInstance(styler.getLocale()));
        double zero = maxY * 1e-9;   // a tick this close to 0 is 0 (tick values are sums of decimal steps)
        chart.setCustomYAxisTickLabelsFormatter(y -> Math.abs(y) <= zero ? "0" : yFormat.format(y));
        if (yRange[0] >= 0 && yRange[0] <= 0.05 * yRange[1]) {
            styler.setYAxisMin(0.0);
            yRange[0] = 0;
        }
        roundTicks(chart, xRange, yRange);
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
        return chart;
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

    /** Name of the series {@link #roundTicks} adds; not a name a caller's series would have. */
    private static final String TICK_SERIES = "\u0000round ticks";

    /**
     * XChart 3.8.8 puts the ticks of an axis at the data's own values, every k-th one, when the values, in the
     * order the series hold them, step by the same amount within 1e-4 (see its {@code AxisTickCalculator_}):
     * dense series qualify, and their labels then read 0.099, 0.098, 0.094, ... with the bottom one at the data's
     * minimum (5.069e-10 on a cosine preview). A first, invisible series from (max x, max y) to (min x, min y)
     * makes the first step the whole range, so the values no longer step evenly and ticks fall on round values.
     */
    private static void roundTicks(XYChart chart, double[] xRange, double[] yRange) {
        if (!(xRange[0] <= xRange[1] && yRange[0] <= yRange[1])) {
            return;   // no finite data
        }
        XYSeries ticks = chart.addSeries(TICK_SERIES, new double[] {xRange[1], xRange[0]},
                new double[] {yRange[1], yRange[0]});
        ticks.setLineStyle(SeriesLines.NONE);
        ticks.setMarker(SeriesMarkers.NONE);
        ticks.setShowInLegend(false);
    }

    /** {min, max} of the finite values of coordinate {@code axis} (0: x, 1: y) over all series; {+inf, -inf} if none. */
    private static double[] range(Map<String, double[][]> series, int axis) {
        double[] r = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double[][] xy : series.values()) {
            for (double v : xy[axis]) {
                if (Double.isFinite(v)) {
                    r[0] = Math.min(r[0], v);
                    r[1] = Math.max(r[1], v);
                }
            }
        }
        return r;
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
