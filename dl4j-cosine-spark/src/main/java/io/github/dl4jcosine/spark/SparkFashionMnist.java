package io.github.dl4jcosine.spark;

import io.github.dl4jcosine.examples.Flags;
import io.github.dl4jcosine.examples.data.IdxReader;
import io.github.dl4jcosine.examples.data.ImageData;
import io.github.dl4jcosine.check.ScheduleCheck;
import io.github.dl4jcosine.schedule.WarmupCosineSchedule;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ScheduleType;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains a small CNN on Fashion-MNIST (the real IDX files of Debian's {@code dataset-fashion-mnist}) with Spark's
 * {@code ParameterAveragingTrainingMaster} and a warmup + cosine schedule in fractional epochs, sized in Spark's
 * units: iterations per epoch = examples / (batch per worker x workers), not examples / batch.
 * {@code local[*]} unless {@code spark-submit --master} or {@code --master} says otherwise. Writes
 * {@code epochs.csv} (per epoch: iterations, the rate at the epoch's first and last update, test accuracy) and
 * {@code model.zip} to the output folder; a folder that already holds files is refused unless {@code --overwrite}.
 * Run {@code --help} for the flags; the README has the {@code spark-submit} line.
 */
public final class SparkFashionMnist {

    static final Map<String, String[]> FLAGS = new LinkedHashMap<>();

    static {
        flag("master", "", "Spark master (default: spark-submit's --master, else local[*])");
        flag("fashion-dir", ImageData.FASHION_MNIST_DIR.getPath(), "folder with the four Fashion-MNIST IDX files (.gz)");
        flag("train-size", "6000", "training examples (rounded down to a multiple of batch-per-worker x workers x"
                + " averaging-frequency)");
        flag("test-size", "1000", "test examples evaluated after each epoch");
        flag("epochs", "3", "Spark epochs (SparkDl4jMultiLayer.fit calls)");
        flag("batch-per-worker", "32", "minibatch size on each worker");
        flag("averaging-frequency", "5", "minibatches each worker fits between parameter averagings");
        flag("lr", "0.005", "peak learning rate (Adam)");
        flag("warmup-epochs", "1", "linear warmup from lr/10, in (fractional) epochs; then cosine to 0");
        flag("seed", "42", "random seed");
        flag("out", "output/spark-fashion-mnist", "output folder");
        Flags.addOverwrite(FLAGS);
    }

    private SparkFashionMnist() {
    }

    /** Declares a flag for {@link Flags}, as the examples module's {@code TrainCifar10} does. */
    private static void flag(String name, String defaultValue, String help) {
        FLAGS.put(name, new String[] {defaultValue, help});
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> opts = Flags.parse(args, FLAGS, "SparkFashionMnist",
                "Train a CNN on Fashion-MNIST with Spark (parameter averaging) and a warmup + cosine schedule.");
        if (opts != null) {
            run(opts, System.out);
        }
    }

    /** Runs what the flags say; returns the final test accuracy. */
    static double run(Map<String, String> opts, PrintStream log) throws IOException {
        File out = Flags.outputFolder(new File(opts.get("out")), opts);
        int epochs = Flags.positive(opts, "epochs");
        int batch = Flags.positive(opts, "batch-per-worker");
        int averaging = Flags.positive(opts, "averaging-frequency");
        int warmup = Integer.parseInt(opts.get("warmup-epochs"));
        if (!(warmup >= 0 && warmup < epochs)) {
            throw new IllegalArgumentException("warmup-epochs (" + warmup + ") must be >= 0 and < epochs (" + epochs + ")");
        }
        double lr = Double.parseDouble(opts.get("lr"));
        long seed = Long.parseLong(opts.get("seed"));
        File dir = new File(opts.get("fashion-dir"));
        Files.createDirectories(out.toPath());
        DataSet train = read(dir, "train", Flags.positive(opts, "train-size"));
        DataSet test = read(dir, "t10k", Flags.positive(opts, "test-size"));

        SparkConf conf = new SparkConf().setAppName("SparkFashionMnist");
        if (!opts.get("master").isEmpty()) {
            conf.setMaster(opts.get("master"));
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        JavaSparkContext sc = new JavaSparkContext(conf);
        try {
            sc.setLogLevel("WARN");
            int workers = sc.defaultParallelism();
            int step = batch * workers * averaging;
            int examples = train.numExamples() / step * step;
            if (examples == 0) {
                throw new IllegalArgumentException("train-size (" + train.numExamples() + ") must be at least"
                        + " batch-per-worker x workers x averaging-frequency (" + batch + " x " + workers + " x "
                        + averaging + ")");
            }
            // Each worker fits `averaging` minibatches per averaging step, counting on from the driver's iteration
            // count, and the driver adds `averaging` per step: one iteration per minibatch of each worker, so
            // iterations per epoch = examples / (batch x workers), not examples / batch.
            int iterationsPerEpoch = examples / (batch * workers);
            List<DataSet> batches = ((DataSet) train.getRange(0, examples)).batchBy(batch);
            JavaRDD<DataSet> rdd = sc.parallelize(batches, workers);

            WarmupCosineSchedule schedule = new WarmupCosineSchedule(ScheduleType.EPOCH, lr, lr / 10, 0.0, warmup,
                    epochs, iterationsPerEpoch);
            MultiLayerNetwork net = new MultiLayerNetwork(network(schedule, seed));
            net.init();
            ScheduleCheck.forSpark(epochs, examples, batch, workers).checkOrThrow(net);   // the plan, on the driver
            ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(batch)
                    .batchSizePerWorker(batch)
                    .averagingFrequency(averaging)
                    .workerPrefetchNumBatches(2)
                    .rddTrainingApproach(RDDTrainingApproach.Direct)
                    .rngSeed(seed)
                    .build();
            SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, net, tm);
            log.printf(Locale.ROOT, "Spark %s, %d workers: %d training examples, %d per worker per minibatch, %d iterations"
                    + " per epoch, averaging every %d; schedule %s%n", sc.master(), workers, examples, batch,
                    iterationsPerEpoch, averaging, schedule);

            StringBuilder csv = new StringBuilder("epoch,iterations,learningRateFirst,learningRateLast,testAccuracy,seconds\n");
            long start = System.nanoTime();
            double accuracy = Double.NaN;
            for (int e = 0; e < epochs; e++) {
                int first = net.getIterationCount();
                long t0 = System.nanoTime();
                spark.fit(rdd);
                double seconds = (System.nanoTime() - t0) / 1e9;
                int last = net.getIterationCount() - 1;
                double lrFirst = rate(net, first, e);
                double lrLast = rate(net, last, e);
                accuracy = net.evaluate(new ListDataSetIterator<>(test.batchBy(256))).accuracy();
                double eta = (System.nanoTime() - start) / 1e9 / (e + 1) * (epochs - e - 1);
                log.printf(Locale.ROOT, "epoch %d/%d: iterations %d-%d, lr %.3g -> %.3g, test accuracy %.4f,"
                        + " %.0f examples/s, ETA %.0f s%n", e + 1, epochs, first, last, lrFirst, lrLast, accuracy,
                        examples / seconds, eta);
                csv.append(String.format(Locale.ROOT, "%d,%d,%s,%s,%s,%.3f%n", e, net.getIterationCount(),
                        lrFirst, lrLast, accuracy, seconds));
            }
            write(new File(out, "epochs.csv"), os -> os.write(csv.toString().getBytes(StandardCharsets.UTF_8)));
            write(new File(out, "model.zip"), os -> ModelSerializer.writeModel(net, os, true));
            log.printf(Locale.ROOT, "Done: final test accuracy %.4f. Output in %s: epochs.csv, model.zip%n", accuracy,
                    out.getPath());
            return accuracy;
        } finally {
            sc.stop();
        }
    }

    /** The rate the first layer's updater applies at these counters (every layer shares the schedule). */
    private static double rate(MultiLayerNetwork net, int iteration, int epoch) {
        return ((BaseLayer) net.getLayer(0).conf().getLayer()).getIUpdater().getLearningRate(iteration, epoch);
    }

    static MultiLayerConfiguration network(WarmupCosineSchedule schedule, long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .weightInit(WeightInit.RELU)
                .updater(new Adam(schedule))
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(16).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build();
    }

    private static DataSet read(File dir, String prefix, int limit) throws IOException {
        File images = new File(dir, prefix + "-images-idx3-ubyte.gz");
        File labels = new File(dir, prefix + "-labels-idx1-ubyte.gz");
        if (!images.isFile() || !labels.isFile()) {
            throw new IOException("no Fashion-MNIST IDX files " + images.getName() + ", " + labels.getName() + " in " + dir
                    + " (on Debian: apt-get install dataset-fashion-mnist; or pass --fashion-dir)");
        }
        return IdxReader.read(images, labels, limit, 10);
    }

    /** What {@link #write} puts in a file. */
    private interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes to a temporary file in the same folder, syncs it, then moves it to {@code file} atomically. */
    private static void write(File file, Content content) throws IOException {
        File tmp = File.createTempFile(file.getName(), ".tmp", file.getParentFile());
        try (FileOutputStream fos = new FileOutputStream(tmp)) {
            content.writeTo(fos);
            fos.getFD().sync();
        }
        Files.move(tmp.toPath(), file.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
