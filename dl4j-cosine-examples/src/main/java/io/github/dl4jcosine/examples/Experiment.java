package io.github.dl4jcosine.examples;

import io.github.dl4jcosine.examples.data.ImageData;
import io.github.dl4jcosine.listener.LearningRateListener;
import io.github.dl4jcosine.listener.PlateauListener;
import io.github.dl4jcosine.schedule.PlateauSchedule;
import org.deeplearning4j.earlystopping.scorecalc.DataSetLossCalculator;
import io.github.dl4jcosine.check.ScheduleCheck;
import io.github.dl4jcosine.schedulefree.ScheduleFree;
import io.github.dl4jcosine.schedulefree.ScheduleFreeAdamW;
import io.github.dl4jcosine.schedulefree.ScheduleFreeSgd;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ISchedule;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One training run of the example CNN under one schedule, with progress, evaluation and output files. */
final class Experiment {

    /** What one epoch gave. */
    static final class EpochResult {
        final int epoch;
        final int iterations;
        final double learningRate;
        final double trainLoss;
        final double testAccuracy;
        final double seconds;

        EpochResult(int epoch, int iterations, double learningRate, double trainLoss, double testAccuracy,
                    double seconds) {
            this.epoch = epoch;
            this.iterations = iterations;
            this.learningRate = learningRate;
            this.trainLoss = trainLoss;
            this.testAccuracy = testAccuracy;
            this.seconds = seconds;
        }
    }

    /** A finished run. */
    static final class Result {
        final String name;
        final List<EpochResult> epochs;
        final double[] learningRates;
        final double seconds;

        Result(String name, List<EpochResult> epochs, double[] learningRates, double seconds) {
            this.name = name;
            this.epochs = epochs;
            this.learningRates = learningRates;
            this.seconds = seconds;
        }

        double finalAccuracy() {
            return epochs.get(epochs.size() - 1).testAccuracy;
        }

        double bestAccuracy() {
            double best = 0;
            for (EpochResult e : epochs) {
                best = Math.max(best, e.testAccuracy);
            }
            return best;
        }
    }

    /** Mean training loss per epoch, from the score DL4J reports after each update. */
    private static final class LossMeter extends BaseTrainingListener {
        double sum;
        int count;

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            sum += model.score();
            count++;
        }

        double takeMean() {
            double mean = count == 0 ? Double.NaN : sum / count;
            sum = 0;
            count = 0;
            return mean;
        }
    }

    /** The schedule name (and optimizer) that trains without a schedule: {@link #scheduleFree}. */
    static final String SCHEDULE_FREE = "schedulefree";
    /** Training batches over which BatchNorm statistics are recomputed at the averaged weights before evaluating. */
    static final int BATCH_NORM_BATCHES = 20;

    private Experiment() {
    }

    /**
     * No schedule: ScheduleFreeSgd (momentum 0.9) for nesterovs, ScheduleFreeAdamW for adam or schedulefree, with a
     * linear warmup over {@code warmupSteps} updates.
     */
    static IUpdater scheduleFree(String optimizer, double lr, int warmupSteps) {
        return "nesterovs".equals(optimizer)
                ? ScheduleFreeSgd.builder().learningRate(lr).momentum(0.9).warmupSteps(warmupSteps).build()
                : ScheduleFreeAdamW.builder().learningRate(lr).warmupSteps(warmupSteps).build();
    }

    /** Whether a layer of {@code conf} trains with a schedule-free updater (then it is evaluated at x). */
    static boolean scheduleFree(MultiLayerConfiguration conf) {
        for (NeuralNetConfiguration c : conf.getConfs()) {
            if (c.getLayer() instanceof BaseLayer && (((BaseLayer) c.getLayer()).getIUpdater() instanceof ScheduleFreeAdamW
                    || ((BaseLayer) c.getLayer()).getIUpdater() instanceof ScheduleFreeSgd)) {
                return true;
            }
        }
        return false;
    }

    /** Test accuracy; for a schedule-free network at its averaged weights x, BatchNorm statistics recomputed there. */
    private static Evaluation evaluate(MultiLayerNetwork net, ImageData data, boolean scheduleFree) {
        if (!scheduleFree) {
            return net.evaluate(data.test());
        }
        try (ScheduleFree.EvalMode x = ScheduleFree.evalMode(net)) {
            x.recomputeBatchNormStatistics(data.train(), BATCH_NORM_BATCHES);
            return net.evaluate(data.test());
        }
    }

    /** The example's compact CNN: two conv/BN/pool blocks, a dense layer, softmax over 10 classes. */
    static MultiLayerConfiguration cnn(ImageData data, IUpdater updater, long seed) {
        return cnnFor(data.height(), data.width(), data.channels(), updater, seed);
    }

    /** The same CNN for images of {@code height x width x channels}. */
    static MultiLayerConfiguration cnnFor(int height, int width, int channels, IUpdater updater, long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(updater)
                .weightInit(WeightInit.RELU)
                .l2(5e-4)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(16).convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(32).convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(height, width, channels))
                .build();
    }

    /** Nesterov SGD (momentum 0.9) or Adam, driven by {@code schedule}. */
    static IUpdater updater(String optimizer, ISchedule schedule, double momentum) {
        switch (optimizer) {
            case "nesterovs":
                return new Nesterovs(schedule, momentum);
            case "adam":
                return new Adam(schedule);
            default:
                throw new IllegalArgumentException("optimizer (" + optimizer + ") must be nesterovs, adam or "
                        + SCHEDULE_FREE);
        }
    }

    /**
     * Trains {@code conf} for {@code epochs} epochs on {@code data}, printing progress to {@code log}, and
     * writes config.json, metrics.csv, lr.csv, lr.png, accuracy.png, loss.png and model.zip to {@code out}. A
     * schedule-free network is evaluated at its averaged weights x (BatchNorm statistics recomputed there over
     * {@value #BATCH_NORM_BATCHES} training batches) and also saved there, as model-x.zip (without updater).
     * {@code overall} counts epochs over every run of this invocation (compare mode) for the overall ETA.
     */
    static Result run(String name, MultiLayerConfiguration conf, ImageData data, int epochs, File out, PrintStream log,
                      Progress.Overall overall) throws IOException {
        int perEpoch = data.iterationsPerEpoch();
        if (!out.isDirectory() && !out.mkdirs()) {
            throw new IOException("cannot create " + out);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        // reduce on plateau: the test-set loss at each epoch end drives every PlateauSchedule of the network
        DataSetLossCalculator testLoss = new DataSetLossCalculator(data.test(), true);
        boolean plateau = hasPlateau(net);
        boolean scheduleFree = scheduleFree(conf);
        if (scheduleFree) {
            ScheduleFree.prepare(net);
        }
        for (ScheduleCheck.Finding f : ScheduleCheck.forTraining(epochs, perEpoch).check(net, testLoss)) {
            log.println("  schedule check: " + f);
        }
        Files.write(new File(out, "config.json").toPath(), conf.toJson().getBytes(StandardCharsets.UTF_8));

        LearningRateListener lr = new LearningRateListener();
        LossMeter loss = new LossMeter();
        Progress progress = new Progress(log);
        net.setListeners(lr, loss, progress);
        if (plateau) {
            net.addListeners(new PlateauListener(testLoss));
        }
        List<EpochResult> results = new ArrayList<>();
        long start = System.nanoTime();
        for (int epoch = 0; epoch < epochs; epoch++) {
            long epochStart = System.nanoTime();
            progress.startEpoch(String.format(Locale.ROOT, "%s epoch %d/%d", name, epoch + 1, epochs),
                    data.trainExamples());
            try {
                net.fit(data.train());
            } finally {
                progress.endEpoch();
            }
            double seconds = (System.nanoTime() - epochStart) / 1e9;
            Evaluation eval = evaluate(net, data, scheduleFree);
            double rate = progress.lastRate();
            EpochResult r = new EpochResult(epoch + 1, net.getIterationCount(), rate, loss.takeMean(), eval.accuracy(),
                    seconds);
            results.add(r);
            overall.epochDone();
            double elapsed = (System.nanoTime() - start) / 1e9;
            String eta = "ETA " + duration(elapsed / (epoch + 1) * (epochs - epoch - 1));
            if (overall.total() > epochs) {
                eta += String.format(Locale.ROOT, " (all runs: %d/%d epochs, ETA %s)", overall.done(), overall.total(),
                        duration(overall.etaSeconds()));
            }
            log.printf(Locale.ROOT, "  %s epoch %d/%d: iteration %d, %.1f img/s, %s, lr %.4g (last update), loss %.4f,"
                            + " test accuracy %.4f%n", name, epoch + 1, epochs, r.iterations,
                    data.trainExamples() / seconds, eta, rate, r.trainLoss, r.testAccuracy);
        }
        double total = (System.nanoTime() - start) / 1e9;

        double[] rates = firstLayerRates(lr);
        writeOutputs(out, data.title(), results, lr, rates);
        ModelSerializer.writeModel(net, new File(out, "model.zip"), true);
        if (scheduleFree) {
            try (ScheduleFree.EvalMode x = ScheduleFree.evalMode(net)) {
                x.recomputeBatchNormStatistics(data.train(), BATCH_NORM_BATCHES);
                ModelSerializer.writeModel(net, new File(out, "model-x.zip"), false);
            }
        }
        return new Result(name, results, rates, total);
    }

    /** Whether a layer's learning rate is a {@link PlateauSchedule} (the example puts one at the top). */
    private static boolean hasPlateau(MultiLayerNetwork net) {
        for (org.deeplearning4j.nn.api.Layer layer : net.getLayers()) {
            if (layer.conf().getLayer() instanceof BaseLayer) {
                IUpdater u = ((BaseLayer) layer.conf().getLayer()).getIUpdater();
                ISchedule s = u instanceof Nesterovs ? ((Nesterovs) u).getLearningRateSchedule()
                        : u instanceof Adam ? ((Adam) u).getLearningRateSchedule() : null;
                if (s instanceof PlateauSchedule) {
                    return true;
                }
            }
        }
        return false;
    }

    private static double[] firstLayerRates(LearningRateListener lr) {
        String first = lr.records().isEmpty() ? null : lr.records().get(0).layer();
        List<Double> values = new ArrayList<>();
        for (LearningRateListener.Record r : lr.records()) {
            if (r.layer().equals(first)) {
                values.add(r.learningRate());
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void writeOutputs(File out, String dataTitle, List<EpochResult> results, LearningRateListener lr,
                                     double[] rates) throws IOException {
        StringBuilder csv = new StringBuilder("epoch,iterations,learningRate,trainLoss,testAccuracy,seconds\n");
        double[] epochAxis = new double[results.size()];
        double[] accuracy = new double[results.size()];
        double[] trainLoss = new double[results.size()];
        for (int i = 0; i < results.size(); i++) {
            EpochResult r = results.get(i);
            csv.append(String.format(Locale.ROOT, "%d,%d,%s,%s,%s,%.3f%n", r.epoch, r.iterations, r.learningRate,
                    r.trainLoss, r.testAccuracy, r.seconds));
            epochAxis[i] = r.epoch;
            accuracy[i] = r.testAccuracy;
            trainLoss[i] = r.trainLoss;
        }
        Files.write(new File(out, "metrics.csv").toPath(), csv.toString().getBytes(StandardCharsets.UTF_8));
        Files.write(new File(out, "lr.csv").toPath(), lr.toCsv().getBytes(StandardCharsets.UTF_8));
        Charts.line(new File(out, "lr.png"), "Learning rate per update: " + dataTitle, "iteration", "learning rate",
                "learning rate", iterationAxis(rates.length), rates);
        Charts.line(new File(out, "accuracy.png"), "Test accuracy per epoch: " + dataTitle, "epoch", "accuracy",
                "test accuracy", epochAxis, accuracy);
        Charts.line(new File(out, "loss.png"), "Training loss per epoch: " + dataTitle, "epoch", "mean loss",
                "training loss", epochAxis, trainLoss);
    }

    static double[] iterationAxis(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        return x;
    }

    /** The comparison table and two overlay charts (learning rate per iteration, test accuracy per epoch). */
    static String compare(List<Result> results, File out, String dataTitle) throws IOException {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-16s %14s %13s %10s%n", "schedule",
                "final accuracy", "best accuracy", "time (s)"));
        StringBuilder csv = new StringBuilder("schedule,finalAccuracy,bestAccuracy,seconds\n");
        Map<String, double[][]> lrSeries = new LinkedHashMap<>();
        Map<String, double[][]> accSeries = new LinkedHashMap<>();
        for (Result r : results) {
            table.append(String.format(Locale.ROOT, "%-16s %14.4f %13.4f %10.1f%n", r.name, r.finalAccuracy(),
                    r.bestAccuracy(), r.seconds));
            csv.append(String.format(Locale.ROOT, "%s,%s,%s,%.3f%n", r.name, r.finalAccuracy(), r.bestAccuracy(),
                    r.seconds));
            lrSeries.put(r.name, new double[][] {iterationAxis(r.learningRates.length), r.learningRates});
            double[] x = new double[r.epochs.size()];
            double[] y = new double[r.epochs.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.epochs.get(i).epoch;
                y[i] = r.epochs.get(i).testAccuracy;
            }
            accSeries.put(r.name, new double[][] {x, y});
        }
        Files.write(new File(out, "compare.csv").toPath(), csv.toString().getBytes(StandardCharsets.UTF_8));
        Charts.line(new File(out, "compare-lr.png"), "Learning rate per update: " + dataTitle, "iteration",
                "learning rate", lrSeries);
        Charts.line(new File(out, "compare-accuracy.png"), "Test accuracy per epoch: " + dataTitle, "epoch",
                "accuracy", accSeries);
        return table.toString();
    }

    /** {@code h:mm:ss} ({@code ?:??:??} when unknown). */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?:??:??";
        }
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
