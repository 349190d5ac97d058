package io.github.dl4jcosine.listener;

import io.github.dl4jcosine.internal.ModelCounters;
import io.github.dl4jcosine.preview.SchedulePreview;
import io.github.dl4jcosine.schedule.PlateauSchedule;
import io.github.dl4jcosine.schedule.PlateauState;
import io.github.dl4jcosine.testing.TestNets;
import io.github.dl4jcosine.testing.TestNets.AppliedSgdRate;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.earlystopping.scorecalc.DataSetLossCalculator;
import org.deeplearning4j.earlystopping.scorecalc.ScoreCalculator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.slf4j.Logger;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * PlateauListener on real training: the validation loss, computed by DL4J's {@code DataSetLossCalculator} at each
 * epoch end, drives the PlateauSchedules of the network; a run saved by {@code ModelSerializer} (or copied through
 * its configuration JSON) mid-run and continued gives bitwise the parameters and per-epoch rates of the run without
 * a break; each schedule instance gets each report once.
 */
class PlateauListenerTest {

    /** 12 examples in minibatches of 4: 3 updates per epoch. */
    static final int PER_EPOCH = 3;

    static DataSetIterator train() {
        return new ListDataSetIterator<>(TestNets.data().asList(), 4);
    }

    static DataSetIterator validation() {
        Nd4j.getRandom().setSeed(23);
        DataSet v = new DataSet(Nd4j.rand(DataType.DOUBLE, 8, 3), Nd4j.rand(DataType.DOUBLE, 8, 2));
        return new ListDataSetIterator<>(v.asList(), 8);
    }

    /** Asks for a 20% better validation loss every epoch: the loss cannot keep that up, so reductions come early. */
    static PlateauSchedule demanding() {
        return PlateauSchedule.builder(new FixedSchedule(0.05)).patience(0).threshold(0.2).factor(0.5).cooldown(1)
                .build();
    }

    /** A calculator that records what it computed, at which counters. */
    static final class Recording implements ScoreCalculator<Model> {
        private static final long serialVersionUID = 1L;
        final ScoreCalculator<Model> inner;
        final List<double[]> calls = new ArrayList<>();   // {iteration, epoch, metric}

        Recording(ScoreCalculator<Model> inner) {
            this.inner = inner;
        }

        @Override
        public double calculateScore(Model network) {
            double metric = inner.calculateScore(network);
            calls.add(new double[] {ModelCounters.iterationCount(network), ModelCounters.epochCount(network),
                metric});
            return metric;
        }

        @Override
        public boolean minimizeScore() {
            return inner.minimizeScore();
        }
    }

    /** The learning rate of layer 0 at the start of each epoch, as DL4J computes it for the next update. */
    static final class EpochRates extends BaseTrainingListener {
        final List<Double> rates = new ArrayList<>();

        @Override
        public void onEpochStart(Model model) {
            rates.add(model instanceof MultiLayerNetwork ? ((MultiLayerNetwork) model).getLearningRate(0)
                    : ((ComputationGraph) model).getLearningRate("dense"));
        }
    }

    @Test
    void multiLayerNetworkSavedMidRunResumesBitwise(@TempDir Path dir) throws Exception {
        Supplier<MultiLayerNetwork> fresh = () -> TestNets.mln(TestNets.mlnConf(new Adam(demanding())));
        checkResume(fresh, dir, file -> ModelSerializer.restoreMultiLayerNetwork(file, true));
    }

    @Test
    void computationGraphSavedMidRunResumesBitwise(@TempDir Path dir) throws Exception {
        Supplier<ComputationGraph> fresh = () -> TestNets.graph(TestNets.graphConf(new Adam(demanding())));
        checkResume(fresh, dir, file -> ModelSerializer.restoreComputationGraph(file, true));
    }

    interface Restore<M> {
        M restore(File file) throws Exception;
    }

    private static <M extends Model> void checkResume(Supplier<M> fresh, Path dir, Restore<M> restore)
            throws Exception {
        M straight = fresh.get();
        EpochRates straightRates = new EpochRates();
        straight.setListeners(straightRates, new PlateauListener(new DataSetLossCalculator(validation(), true)));
        fit(straight, 8);

        M first = fresh.get();
        EpochRates firstRates = new EpochRates();
        first.setListeners(firstRates, new PlateauListener(new DataSetLossCalculator(validation(), true)));
        fit(first, 4);
        File file = dir.resolve("model.zip").toFile();
        ModelSerializer.writeModel(first, file, true);
        M resumed = restore.restore(file);
        EpochRates resumedRates = new EpochRates();
        resumed.setListeners(resumedRates, new PlateauListener(new DataSetLossCalculator(validation(), true)));
        fit(resumed, 4);

        PlateauState saved = schedule(first).getState();
        PlateauState end = schedule(straight).getState();
        assertTrue(saved.reductionCount() >= 1 && end.reductionCount() > saved.reductionCount(),
                "reductions before the save and after it: " + saved + " / " + end);
        assertArrayEquals(straight.params().toDoubleVector(), resumed.params().toDoubleVector(), 0.0);
        assertEquals(end, schedule(resumed).getState());
        List<Double> joined = new ArrayList<>(firstRates.rates);
        joined.addAll(resumedRates.rates);
        assertEquals(straightRates.rates, joined);
        assertTrue(straightRates.rates.get(7) < straightRates.rates.get(0), straightRates.rates.toString());
    }

    private static void fit(Model m, int epochs) {
        if (m instanceof MultiLayerNetwork) {
            ((MultiLayerNetwork) m).fit(train(), epochs);
        } else {
            ((ComputationGraph) m).fit(train(), epochs);
        }
    }

    /** Layer 0's learning-rate schedule (after loading, each layer has its own equal copy). */
    static PlateauSchedule schedule(Model m) {
        org.deeplearning4j.nn.api.Layer layer = m instanceof MultiLayerNetwork ? ((MultiLayerNetwork) m).getLayer(0)
                : ((ComputationGraph) m).getLayer("dense");
        return (PlateauSchedule) ((Adam) layer.getConfig().getUpdaterByParam("W")).getLearningRateSchedule();
    }

    /** A network rebuilt mid-run from its configuration JSON, parameters and updater state continues identically. */
    @Test
    void jsonCopyMidRunContinuesIdentically() {
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Adam(demanding())));
        net.setListeners(new PlateauListener(new DataSetLossCalculator(validation(), true)));
        net.fit(train(), 3);
        MultiLayerNetwork copy = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(
                net.getLayerWiseConfigurations().toJson()));
        copy.init(net.params().dup(), false);
        copy.getUpdater().setStateViewArray(copy, net.getUpdater().getStateViewArray().dup(), false);
        copy.setListeners(new PlateauListener(new DataSetLossCalculator(validation(), true)));
        assertNotSame(schedule(net), schedule(copy));
        assertEquals(schedule(net), schedule(copy));
        net.fit(train(), 4);
        copy.fit(train(), 4);
        assertArrayEquals(net.params().toDoubleVector(), copy.params().toDoubleVector(), 0.0);
        assertEquals(schedule(net), schedule(copy));
        assertTrue(schedule(net).getState().reductionCount() >= 2, schedule(net).toString());
    }

    /**
     * The rate plain SGD applied, read back from the parameters, is the base rate until the update of the reducing
     * report and the reduced one from there on; each report is made at the counters of the next update.
     */
    @Test
    void appliedRateDropsFromTheReportOn() {
        PlateauSchedule s = demanding();
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Sgd(s)));
        Recording metric = new Recording(new DataSetLossCalculator(validation(), true));
        AppliedSgdRate applied = new AppliedSgdRate();
        net.setListeners(applied, new PlateauListener(metric));
        net.fit(train(), 6);

        assertEquals(6, metric.calls.size());
        for (int e = 0; e < 6; e++) {   // onEpochEnd of epoch e: e+1 epochs of updates done, the counter still e
            assertArrayEquals(new double[] {PER_EPOCH * (e + 1), e}, new double[] {metric.calls.get(e)[0],
                metric.calls.get(e)[1]}, 0.0);
        }
        PlateauSchedule expected = demanding();
        for (double[] call : metric.calls) {
            expected.report((int) call[0], (int) call[1] + 1, call[2]);
        }
        assertEquals(expected, s);
        int[] at = s.getState().getReductionIterations();
        assertTrue(at.length >= 1, s.toString());
        for (int i = 0; i < applied.rates.size(); i++) {
            double want = 0.05 * s.multiplierAt(i);
            assertEquals(want, applied.rates.get(i), 1e-9 * want, "update " + i + " (" + applied.counters.get(i) + ")");
        }
        assertEquals(0.05, applied.rates.get(at[0] - 1), 1e-9 * 0.05);
        assertEquals(0.025, applied.rates.get(at[0]), 1e-9 * 0.025);
    }

    /**
     * What LearningRateListener records is the rate applied (read back from the parameters under plain SGD), reduced
     * from the reporting update on; a preview of the schedule after training shows the same rates, since reductions
     * never change earlier updates.
     */
    @Test
    void learningRateListenerAndPreviewShowTheAppliedRates() {
        PlateauSchedule s = demanding();
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Sgd(s)));
        LearningRateListener recorded = new LearningRateListener();
        AppliedSgdRate applied = new AppliedSgdRate();
        net.setListeners(applied, recorded, new PlateauListener(new DataSetLossCalculator(validation(), true)));
        net.fit(train(), 6);
        assertTrue(s.getState().reductionCount() >= 2, s.toString());
        SchedulePreview preview = SchedulePreview.iterations(s, 6 * PER_EPOCH, PER_EPOCH);
        List<LearningRateListener.Record> layer0 = new ArrayList<>();
        for (LearningRateListener.Record r : recorded.records()) {
            if (r.layer().equals("layer0")) {
                layer0.add(r);
            }
        }
        assertEquals(6 * PER_EPOCH, layer0.size());
        for (int i = 0; i < layer0.size(); i++) {
            double rate = layer0.get(i).learningRate();
            assertEquals(i, layer0.get(i).iteration());
            assertEquals(applied.rates.get(i), rate, 1e-9 * rate, "update " + i);
            assertEquals(preview.value(i), rate, 0.0, "update " + i);
        }
        assertEquals(0.05 * s.getState().getReductionMultipliers()[1],
                layer0.get(s.getState().getReductionIterations()[1]).learningRate(), 0.0);
    }

    /**
     * A freshly built network shares one schedule across its layers (DL4J's Adam.clone() keeps it); a bias updater
     * and a Nesterovs momentum have their own; a loaded network has a copy per layer. Each instance receives each
     * report exactly once: its state equals that of a standalone schedule fed the recorded metrics once.
     */
    @Test
    void eachInstanceIsReportedOnce(@TempDir Path dir) throws Exception {
        PlateauSchedule rate = demanding();
        PlateauSchedule biasRate = demanding();
        PlateauSchedule momentum = PlateauSchedule.builder(new FixedSchedule(0.9)).patience(1).factor(0.9).build();
        MultiLayerConfiguration conf = TestNets.builder(new Nesterovs(rate, momentum)).biasUpdater(new Sgd(biasRate))
                .list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = TestNets.mln(conf);
        assertEquals(3, PlateauTargets.of(net).size(), "rate, momentum and bias rate, each shared by both layers");
        Recording metric = new Recording(new DataSetLossCalculator(validation(), true));
        net.setListeners(new PlateauListener(metric));
        net.fit(train(), 3);
        assertFedOnce(metric, net, rate, momentum, biasRate);

        File file = dir.resolve("shared.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork loaded = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertEquals(6, PlateauTargets.of(loaded).size(), "after JSON: a copy of each per layer");
        Recording more = new Recording(new DataSetLossCalculator(validation(), true));
        loaded.setListeners(new PlateauListener(more));
        loaded.fit(train(), 3);
        metric.calls.addAll(more.calls);
        for (PlateauTargets.Target t : PlateauTargets.of(loaded)) {
            PlateauSchedule standalone = t.schedule.getBase() instanceof FixedSchedule
                    && ((FixedSchedule) t.schedule.getBase()).getValue() == 0.9
                    ? PlateauSchedule.builder(new FixedSchedule(0.9)).patience(1).factor(0.9).build() : demanding();
            feed(standalone, metric);
            assertEquals(standalone, t.schedule, t.describe());
        }
    }

    private static void assertFedOnce(Recording metric, MultiLayerNetwork net, PlateauSchedule rate,
                                      PlateauSchedule momentum, PlateauSchedule biasRate) {
        assertEquals(3, metric.calls.size());
        PlateauSchedule expectedRate = feed(demanding(), metric);
        assertEquals(expectedRate, rate);
        assertEquals(expectedRate, biasRate);
        assertEquals(feed(PlateauSchedule.builder(new FixedSchedule(0.9)).patience(1).factor(0.9).build(), metric),
                momentum);
        assertSame(rate, ((Nesterovs) net.getLayer(1).getConfig().getUpdaterByParam("W")).getLearningRateSchedule());
    }

    private static PlateauSchedule feed(PlateauSchedule s, Recording metric) {
        for (double[] call : metric.calls) {
            s.report((int) call[0], (int) call[1] + 1, call[2]);
        }
        return s;
    }

    /** MAX with a loss (minimizeScore() = true) is refused before the first update changes anything. */
    @Test
    void modeContradictingTheCalculatorIsRefused() {
        PlateauSchedule max = PlateauSchedule.builder(new FixedSchedule(0.05)).mode(PlateauSchedule.Mode.MAX).build();
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Adam(max)));
        double[] initial = net.params().toDoubleVector();
        net.setListeners(new PlateauListener(new DataSetLossCalculator(validation(), true)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.fit(train(), 1));
        assertTrue(e.getMessage().contains("has mode MAX but the score calculator "
                + DataSetLossCalculator.class.getName() + " minimizes its score (minimizeScore() = true): use mode MIN"),
                e.getMessage());
        assertEquals(0, net.getIterationCount());
        assertArrayEquals(initial, net.params().toDoubleVector(), 0.0);
        // and in fit(DataSet) loops, which call no onEpochStart: refused at the first gradient
        net.setListeners(new PlateauListener(new DataSetLossCalculator(validation(), true)));
        assertThrows(IllegalStateException.class, () -> net.fit(TestNets.data()));
        assertArrayEquals(initial, net.params().toDoubleVector(), 0.0);
    }

    /** Each reduction is logged at INFO with the metric, the best one and the rate before and after. */
    @Test
    void reductionsAreLoggedAtInfo() {
        Logger log = mock(Logger.class);
        when(log.isDebugEnabled()).thenReturn(false);
        PlateauSchedule s = demanding();
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Adam(s)));
        Recording metric = new Recording(new DataSetLossCalculator(validation(), true));
        net.setListeners(new PlateauListener(metric, log));
        net.fit(train(), 4);
        ArgumentCaptor<String> lines = ArgumentCaptor.forClass(String.class);
        verify(log, atLeastOnce()).info(lines.capture());
        assertEquals(s.getState().reductionCount(), lines.getAllValues().size());
        int k = s.getState().getReductionIterations()[0] / PER_EPOCH - 1;   // the epoch whose end reduced
        assertEquals("PlateauListener: learning rate of layer \"layer0\" (shared with 1 more) reduced after epoch " + k
                + " (iteration " + PER_EPOCH * (k + 1) + "): Recording " + metric.calls.get(k)[2] + ", best "
                + s.getState().getBest() + "; from 0.05 to 0.025", lines.getAllValues().get(0));
    }

    /** A network without a PlateauSchedule: one warning, no evaluation. */
    @Test
    void networkWithoutPlateauIsWarnedOnce() {
        Logger log = mock(Logger.class);
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Adam(0.01)));
        Recording metric = new Recording(new DataSetLossCalculator(validation(), true));
        net.setListeners(new PlateauListener(metric, log));
        net.fit(train(), 2);
        verify(log, times(1)).warn("PlateauListener: the MultiLayerNetwork has no PlateauSchedule in its updaters"
                + " (learning rate or Nesterovs momentum): nothing to report to, the metric is not computed");
        assertEquals(0, metric.calls.size());
    }

    /** Java serialization (Spark ships listeners): the copy works as the original. */
    @Test
    void serializedCopyReports() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new PlateauListener(new DataSetLossCalculator(validation(), true)));
        }
        PlateauListener copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (PlateauListener) in.readObject();
        }
        PlateauSchedule s = demanding();
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Adam(s)));
        net.setListeners(copy);
        net.fit(train(), 3);
        assertEquals(3 * PER_EPOCH, s.getState().getLastReportIteration());
    }

    @Test
    void nullCalculatorIsNamed() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> new PlateauListener(null));
        assertEquals("calculator", e.getMessage());
    }
}
