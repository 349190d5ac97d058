package io.github.dl4jcosine.examples.bench;

import io.github.dl4jcosine.schedulefree.ScheduleFree;
import io.github.dl4jcosine.schedulefree.ScheduleFreeAdamW;
import io.github.dl4jcosine.schedulefree.ScheduleFreeSgd;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Cost of a schedule-free update against DL4J's {@code Adam} on the same architecture, side by side in one run:
 * for each contender, pairs of (Adam, contender) measurements in alternating order, the ratio per pair, and the
 * median ratio with its distribution-free 95% confidence interval (as {@link TrainingOverhead}). Two measures:
 * <ul>
 *   <li>update: one call of the network's updater ({@code BaseMultiLayerUpdater.update}, what {@code fit} runs
 *       between the gradient and {@code params -= update}) on a fixed gradient copied in before the clock
 *       starts;</li>
 *   <li>iteration: one whole {@code fit(DataSet)} (forward, backward, update).</li>
 * </ul>
 * Networks: {@code mlp} (784-1024-1024-10, 1.86 M parameters, arrays far larger than the caches) and
 * {@code cnn} (the example CNN on 32x32x3, 0.14 M parameters). Also prints the updater state size of each, in
 * parameters. Each contender is paired with a fresh Adam network of the same seed, both warmed up by the same
 * {@value #WARMUP} updates. Arguments: {@code [pairs] [mlp|cnn|both]} (default 300, both).
 */
public final class UpdaterCost {

    private static final int WARMUP = 60;

    private UpdaterCost() {
    }

    public static void main(String[] args) {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        String which = args.length > 1 ? args[1] : "both";
        Map<String, IUpdater> contenders = new LinkedHashMap<>();
        contenders.put("ScheduleFreeAdamW", ScheduleFreeAdamW.builder().learningRate(1e-3).warmupSteps(10).build());
        contenders.put("ScheduleFreeAdamW wd", ScheduleFreeAdamW.builder().learningRate(1e-3).weightDecay(1e-4).build());
        contenders.put("ScheduleFreeSgd", ScheduleFreeSgd.builder().learningRate(1e-2).build());
        System.out.printf(Locale.ROOT, "OMP_NUM_THREADS=%s, %d pairs per contender%n", System.getenv("OMP_NUM_THREADS"),
                pairs);
        for (String network : which.equals("both") ? new String[] {"mlp", "cnn"} : new String[] {which}) {
            measure(network, contenders, pairs);
        }
    }

    private static void measure(String network, Map<String, IUpdater> contenders, int pairs) {
        Nd4j.getRandom().setSeed(1);
        DataSet data = network.equals("mlp") ? new DataSet(Nd4j.rand(64, 784), Nd4j.rand(64, 10))
                : new DataSet(Nd4j.rand(new int[] {32, 3, 32, 32}), Nd4j.rand(32, 10));
        MultiLayerNetwork first = network(network, new Adam(1e-3));
        System.out.printf(Locale.ROOT, "%n%s: %,d parameters; updater state: Adam %,d%n", network, first.numParams(),
                state(first).length());
        System.out.printf(Locale.ROOT, "%-22s %-10s %12s %12s %30s%n", "contender", "measure", "Adam ms",
                "contender ms", "ratio: median (95% CI)");
        for (Map.Entry<String, IUpdater> c : contenders.entrySet()) {
            // a fresh Adam network per contender: both sides trained equally long, so their gradients and states
            // have the same magnitudes (a longer-trained side meets more subnormal numbers, which are slow)
            MultiLayerNetwork adam = network(network, new Adam(1e-3));
            MultiLayerNetwork other = network(network, c.getValue());
            ScheduleFree.prepare(other);
            for (int i = 0; i < WARMUP; i++) {
                adam.fit(data);
                other.fit(data);
            }
            INDArray gradient = adam.getGradientsViewArray().dup();
            report(c.getKey() + " (state " + String.format(Locale.ROOT, "%.4fx", state(other).length()
                    / (double) state(adam).length()) + ")", "", new double[0][]);
            report(c.getKey(), "update", pairs(pairs, () -> timeUpdate(adam, gradient), () -> timeUpdate(other, gradient)));
            report(c.getKey(), "iteration", pairs(pairs, () -> timeFit(adam, data), () -> timeFit(other, data)));
        }
    }

    private static INDArray state(MultiLayerNetwork net) {
        return net.getUpdater().getStateViewArray();
    }

    private static MultiLayerNetwork network(String kind, IUpdater updater) {
        MultiLayerConfiguration conf = kind.equals("mlp")
                ? new NeuralNetConfiguration.Builder().seed(1).updater(updater).list()
                    .layer(new DenseLayer.Builder().nIn(784).nOut(1024).activation(Activation.RELU).build())
                    .layer(new DenseLayer.Builder().nIn(1024).nOut(1024).activation(Activation.RELU).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(1024).nOut(10)
                            .activation(Activation.IDENTITY).build())
                    .build()
                : cnn(updater);
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** The example CNN of TrainCifar10 (Experiment.cnnFor) on 32x32x3 images. */
    private static MultiLayerConfiguration cnn(IUpdater updater) {
        return new NeuralNetConfiguration.Builder().seed(1).updater(updater).weightInit(WeightInit.RELU).l2(5e-4).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(16).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(32).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(32, 32, 3))
                .build();
    }

    /** Milliseconds of one updater call on {@code gradient} (copied into the network's gradient first, untimed). */
    private static double timeUpdate(MultiLayerNetwork net, INDArray gradient) {
        INDArray view = net.getGradientsViewArray();
        view.assign(gradient);
        BaseMultiLayerUpdater<?> updater = (BaseMultiLayerUpdater<?>) net.getUpdater();
        long start = System.nanoTime();
        updater.update(new DefaultGradient(view), 1000, 0, 64, LayerWorkspaceMgr.noWorkspaces());
        return (System.nanoTime() - start) / 1e6;
    }

    private static double timeFit(MultiLayerNetwork net, DataSet data) {
        long start = System.nanoTime();
        net.fit(data);
        return (System.nanoTime() - start) / 1e6;
    }

    interface Timed {
        double ms();
    }

    /** {@code [adamMs, otherMs]} per pair, the order alternating between pairs. */
    private static double[][] pairs(int pairs, Timed adam, Timed other) {
        double[][] ms = new double[2][pairs];
        for (int p = 0; p < pairs; p++) {
            if (p % 2 == 0) {
                ms[0][p] = adam.ms();
                ms[1][p] = other.ms();
            } else {
                ms[1][p] = other.ms();
                ms[0][p] = adam.ms();
            }
        }
        return ms;
    }

    private static void report(String name, String measure, double[][] ms) {
        if (ms.length == 0) {
            System.out.println(name);
            return;
        }
        int n = ms[0].length;
        double[] logRatio = new double[n];
        for (int p = 0; p < n; p++) {
            logRatio[p] = Math.log(ms[1][p] / ms[0][p]);
        }
        double[] sorted = sorted(logRatio);
        int lo = Math.max(0, (int) Math.floor(n / 2.0 - 0.98 * Math.sqrt(n)));
        int hi = Math.min(n - 1, (int) Math.ceil(n / 2.0 + 0.98 * Math.sqrt(n)));
        System.out.printf(Locale.ROOT, "%-22s %-10s %12.3f %12.3f %12.3fx [%.3fx, %.3fx]%n", "", measure,
                median(sorted(ms[0])), median(sorted(ms[1])), Math.exp(median(sorted)), Math.exp(sorted[lo]),
                Math.exp(sorted[hi]));
    }

    private static double[] sorted(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s;
    }

    private static double median(double[] s) {
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
