package io.github.dl4jcosine.schedulefree;

import io.github.dl4jcosine.testing.TestNets;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.EarlyStoppingModelSaver;
import org.deeplearning4j.earlystopping.EarlyStoppingResult;
import org.deeplearning4j.earlystopping.saver.InMemoryModelSaver;
import org.deeplearning4j.earlystopping.scorecalc.DataSetLossCalculator;
import org.deeplearning4j.earlystopping.termination.MaxEpochsTerminationCondition;
import org.deeplearning4j.earlystopping.trainer.EarlyStoppingTrainer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Evaluation at x beyond a plain swap: BatchNorm running statistics recomputed at x, and EarlyStoppingTrainer
 * scoring and saving at x.
 */
@SuppressWarnings("try") // EvalMode resources are opened for their scope, not referenced (javac -Xlint:try)
class EvaluationAtXTest {

    private static final IUpdater ADAMW = ScheduleFreeAdamW.builder().learningRate(0.05).weightDecay(0.01)
            .warmupSteps(2).build();

    private static List<DataSet> batches(int count, long seed) {
        Nd4j.getRandom().setSeed(seed);
        List<DataSet> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(new DataSet(Nd4j.rand(DataType.DOUBLE, 8, 3).muli(2), Nd4j.rand(DataType.DOUBLE, 8, 2)));
        }
        return list;
    }

    private static MultiLayerNetwork withBatchNorm(boolean logStd) {
        return TestNets.mln(TestNets.builder(ADAMW).miniBatch(true).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.TANH).build())
                .layer(new BatchNormalization.Builder().nOut(4).useLogStd(logStd).decay(0.9).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .build());
    }

    private static ComputationGraph graphWithBatchNorm() {
        return TestNets.graph(TestNets.builder(ADAMW).miniBatch(true).graphBuilder()
                .addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.TANH).build(), "in")
                .addLayer("bn", new BatchNormalization.Builder().nOut(4).decay(0.9).build(), "dense")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2)
                        .activation(Activation.IDENTITY).build(), "bn")
                .setOutputs("out")
                .build());
    }

    /**
     * After recomputation, each BatchNorm layer's running mean (variance) is the plain average over the batches of
     * the per-feature mean (population variance) of the layer's input, computed here directly from the dense
     * layer's output at x (the dense layer has no dropout: training and inference forward passes agree).
     * close() restores the training statistics bit for bit; the configured decay is untouched.
     */
    @ParameterizedTest
    @CsvSource({"mln, true", "mln, false", "graph, true"})
    void batchNormStatisticsAreTheAverageOverTheBatchesAtX(String kind, boolean logStd) {
        Model net = kind.equals("mln") ? withBatchNorm(logStd) : graphWithBatchNorm();
        ScheduleFree.prepare(net);
        for (DataSet d : batches(5, 1)) {
            TrainingIntegrationTest.fit(net, d, 1);
        }
        List<DataSet> stats = batches(3, 2);
        INDArray y = net.params().dup();
        Layer bn = kind.equals("mln") ? ((MultiLayerNetwork) net).getLayer(1) : ((ComputationGraph) net).getLayer("bn");
        double[] mean = new double[4];
        double[] var = new double[4];
        try (ScheduleFree.EvalMode x = ScheduleFree.evalMode(net)) {
            for (DataSet d : stats) {
                INDArray in = kind.equals("mln")
                        ? ((MultiLayerNetwork) net).feedForwardToLayer(0, d.getFeatures(), true).get(1)
                        : ((ComputationGraph) net).feedForward(d.getFeatures(), true).get("dense");
                for (int f = 0; f < 4; f++) {
                    double[] column = in.getColumn(f).toDoubleVector();
                    double m = 0;
                    for (double v : column) {
                        m += v / column.length;
                    }
                    double s = 0;
                    for (double v : column) {
                        s += (v - m) * (v - m) / column.length;
                    }
                    mean[f] += m / stats.size();
                    var[f] += s / stats.size();
                }
            }
            assertEquals(1, x.recomputeBatchNormStatistics(new ExistingDataSetIterator(stats), 3));
            assertArrayEquals(mean, bn.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).toDoubleVector(), 1e-12);
            double[] runningVar;
            if (logStd) {
                double[] log10 = bn.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD).toDoubleVector();
                runningVar = new double[4];
                for (int f = 0; f < 4; f++) {
                    runningVar[f] = Math.pow(10, 2 * log10[f]);
                }
            } else {
                runningVar = bn.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR).toDoubleVector();
            }
            assertArrayEquals(var, runningVar, 1e-12);
            assertEquals(0.9, ((BatchNormalization) bn.conf().getLayer()).getDecay(), 0.0);
        }
        assertEquals(y, net.params());
        TrainingIntegrationTest.fit(net, stats.get(0), 1); // trains on: the updater state survived the passes
    }

    /** After recomputing over 2 of 5 batches, the iterator is reset: the next fit trains on all 5. */
    @Test
    void recomputationLeavesTheIteratorReset() {
        MultiLayerNetwork net = withBatchNorm(true);
        ScheduleFree.prepare(net);
        DataSetIterator data = new ExistingDataSetIterator(batches(5, 8));
        net.fit(data);
        assertEquals(5, net.getIterationCount());
        try (ScheduleFree.EvalMode x = ScheduleFree.evalMode(net)) {
            x.recomputeBatchNormStatistics(data, 2);
        }
        net.fit(data);
        assertEquals(10, net.getIterationCount());
    }

    @Test
    void batchNormRecomputationNeedsBatches() {
        MultiLayerNetwork net = withBatchNorm(true);
        try (ScheduleFree.EvalMode x = ScheduleFree.evalMode(net)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> x.recomputeBatchNormStatistics(new ExistingDataSetIterator(batches(1, 3)), 0));
            assertEquals("batches (0) must be >= 1", e.getMessage());
            DataSetIterator empty = new ExistingDataSetIterator(new ArrayList<DataSet>());
            assertThrows(IllegalStateException.class, () -> x.recomputeBatchNormStatistics(empty, 2));
            assertThrows(NullPointerException.class, () -> x.recomputeBatchNormStatistics((DataSetIterator) null, 2));
        }
        assertEquals(0, countBatchNorm(TrainingIntegrationTest.mln(ADAMW)));
    }

    private static int countBatchNorm(MultiLayerNetwork net) {
        try (ScheduleFree.EvalMode x = ScheduleFree.evalMode(net)) {
            return x.recomputeBatchNormStatistics(new ExistingDataSetIterator(batches(1, 4)), 1);
        }
    }

    /**
     * EarlyStoppingTrainer with scoreAtX and saveAtX: each epoch's score is the loss at x; the saved models hold
     * x (and say so in their updater state); the trained network holds y and equals a plain training run.
     */
    @Test
    void earlyStoppingScoresAndSavesAtX() {
        List<DataSet> train = batches(4, 5);
        List<DataSet> test = batches(2, 6);
        MultiLayerNetwork net = TrainingIntegrationTest.mln(ADAMW);
        ScheduleFree.prepare(net);
        EarlyStoppingModelSaver<MultiLayerNetwork> saver = new InMemoryModelSaver<>();
        EarlyStoppingConfiguration<MultiLayerNetwork> conf = new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
                .epochTerminationConditions(new MaxEpochsTerminationCondition(3))
                .scoreCalculator(ScheduleFree.scoreAtX(new DataSetLossCalculator(new ExistingDataSetIterator(test), true)))
                .modelSaver(ScheduleFree.saveAtX(saver))
                .evaluateEveryNEpochs(1)
                .saveLastModel(true)
                .build();
        EarlyStoppingResult<MultiLayerNetwork> result = new EarlyStoppingTrainer(conf, net,
                new ExistingDataSetIterator(train)).fit();

        MultiLayerNetwork plain = TrainingIntegrationTest.mln(ADAMW);
        ScheduleFree.prepare(plain);
        for (int epoch = 0; epoch < 3; epoch++) {
            for (DataSet d : train) {
                plain.fit(d);
            }
        }
        assertEquals(plain.params(), net.params(), "the trained network holds y");
        double lastScore;
        INDArray x;
        try (ScheduleFree.EvalMode e = ScheduleFree.evalMode(net)) {
            lastScore = new DataSetLossCalculator(new ExistingDataSetIterator(test), true).calculateScore(net);
            x = net.params().dup();
        }
        Map<Integer, Double> scores = result.getScoreVsEpoch();
        assertEquals(lastScore, scores.get(2), 0.0, "epoch 2 scored at x");
        assertEquals(x, saverLatest(saver).params(), "latest saved at x");
        MultiLayerNetwork best = result.getBestModel();
        assertFalse(best.params().equals(net.params()), "best model holds x, not y");
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> best.fit(train.get(0)));
        assertTrue(refused.getMessage().contains("restoreTrainingPoint"), refused.getMessage());
        assertTrue(ScheduleFree.restoreTrainingPoint(best));
        best.fit(train.get(0));
    }

    private static MultiLayerNetwork saverLatest(EarlyStoppingModelSaver<MultiLayerNetwork> saver) {
        try {
            return saver.getLatestModel();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
