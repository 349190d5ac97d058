package io.github.dl4jcosine.examples;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

import java.io.PrintStream;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Progress inside an epoch (me.tongfei:progressbar): images done, images/s, ETA of the epoch, and the learning rate
 * the last update applied, read from the network's updater at its counters. On a terminal the bar redraws in place
 * (on stderr); otherwise (CI logs, pipes, tests) it prints a plain ASCII line on {@code log} at most every
 * {@link #LOG_INTERVAL_MILLIS} ms, and once at the end of the epoch: no carriage returns, no escape codes.
 */
final class Progress extends BaseTrainingListener {

    /** How often a non-interactive run prints a progress line. */
    static final int LOG_INTERVAL_MILLIS = 15_000;

    /** The whole run (several schedules in compare mode): epochs done of all planned, for an overall ETA. */
    static final class Overall {
        private final int totalEpochs;
        private final long start = System.nanoTime();
        private int doneEpochs;

        Overall(int totalEpochs) {
            this.totalEpochs = totalEpochs;
        }

        void epochDone() {
            doneEpochs++;
        }

        int done() {
            return doneEpochs;
        }

        int total() {
            return totalEpochs;
        }

        /** Remaining time if the remaining epochs take as long as the finished ones did on average. */
        double etaSeconds() {
            double elapsed = (System.nanoTime() - start) / 1e9;
            return doneEpochs == 0 ? Double.NaN : elapsed / doneEpochs * (totalEpochs - doneEpochs);
        }
    }

    private final PrintStream log;
    private final boolean interactive;
    private ProgressBar bar;
    private volatile int stepsInEpoch;
    private String lastLine;
    private double lastRate = Double.NaN;
    private double lastScore = Double.NaN;

    /** @param log where non-interactive progress lines go */
    Progress(PrintStream log) {
        this.log = log;
        // A bar that redraws needs a terminal, and our own stdout (not a test's captured stream).
        this.interactive = log == System.out && System.console() != null;
    }

    /** Starts the bar of one epoch of {@code examples} images; {@code task} names it ("cosine epoch 2/3"). */
    void startEpoch(String task, int examples) {
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(examples).setUnit(" img", 1)
                .showSpeed().setSpeedUnit(ChronoUnit.SECONDS);
        if (interactive) {
            b.setStyle(ProgressBarStyle.UNICODE_BLOCK).setUpdateIntervalMillis(500);
        } else {
            b.setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(LOG_INTERVAL_MILLIS)
                    .setConsumer(new DelegatingProgressBarConsumer(this::logLine, 120));
        }
        stepsInEpoch = 0;
        lastLine = null;
        bar = b.build();
    }

    /**
     * A non-interactive progress line, unless it says nothing new: the bar renders once when it starts (0%, no rate
     * yet) and twice when it closes (the last refresh, then the final state).
     */
    private synchronized void logLine(String line) {
        if (stepsInEpoch > 0 && !line.equals(lastLine)) {
            log.println(line);
            lastLine = line;
        }
    }

    /** Ends the epoch's bar (it prints its final state). */
    void endEpoch() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    /** The learning rate the last update applied (NaN before the first). */
    double lastRate() {
        return lastRate;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        // DL4J calls this after the update and before it increments the iteration counter: the rate at the
        // current counters is the one this update applied.
        lastRate = appliedRate(model);
        lastScore = model.score();
        if (bar != null) {
            // fixed width, so that the bar keeps its length from line to line
            bar.setExtraMessage(String.format(Locale.ROOT, " lr %-9s loss %.4f", String.format(Locale.ROOT, "%.4g",
                    lastRate), lastScore));
            bar.stepBy(model.batchSize());
            stepsInEpoch++;
        }
    }

    /** The first layer's learning rate at the network's current counters (NaN if no layer has one). */
    static double appliedRate(Model model) {
        if (model instanceof MultiLayerNetwork) {
            MultiLayerNetwork net = (MultiLayerNetwork) model;
            for (int i = 0; i < net.getnLayers(); i++) {
                Double rate = net.getLearningRate(i);
                if (rate != null) {
                    return rate;
                }
            }
        }
        return Double.NaN;
    }
}
