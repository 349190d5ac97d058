package io.github.dl4jcosine.schedulefree;

import io.github.dl4jcosine.testing.TestNets;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parameters after every update, and the evaluation point x, against the {@code schedulefree} 1.4.1 package's own
 * AdamWScheduleFree and SGDScheduleFree (rows from generate_schedulefree_reference.py: PyTorch 1.13, float64,
 * foreach=False; 15 configurations covering warmup, r, weight_lr_power, weight decay, betas/momentum and eps,
 * 30 steps each). The recorded gradients are fed to the updater; DL4J's {@code params -= update} is applied; y
 * and x must agree within 1e-12.
 */
@SuppressWarnings("try") // EvalMode resources are opened for their scope, not referenced (javac -Xlint:try)
class PackageReferenceTest {

    static final double TOLERANCE = 1e-12;
    private static double largest;
    private static String where = "";

    static List<ReferenceRows.Case> cases() throws IOException {
        return ReferenceRows.load();
    }

    private static synchronized void check(ReferenceRows.Case c, int step, String what, double[] expected,
                                           double[] actual, int offset) {
        for (int i = 0; i < expected.length; i++) {
            double deviation = Math.abs(expected[i] - actual[offset + i]);
            if (deviation > largest) {
                largest = deviation;
                where = c.name + " step " + step + " " + what + "[" + i + "]";
            }
            assertTrue(deviation <= TOLERANCE, c.name + " step " + step + ": " + what + "[" + i + "] = "
                    + actual[offset + i] + ", package " + expected[i] + " (deviation " + deviation + ")");
        }
    }

    @AfterAll
    static void report() {
        System.out.println("PackageReferenceTest: largest deviation from schedulefree 1.4.1 " + largest + " at " + where);
    }

    /** The GradientUpdater alone: the fused CPU pass (generic = false) and ND4J's operations (generic = true). */
    @ParameterizedTest
    @MethodSource("cases")
    void updaterAloneFused(ReferenceRows.Case c) {
        runAlone(c, false);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void updaterAloneWithNd4jOperations(ReferenceRows.Case c) {
        runAlone(c, true);
    }

    private static void runAlone(ReferenceRows.Case c, boolean generic) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        INDArray state = Nd4j.zeros(DataType.DOUBLE, c.config.stateSize(c.n));
        ScheduleFreeUpdater u = (ScheduleFreeUpdater) c.config.instantiate(state, true);
        u.useGenericKernel(generic);
        INDArray y = Nd4j.createFromArray(c.yBefore[0].clone());
        u.bind(c.n);
        u.attach(y);
        for (int step = 0; step < c.steps; step++) {
            INDArray g = Nd4j.createFromArray(c.grad[step].clone());
            u.applyUpdater(g, step, 0);
            y.subi(g);
            check(c, step, generic ? "y (nd4j ops)" : "y", c.yAfter[step], y.toDoubleVector(), 0);
            check(c, step, generic ? "x (nd4j ops)" : "x", c.xAfter[step], y.add(u.xMinusY()).toDoubleVector(), 0);
        }
    }

    /**
     * Through DL4J's updater blocks, as {@code fit} runs them: a network whose first and last layers (5
     * parameters each) use the configuration and whose middle layer (8 parameters) uses NoOp, so there are two
     * schedule-free blocks; both get the recorded gradients. After each update, {@link ScheduleFree#evalMode}
     * must give the package's x in both blocks and leave the NoOp layer alone; {@code close()} must restore y
     * bit for bit (the next updates then continue from it).
     */
    @ParameterizedTest
    @MethodSource("cases")
    void multiLayerNetworkBlocks(ReferenceRows.Case c) {
        MultiLayerNetwork net = new MultiLayerNetwork(TestNets.builder(c.config).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(1).activation(Activation.IDENTITY).build())
                .layer(new DenseLayer.Builder().nIn(1).nOut(4).updater(new NoOp()).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(1)
                        .activation(Activation.IDENTITY).build())
                .build());
        net.init();
        runNetwork(c, net);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void computationGraphBlocks(ReferenceRows.Case c) {
        ComputationGraph net = new ComputationGraph(TestNets.builder(c.config).graphBuilder()
                .addInputs("in")
                .addLayer("first", new DenseLayer.Builder().nIn(4).nOut(1).activation(Activation.IDENTITY).build(), "in")
                .addLayer("middle", new DenseLayer.Builder().nIn(1).nOut(4).updater(new NoOp())
                        .activation(Activation.TANH).build(), "first")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(1)
                        .activation(Activation.IDENTITY).build(), "middle")
                .setOutputs("out")
                .build());
        net.init();
        runNetwork(c, net);
    }

    private static void runNetwork(ReferenceRows.Case c, Model net) {
        int[][] ranges = {{0, 5}, {13, 18}};
        INDArray params = net.params();
        for (int[] r : ranges) {
            params.get(NDArrayIndex.interval(r[0], r[1])).assign(Nd4j.createFromArray(c.yBefore[0]));
        }
        double[] middle = params.get(NDArrayIndex.interval(5, 13)).toDoubleVector();
        ScheduleFree.prepare(net);
        BaseMultiLayerUpdater<?> updater = net instanceof MultiLayerNetwork
                ? (BaseMultiLayerUpdater<?>) ((MultiLayerNetwork) net).getUpdater(true)
                : ((ComputationGraph) net).getUpdater(true);
        INDArray gradientView = net.getGradientsViewArray();
        INDArray flatGradient = gradientView.reshape(gradientView.length());
        for (int step = 0; step < c.steps; step++) {
            flatGradient.assign(0);
            for (int[] r : ranges) {
                flatGradient.get(NDArrayIndex.interval(r[0], r[1])).assign(Nd4j.createFromArray(c.grad[step]));
            }
            // What StochasticGradientDescent does: the updater turns the gradient into the update, then params -= update
            updater.update(new DefaultGradient(gradientView), step, 0, 1, LayerWorkspaceMgr.noWorkspaces());
            params.subi(flatGradient);
            double[] y = params.toDoubleVector();
            for (int[] r : ranges) {
                check(c, step, "y in block at " + r[0], c.yAfter[step], y, r[0]);
            }
            try (ScheduleFree.EvalMode eval = ScheduleFree.evalMode(net)) {
                double[] x = net.params().toDoubleVector();
                for (int[] r : ranges) {
                    check(c, step, "x in block at " + r[0], c.xAfter[step], x, r[0]);
                }
                assertArrayEquals(middle, java.util.Arrays.copyOfRange(x, 5, 13), 0.0, "NoOp layer untouched");
            }
            assertArrayEquals(y, net.params().toDoubleVector(), 0.0, "y restored bit for bit");
        }
    }
}
