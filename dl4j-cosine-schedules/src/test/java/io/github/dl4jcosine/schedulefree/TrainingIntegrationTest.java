package io.github.dl4jcosine.schedulefree;

import io.github.dl4jcosine.testing.TestNets;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.File;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Schedule-free updaters in real DL4J training: the forgotten-{@code prepare} refusal, resume from a saved model
 * bit for bit, the evaluation swap and its misuse, a save made at x, float networks.
 */
@SuppressWarnings("try") // EvalMode resources are opened for their scope, not referenced (javac -Xlint:try)
class TrainingIntegrationTest {

    static final IUpdater ADAMW_DECAY = ScheduleFreeAdamW.builder().learningRate(0.05).weightDecay(0.01)
            .warmupSteps(4).r(0.5).build();
    static final IUpdater SGD_DECAY = ScheduleFreeSgd.builder().learningRate(0.2).weightDecay(0.02).warmupSteps(3).build();

    static MultiLayerNetwork mln(IUpdater updater) {
        return TestNets.mln(TestNets.mlnConf(updater));
    }

    static ComputationGraph graph(IUpdater updater) {
        return TestNets.graph(TestNets.graphConf(updater));
    }

    static void fit(Model net, DataSet data, int updates) {
        for (int i = 0; i < updates; i++) {
            if (net instanceof MultiLayerNetwork) {
                ((MultiLayerNetwork) net).fit(data);
            } else {
                ((ComputationGraph) net).fit(data);
            }
        }
    }

    static INDArray state(Model net) {
        return net instanceof MultiLayerNetwork ? ((MultiLayerNetwork) net).getUpdater().getStateViewArray()
                : ((ComputationGraph) net).getUpdater().getStateViewArray();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void weightDecayWithoutPrepareIsRefusedAndChangesNothing(boolean adamw) {
        MultiLayerNetwork net = mln(adamw ? ADAMW_DECAY : SGD_DECAY);
        INDArray before = net.params().dup();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.fit(TestNets.data()));
        assertTrue(e.getMessage().contains("ScheduleFree.prepare(net)"), e.getMessage());
        assertTrue(e.getMessage().contains("weightDecay"), e.getMessage());
        assertEquals(before, net.params());
        ComputationGraph g = graph(ADAMW_DECAY);
        assertThrows(IllegalStateException.class, () -> g.fit(TestNets.data()));
    }

    /** Without weight decay the state needs no parameters: prepare is optional and changes nothing. */
    @Test
    void withoutWeightDecayPrepareIsOptional() {
        IUpdater plain = ScheduleFreeAdamW.builder().learningRate(0.05).warmupSteps(3).build();
        MultiLayerNetwork a = mln(plain);
        MultiLayerNetwork b = mln(plain);
        ScheduleFree.prepare(b);
        fit(a, TestNets.data(), 6);
        fit(b, TestNets.data(), 6);
        assertEquals(a.params(), b.params());
        assertEquals(state(a), state(b));
    }

    /** A clone has new updater instances: refused until prepared, or prepared by the listener; then it continues exactly. */
    @Test
    void cloneNeedsPrepareOrTheListener() {
        MultiLayerNetwork net = mln(ADAMW_DECAY);
        ScheduleFree.prepare(net);
        fit(net, TestNets.data(), 3);
        MultiLayerNetwork unprepared = net.clone();
        assertThrows(IllegalStateException.class, () -> unprepared.fit(TestNets.data()));
        MultiLayerNetwork prepared = net.clone();
        ScheduleFree.prepare(prepared);
        MultiLayerNetwork listened = net.clone();
        listened.setListeners(ScheduleFree.listener());
        fit(net, TestNets.data(), 4);
        fit(prepared, TestNets.data(), 4);
        fit(listened, TestNets.data(), 4);
        assertEquals(net.params(), prepared.params());
        assertEquals(net.params(), listened.params());
    }

    /**
     * Saved with its updater after 7 updates and loaded, a network continues bit for bit as the original does:
     * parameters and the whole updater state (x - y, v, step count, weight sums) after 6 more updates.
     */
    @ParameterizedTest
    @ValueSource(strings = {"mln-double", "graph-double", "mln-float", "graph-float", "mln-sgd"})
    void resumesBitForBit(String variant, @TempDir File dir) throws IOException {
        boolean graph = variant.startsWith("graph");
        DataType type = variant.endsWith("float") ? DataType.FLOAT : DataType.DOUBLE;
        IUpdater updater = variant.endsWith("sgd") ? SGD_DECAY : ADAMW_DECAY;
        Model net = graph ? graph(updater, type) : mln(updater, type);
        ScheduleFree.prepare(net);
        DataSet data = TestNets.data();
        data.setFeatures(data.getFeatures().castTo(type));
        data.setLabels(data.getLabels().castTo(type));
        fit(net, data, 7);
        File file = new File(dir, "model.zip");
        ModelSerializer.writeModel(net, file, true);
        fit(net, data, 6);

        Model loaded = graph ? ModelSerializer.restoreComputationGraph(file, true)
                : ModelSerializer.restoreMultiLayerNetwork(file, true);
        ScheduleFree.prepare(loaded);
        fit(loaded, data, 6);
        assertArrayEquals(net.params().toDoubleVector(), loaded.params().toDoubleVector(), 0.0);
        assertArrayEquals(state(net).toDoubleVector(), state(loaded).toDoubleVector(), 0.0);
        try (ScheduleFree.EvalMode a = ScheduleFree.evalMode(net); ScheduleFree.EvalMode b = ScheduleFree.evalMode(loaded)) {
            assertArrayEquals(net.params().toDoubleVector(), loaded.params().toDoubleVector(), 0.0);
        }
    }

    static MultiLayerNetwork mln(IUpdater updater, DataType type) {
        return TestNets.mln(TestNets.builder(updater).dataType(type).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .build());
    }

    static ComputationGraph graph(IUpdater updater, DataType type) {
        return TestNets.graph(TestNets.builder(updater).dataType(type).graphBuilder()
                .addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.TANH).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2)
                        .activation(Activation.IDENTITY).build(), "dense")
                .setOutputs("out")
                .build());
    }

    @Test
    void evalModeMisuse() {
        MultiLayerNetwork net = mln(ADAMW_DECAY);
        ScheduleFree.prepare(net);
        fit(net, TestNets.data(), 3);
        INDArray y = net.params().dup();
        ScheduleFree.EvalMode x = ScheduleFree.evalMode(net);
        assertFalse(y.equals(net.params()), "x differs from y after 3 updates");
        INDArray atX = net.params().dup();
        IllegalStateException training = assertThrows(IllegalStateException.class, () -> net.fit(TestNets.data()));
        assertTrue(training.getMessage().contains("evalMode"), training.getMessage());
        assertEquals(atX, net.params(), "the refused update changed nothing");
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> ScheduleFree.evalMode(net));
        assertTrue(twice.getMessage().contains("already holds"), twice.getMessage());
        assertThrows(IllegalStateException.class, () -> ScheduleFree.prepare(net));
        x.close();
        x.close();
        assertEquals(y, net.params());
        assertThrows(IllegalStateException.class, () -> x.recomputeBatchNormStatistics(
                new org.deeplearning4j.datasets.iterator.ExistingDataSetIterator(java.util.Collections.singletonList(
                        TestNets.data())), 1));
        fit(net, TestNets.data(), 1);

        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> ScheduleFree.evalMode(mln(new Adam(0.01))));
        assertTrue(none.getMessage().contains("no layer"), none.getMessage());
        ScheduleFree.prepare(mln(new Adam(0.01)));   // nothing to prepare: a no-op
        NullPointerException npe = assertThrows(NullPointerException.class, () -> ScheduleFree.evalMode(null));
        assertEquals("net", npe.getMessage());
        assertThrows(NullPointerException.class, () -> ScheduleFree.prepare(null));
        MultiLayerNetwork uninitialized = new MultiLayerNetwork(TestNets.mlnConf(ADAMW_DECAY));
        IllegalStateException init = assertThrows(IllegalStateException.class, () -> ScheduleFree.prepare(uninitialized));
        assertTrue(init.getMessage().contains("init()"), init.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> ScheduleFree.evalMode(org.mockito.Mockito.mock(Model.class)));
        assertTrue(type.getMessage().contains("MultiLayerNetwork or a ComputationGraph"), type.getMessage());
    }

    /**
     * A model saved inside an EvalMode with its updater holds x and says so: training it is refused, prepare too;
     * restoreTrainingPoint computes y = x - (x - y), after which it trains on as the original does (up to the
     * rounding of x + e - e).
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void savedAtXRefusesTrainingUntilRestored(boolean graph, @TempDir File dir) throws IOException {
        Model net = graph ? graph(ADAMW_DECAY) : mln(ADAMW_DECAY);
        ScheduleFree.prepare(net);
        fit(net, TestNets.data(), 5);
        File file = new File(dir, "at-x.zip");
        INDArray x;
        try (ScheduleFree.EvalMode e = ScheduleFree.evalMode(net)) {
            x = net.params().dup();
            ModelSerializer.writeModel(net, file, true);
        }
        Model loaded = graph ? ModelSerializer.restoreComputationGraph(file, true)
                : ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertEquals(x, loaded.params(), "the save holds x");
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> fit(loaded, TestNets.data(), 1));
        assertTrue(refused.getMessage().contains("restoreTrainingPoint"), refused.getMessage());
        IllegalStateException prepare = assertThrows(IllegalStateException.class, () -> ScheduleFree.prepare(loaded));
        assertTrue(prepare.getMessage().contains("restoreTrainingPoint"), prepare.getMessage());
        assertTrue(ScheduleFree.restoreTrainingPoint(loaded));
        assertArrayEquals(net.params().toDoubleVector(), loaded.params().toDoubleVector(), 1e-15);
        assertFalse(ScheduleFree.restoreTrainingPoint(loaded), "already at y");
        fit(net, TestNets.data(), 4);
        fit(loaded, TestNets.data(), 4);
        assertArrayEquals(net.params().toDoubleVector(), loaded.params().toDoubleVector(), 1e-12);
    }

    /**
     * beta = 0 (the package refuses momentum 0; here it is allowed): y = z, and x is the running average of the
     * iterates. With r = 0, power 0 and no warmup, c_k = 1/(k+1), so after k updates x = (y_1 + ... + y_k) / k.
     * SGD: y_(k+1) = y_k - lr * g_k. AdamW with one parameter and a constant gradient g: v_k / (1 - beta2^(k+1))
     * = g^2, so y_(k+1) = y_k - lr * g / (|g| + eps). (Hand derivations; gradients fed to the updater directly.)
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void betaZeroAveragesTheIterates(boolean adamw) {
        double lr = 0.3;
        IUpdater config = adamw ? new ScheduleFreeAdamW(lr, 0, 0.9, 1e-8, 0, 0, 0, 0)
                : new ScheduleFreeSgd(lr, 0, 0, 0, 0, 0);
        INDArray stateView = Nd4j.zeros(DataType.DOUBLE, config.stateSize(1));
        ScheduleFreeUpdater u = (ScheduleFreeUpdater) config.instantiate(stateView, true);
        double y = 2.0;
        double sum = 0;
        double[] gradients = {0.5, -1.25, 2.0, 0.75, -0.5, 1.5};
        for (int k = 0; k < gradients.length; k++) {
            double g = adamw ? 0.8 : gradients[k];
            INDArray update = Nd4j.createFromArray(new double[] {g});
            u.applyUpdater(update, k, 0);
            double expected = adamw ? y - lr * g / (Math.abs(g) + 1e-8) : y - lr * g;
            y -= update.getDouble(0);
            assertEquals(expected, y, 1e-14, "y at " + (k + 1));
            sum += y;
            assertEquals(sum / (k + 1), y + u.xMinusY().getDouble(0), 1e-14, "x at " + (k + 1));
        }
    }

    /** FLOAT networks use the fused pass in float; it agrees with ND4J's operations to float precision. */
    @Test
    void floatNetworkMatchesTheOperationsPath() {
        MultiLayerNetwork fused = mln(ADAMW_DECAY, DataType.FLOAT);
        MultiLayerNetwork ops = mln(ADAMW_DECAY, DataType.FLOAT);
        ScheduleFree.prepare(fused);
        ScheduleFree.prepare(ops);
        for (Blocks.Block b : Blocks.of(ops)) {
            b.updater.useGenericKernel(true);
        }
        DataSet data = TestNets.data();
        data.setFeatures(data.getFeatures().castTo(DataType.FLOAT));
        data.setLabels(data.getLabels().castTo(DataType.FLOAT));
        fit(fused, data, 10);
        fit(ops, data, 10);
        assertArrayEquals(ops.params().toDoubleVector(), fused.params().toDoubleVector(), 2e-6);
        assertEquals(10, Blocks.of(fused).get(0).updater.steps());
    }

    /** Several updaters in one network: each schedule-free block keeps its own state; evalMode swaps only those. */
    @Test
    void mixedUpdatersPerLayer() {
        MultiLayerNetwork net = TestNets.mln(new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.DOUBLE)
                .list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(5).activation(Activation.TANH).updater(ADAMW_DECAY).build())
                .layer(new DenseLayer.Builder().nIn(5).nOut(4).activation(Activation.TANH).updater(new Adam(0.01)).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2)
                        .activation(Activation.IDENTITY).updater(SGD_DECAY).build())
                .build());
        ScheduleFree.prepare(net);
        assertEquals(2, Blocks.of(net).size());
        fit(net, TestNets.data(), 5);
        INDArray y = net.params().dup();
        try (ScheduleFree.EvalMode x = ScheduleFree.evalMode(net)) {
            INDArray delta = net.params().sub(y);
            long adamStart = 3 * 5 + 5;
            long adamEnd = adamStart + 5 * 4 + 4;
            for (long i = 0; i < delta.length(); i++) {
                boolean adamLayer = i >= adamStart && i < adamEnd;
                assertEquals(adamLayer, delta.getDouble(i) == 0.0, "parameter " + i);
            }
        }
        assertEquals(y, net.params());
    }
}
