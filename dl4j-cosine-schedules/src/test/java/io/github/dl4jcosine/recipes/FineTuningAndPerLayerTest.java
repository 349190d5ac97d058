package io.github.dl4jcosine.recipes;

import io.github.dl4jcosine.check.ScheduleCheck;
import io.github.dl4jcosine.schedule.CosineAnnealingSchedule;
import io.github.dl4jcosine.schedule.Schedules;
import io.github.dl4jcosine.testing.TestNets;
import io.github.dl4jcosine.testing.TestNets.AppliedSgdRate;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ISchedule;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.schedule.ScheduleType.ITERATION;

/**
 * Fine-tuning with DL4J's {@code TransferLearning} and per-layer schedules, trained for real. Expected rates
 * are hand-derived: cosine 0.1 -> 0 over 4 updates gives 0.1, 0.08535533905932738, 0.05,
 * 0.014644660940672627, 0.
 */
class FineTuningAndPerLayerTest {

    private static final double[] COSINE_4 = {0.1, 0.08535533905932738, 0.05, 0.014644660940672627, 0.0};
    private static final ISchedule FINE_TUNE = new CosineAnnealingSchedule(ITERATION, 0.1, 0.0, 4);

    private static void assertRates(double[] expected, List<Double> actual, String what) {
        assertRates(expected, actual, what, 1e-12);
    }

    private static void assertRates(double[] expected, List<Double> actual, String what, double tolerance) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual.get(i), tolerance, what + " update " + i);
        }
    }

    /**
     * A pre-trained network (7 updates, 1 epoch) fine-tuned with {@code FineTuneConfiguration.updater(new
     * Sgd(cosine))} and its first layer frozen: the new network's counters start at 0, so the schedule starts at
     * its beginning; the frozen layer does not move; the result saves and restores with its schedule.
     */
    @Test
    void multiLayerNetworkFineTuning(@TempDir Path dir) throws Exception {
        MultiLayerNetwork pretrained = TestNets.mln(TestNets.mlnConf(new Adam(1e-2)));
        DataSet data = TestNets.data();
        for (int i = 0; i < 7; i++) {
            pretrained.fit(data);
        }
        pretrained.incrementEpochCount();

        MultiLayerNetwork tuned = new TransferLearning.Builder(pretrained)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Sgd(FINE_TUNE)).build())
                .setFeatureExtractor(0)
                .build();
        assertEquals(0, tuned.getIterationCount(), "TransferLearning starts the counters at 0");
        assertEquals(0, tuned.getEpochCount());
        assertEquals(FINE_TUNE, ((Sgd) ((BaseLayer) tuned.getLayer(1).conf().getLayer()).getIUpdater())
                .getLearningRateSchedule());

        long frozen = tuned.getLayer(0).numParams();
        AppliedSgdRate head = new AppliedSgdRate(frozen, tuned.numParams());
        tuned.setListeners(head);
        INDArray frozenBefore = tuned.getLayer(0).params().dup();
        for (int i = 0; i < 5; i++) {
            tuned.fit(data);
        }
        assertRates(COSINE_4, head.rates, "head");
        assertArrayEquals(frozenBefore.toDoubleVector(), tuned.getLayer(0).params().toDoubleVector(), 0.0, "frozen");

        File file = dir.resolve("tuned.zip").toFile();
        ModelSerializer.writeModel(tuned, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertEquals(FINE_TUNE, ((Sgd) ((BaseLayer) restored.getLayer(1).conf().getLayer()).getIUpdater())
                .getLearningRateSchedule());
        assertEquals(5, restored.getIterationCount());
    }

    /**
     * The same with {@code TransferLearning.GraphBuilder}: "dense" frozen, "out" on the schedule from 0.
     * (FineTuneConfiguration's own defaults apply to the graph: miniBatch is set back to false here.)
     */
    @Test
    void computationGraphFineTuning() {
        ComputationGraph pretrained = TestNets.graph(TestNets.graphConf(new Adam(1e-2)));
        DataSet data = TestNets.data();
        for (int i = 0; i < 6; i++) {
            pretrained.fit(data);
        }
        ComputationGraph tuned = new TransferLearning.GraphBuilder(pretrained)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Sgd(FINE_TUNE)).miniBatch(false)
                        .build())
                .setFeatureExtractor("dense")
                .build();
        assertEquals(0, tuned.getIterationCount());
        long frozen = tuned.getLayer("dense").numParams();
        AppliedSgdRate head = new AppliedSgdRate(frozen, tuned.numParams());
        tuned.setListeners(head);
        INDArray frozenBefore = tuned.getLayer("dense").params().dup();
        for (int i = 0; i < 5; i++) {
            tuned.fit(data);
        }
        // TransferLearning.GraphBuilder rebuilds the graph in FLOAT: the rate read back is good to ~1e-8.
        assertRates(COSINE_4, head.rates, "out", 1e-6);
        assertArrayEquals(frozenBefore.toDoubleVector(), tuned.getLayer("dense").params().toDoubleVector(), 0.0);
    }

    /**
     * Fine-tuning with AdaGrad: unlike the global builder (where {@code AdaGrad.clone()} drops the schedule,
     * see UpdatersIntegrationTest and ScheduleCheckTest), {@code FineTuneConfiguration} hands the schedule to
     * every layer intact in M2.1: the schedule check finds no NaN layer and training applies the schedule.
     */
    @Test
    void adaGradScheduleSurvivesFineTuning() {
        ISchedule schedule = new CosineAnnealingSchedule(ITERATION, 0.1, 0.0, 30);
        MultiLayerNetwork pretrained = TestNets.mln(TestNets.mlnConf(new Adam(1e-2)));
        MultiLayerNetwork tuned = new TransferLearning.Builder(pretrained)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new AdaGrad(schedule)).build())
                .build();
        for (int layer = 0; layer < 2; layer++) {
            assertEquals(schedule, ((AdaGrad) ((BaseLayer) tuned.getLayer(layer).conf().getLayer()).getIUpdater())
                    .getLearningRateSchedule());
        }
        assertEquals(List.of(), ScheduleCheck.forTraining(10, 3).check(tuned));
        INDArray before = tuned.params().dup();
        tuned.fit(TestNets.data());
        assertFalse(before.equals(tuned.params()), "AdaGrad moved the parameters");
        for (double p : tuned.params().toDoubleVector()) {
            assertTrue(Double.isFinite(p));
        }
    }

    /**
     * Per-layer schedules (PyTorch parameter groups): the backbone at 0.1x the head's cosine, via
     * {@code Schedules.scaled}; each layer applies its own rate, and the configuration round-trips through JSON.
     */
    @Test
    void backboneAtATenthOfTheHead() {
        MultiLayerConfiguration conf = TestNets.builder(new Sgd(0.0))
                .list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.TANH)
                        .updater(new Sgd(Schedules.scaled(FINE_TUNE, 0.1))).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2)
                        .activation(Activation.IDENTITY).updater(new Sgd(FINE_TUNE)).build())
                .build();
        assertEquals(conf, MultiLayerConfiguration.fromJson(conf.toJson()));
        MultiLayerNetwork net = TestNets.mln(conf);
        long split = net.getLayer(0).numParams();
        AppliedSgdRate backbone = new AppliedSgdRate(0, split);
        AppliedSgdRate head = new AppliedSgdRate(split, net.numParams());
        net.setListeners(backbone, head);
        DataSet data = TestNets.data();
        for (int i = 0; i < 5; i++) {
            net.fit(data);
        }
        assertRates(COSINE_4, head.rates, "head");
        double[] tenth = new double[COSINE_4.length];
        for (int i = 0; i < tenth.length; i++) {
            tenth[i] = COSINE_4[i] / 10;
        }
        assertRates(tenth, backbone.rates, "backbone");
    }
}
