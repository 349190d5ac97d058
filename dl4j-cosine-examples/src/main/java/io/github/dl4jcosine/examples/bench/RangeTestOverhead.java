package io.github.dl4jcosine.examples.bench;

import io.github.dl4jcosine.finder.LearningRateFinder;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What one update of a range test costs, against a plain {@code fit} of a clone from the same iterator, measured side
 * by side in one run. Each round times both, in alternating order, on the same network and the same iterator of
 * {@code steps} in-memory minibatches:
 * <ul>
 *   <li>plain: {@code MultiLayerNetwork c = net.clone(); c.fit(iterator)} ({@code steps} updates), per update;</li>
 *   <li>sweep: {@code finder.find(net, iterator)} ({@code steps} updates: rates 1e-7 to 1e-5, which do not diverge,
 *       and a divergence factor of 1e300, so the sweep never stops early), per update.</li>
 * </ul>
 * Both include making their copy of the network (DL4J's {@code clone()}; the finder's copy from JSON). Prints, per
 * model, the median time per update of both and the median of the per-round ratios sweep/plain with its
 * distribution-free 95% confidence interval (order statistics). Two models: the examples' CNN on 28x28x1 inputs
 * (Fashion-MNIST's shape, Nesterovs, minibatch 32) and a 784-256-256-10 MLP (Adam, minibatch 64), both trained for a
 * few updates first so that they have updater state. Arguments: {@code [rounds] [steps] [models]} (default 30, 100
 * and {@code cnn,mlp}). Run it with {@code bench/range-test-overhead.sh} (one native BLAS thread, as
 * bench/training-overhead.sh).
 */
public final class RangeTestOverhead {

    private RangeTestOverhead() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        System.out.printf(Locale.ROOT, "%d rounds of %d updates per model%n%-8s %16s %16s %34s%n", rounds, steps,
                "model", "plain ms/update", "sweep ms/update", "sweep/plain: median (95% CI)");
        List<String> models = Arrays.asList((args.length > 2 ? args[2] : "cnn,mlp").split(","));
        if (models.contains("cnn")) {
            run("cnn", cnn(), batches(steps, 32, new long[] {32, 1, 28, 28}), rounds, steps);
        }
        if (models.contains("mlp")) {
            run("mlp", mlp(), batches(steps, 64, new long[] {64, 784}), rounds, steps);
        }
    }

    private static void run(String name, MultiLayerConfiguration conf, List<DataSet> data, int rounds, int steps) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        for (int i = 0; i < 3; i++) {
            net.fit(data.get(i));
        }
        DataSetIterator iterator = new ListDataSetIterator<>(data, 1);
        LearningRateFinder finder = LearningRateFinder.builder().minValue(1e-7).maxValue(1e-5).steps(steps)
                .divergenceFactor(1e300).build();
        for (int i = 0; i < 2; i++) {       // warm-up
            plain(net, iterator, steps);
            sweep(finder, net, iterator, steps);
        }
        double[] plain = new double[rounds];
        double[] sweep = new double[rounds];
        double[] logRatio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            if (r % 2 == 0) {
                plain[r] = plain(net, iterator, steps);
                sweep[r] = sweep(finder, net, iterator, steps);
            } else {
                sweep[r] = sweep(finder, net, iterator, steps);
                plain[r] = plain(net, iterator, steps);
            }
            logRatio[r] = Math.log(sweep[r] / plain[r]);
        }
        double[] sorted = sorted(logRatio);
        int lo = Math.max(0, (int) Math.floor(rounds / 2.0 - 0.98 * Math.sqrt(rounds)));
        int hi = Math.min(rounds - 1, (int) Math.ceil(rounds / 2.0 + 0.98 * Math.sqrt(rounds)));
        System.out.printf(Locale.ROOT, "%-8s %16.3f %16.3f %14.3fx [%.3fx, %.3fx]%n", name, median(sorted(plain)),
                median(sorted(sweep)), Math.exp(median(sorted)), Math.exp(sorted[lo]), Math.exp(sorted[hi]));
    }

    /** Milliseconds per update of clone-and-fit. */
    private static double plain(MultiLayerNetwork net, DataSetIterator iterator, int steps) {
        iterator.reset();
        long start = System.nanoTime();
        MultiLayerNetwork copy = net.clone();
        copy.fit(iterator);
        double ms = (System.nanoTime() - start) / 1e6;
        if (copy.getIterationCount() != net.getIterationCount() + steps) {
            throw new IllegalStateException("plain fit made " + (copy.getIterationCount() - net.getIterationCount())
                    + " updates");
        }
        return ms / steps;
    }

    /** Milliseconds per update of a sweep. */
    private static double sweep(LearningRateFinder finder, MultiLayerNetwork net, DataSetIterator iterator, int steps) {
        iterator.reset();
        long start = System.nanoTime();
        LearningRateFinder.Result r = finder.find(net, iterator);
        double ms = (System.nanoTime() - start) / 1e6;
        if (r.losses().length != steps) {
            throw new IllegalStateException("the sweep stopped after " + r.losses().length + " updates");
        }
        return ms / steps;
    }

    private static List<DataSet> batches(int count, int batch, long[] shape) {
        Nd4j.getRandom().setSeed(1);
        List<DataSet> out = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            INDArray labels = Nd4j.zeros(batch, 10);
            for (int i = 0; i < batch; i++) {
                labels.putScalar(i, (i * 7 + b) % 10, 1);
            }
            out.add(new DataSet(Nd4j.rand(shape), labels));
        }
        return out;
    }

    /** The examples' CNN (see Experiment.cnnFor) on 28x28x1. */
    private static MultiLayerConfiguration cnn() {
        return new NeuralNetConfiguration.Builder().seed(1).updater(new Nesterovs(0.01, 0.9))
                .weightInit(WeightInit.RELU).l2(5e-4).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(16).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(32).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder().nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build();
    }

    private static MultiLayerConfiguration mlp() {
        return new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-3)).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(256).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(256).nOut(256).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(256).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
    }

    private static double[] sorted(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
