package io.github.dl4jcosine.examples;

import io.github.dl4jcosine.examples.data.ImageData;
import io.github.dl4jcosine.finder.LearningRateFinder;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * {@code --find-lr} and {@code --lr auto} of {@link TrainCifar10}: the learning-rate range test on the example's
 * network and training data, with the suggestions printed and the curve written as lr-finder.csv and lr-finder.png.
 */
final class RangeTest {

    private RangeTest() {
    }

    /**
     * Runs the range test ({@code steps} updates at most, rates 1e-7 to 10) on a fresh network built from
     * {@code conf}, prints the suggestions to {@code log} and writes {@code lr-finder.csv} and {@code lr-finder.png}
     * into {@code out}.
     */
    static LearningRateFinder.Result run(MultiLayerConfiguration conf, ImageData data, int steps, File out,
                                         PrintStream log) throws IOException {
        if (!out.isDirectory() && !out.mkdirs()) {
            throw new IOException("cannot create " + out);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        LearningRateFinder finder = LearningRateFinder.builder().steps(steps).build();
        log.printf(Locale.ROOT, "Range test: up to %d updates, rate %.0e -> %.0e (%s)%n", steps, finder.minValue(),
                finder.maxValue(), TrainCifar10.updater(conf).replaceFirst(",.*", ""));
        long start = System.nanoTime();
        LearningRateFinder.Result r = finder.find(net, data.train());
        double seconds = (System.nanoTime() - start) / 1e9;
        r.writeCsv(new File(out, "lr-finder.csv").toPath());
        RangeTestChart.write(new File(out, "lr-finder.png"), "Learning-rate range test: " + data.title(), r);
        log.print(summary(r, seconds));
        return r;
    }

    /** The suggestions, one per line, and how the sweep ended. */
    static String summary(LearningRateFinder.Result r, double seconds) {
        double[] rates = r.learningRates();
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "  %d updates in %.1f s, %s%n", rates.length,
                seconds, r.stoppedEarly() ? String.format(Locale.ROOT, "stopped at rate %.3g (the loss diverged)",
                        rates[rates.length - 1]) : "no divergence up to the last rate"));
        for (LearningRateFinder.Suggestion kind : LearningRateFinder.Suggestion.values()) {
            OptionalDouble v = r.suggestion(kind);
            s.append(String.format(Locale.ROOT, "  %-9s %s%n", kind, v.isPresent()
                    ? String.format(Locale.ROOT, "%.3g", v.getAsDouble()) : "none (too few usable points)"));
        }
        return s.toString();
    }

    /** The STEEPEST suggestion, or an IllegalStateException saying why there is none. */
    static double steepest(LearningRateFinder.Result r) {
        return r.suggestion().orElseThrow(() -> new IllegalStateException("--lr auto: the range test gave no STEEPEST"
                + " suggestion (" + r.losses().length + " updates, at least 13 are needed; the loss was "
                + (r.stoppedEarly() ? "not finite or diverged early" : "recorded") + "); see lr-finder.png and pass"
                + " --lr explicitly"));
    }
}
