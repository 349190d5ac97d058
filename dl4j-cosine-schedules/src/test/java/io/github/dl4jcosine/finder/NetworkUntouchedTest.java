package io.github.dl4jcosine.finder;

import io.github.dl4jcosine.schedule.CosineAnnealingSchedule;
import io.github.dl4jcosine.schedule.OneCycleSchedule;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.optimize.listeners.ScoreIterationListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.adapter.MultiDataSetIteratorAdapter;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.schedule.ScheduleType;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code find} leaves the caller's network as it was: configuration JSON, parameters and updater state bit for bit,
 * counters, listeners (same instances, never called during the sweep), the updater objects of its layers, and its
 * score; trained further afterwards it follows the very path of an identical network that never saw a sweep. For both
 * kinds of network, trained before (updater state) and not (no updater yet), and uninitialized.
 */
class NetworkUntouchedTest {

    /** Counts the calls a network makes to it. */
    static final class Calls extends BaseTrainingListener {
        int calls;

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            calls++;
        }

        @Override
        public void onEpochStart(Model model) {
            calls++;
        }

        @Override
        public void onEpochEnd(Model model) {
            calls++;
        }
    }

    /** Everything about a network that a sweep must not change. */
    record State(String json, double[] params, boolean hasUpdater, double[] updaterState, int iteration, int epoch,
                 List<TrainingListener> listeners, List<IUpdater> updaters, List<String> updaterTexts,
                 double score) {

        static State of(MultiLayerNetwork net) {
            Updater u = net.getUpdater(false);
            return new State(net.getLayerWiseConfigurations().toJson(), net.params().toDoubleVector(), u != null,
                    vector(u == null ? null : u.getStateViewArray()), net.getIterationCount(), net.getEpochCount(),
                    new ArrayList<>(net.getListeners()), updaters(net.getLayers()), texts(net.getLayers()),
                    net.score());
        }

        static State of(ComputationGraph net) {
            Updater u = net.getUpdater(false);
            return new State(net.getConfiguration().toJson(), net.params().toDoubleVector(), u != null,
                    vector(u == null ? null : u.getStateViewArray()), net.getIterationCount(), net.getEpochCount(),
                    new ArrayList<>(net.getListeners()), updaters(net.getLayers()), texts(net.getLayers()),
                    net.score());
        }

        private static double[] vector(INDArray a) {
            return a == null ? null : a.toDoubleVector();
        }

        private static List<IUpdater> updaters(org.deeplearning4j.nn.api.Layer[] layers) {
            List<IUpdater> out = new ArrayList<>();
            for (org.deeplearning4j.nn.api.Layer l : layers) {
                if (l.conf().getLayer() instanceof BaseLayer b) {
                    out.add(b.getIUpdater());
                    out.add(b.getBiasUpdater());
                }
            }
            return out;
        }

        private static List<String> texts(org.deeplearning4j.nn.api.Layer[] layers) {
            List<String> out = new ArrayList<>();
            for (IUpdater u : updaters(layers)) {
                out.add(String.valueOf(u));
            }
            return out;
        }

        void assertSameAs(State after) {
            assertEquals(json, after.json, "configuration JSON");
            assertArrayEquals(params, after.params, "parameters, bitwise");
            assertEquals(hasUpdater, after.hasUpdater, "whether the network has an updater");
            assertArrayEquals(updaterState, after.updaterState, "updater state, bitwise");
            assertEquals(iteration, after.iteration, "iteration count");
            assertEquals(epoch, after.epoch, "epoch count");
            assertEquals(listeners.size(), after.listeners.size(), "listeners");
            for (int i = 0; i < listeners.size(); i++) {
                assertSame(listeners.get(i), after.listeners.get(i), "listener " + i);
            }
            for (int i = 0; i < updaters.size(); i++) {
                assertSame(updaters.get(i), after.updaters.get(i), "updater object " + i);
            }
            assertEquals(updaterTexts, after.updaterTexts, "updater configurations");
            assertEquals(Double.doubleToLongBits(score), Double.doubleToLongBits(after.score), "score");
        }
    }

    /** Per-layer updaters: Adam on a cosine, Nesterovs on a one-cycle with a fixed bias rate, weight decay. */
    static MultiLayerConfiguration perLayerConf() {
        return TestData.mlnConf(new Sgd(0.1),
                TestData.hidden().updater(new Adam(new CosineAnnealingSchedule(ScheduleType.ITERATION, 0.01, 0, 50)))
                        .build(),
                TestData.output().updater(new Nesterovs(new OneCycleSchedule(ScheduleType.ITERATION, 0.004, 0.1,
                        4e-7, 40, 0.3, false, 0), 0.9)).biasUpdater(new Sgd(0.02))
                        .regularization(List.of(new WeightDecay(1e-3, true))).build());
    }

    static MultiLayerNetwork trainedMln(Calls calls) {
        MultiLayerNetwork net = new MultiLayerNetwork(perLayerConf());
        net.init();
        net.fit(TestData.iterator(3, 1));
        net.fit(TestData.iterator(3, 1));
        net.setListeners(calls, new ScoreIterationListener(1000));
        return net;
    }

    @Test
    void aTrainedMultiLayerNetworkIsUntouchedAndTrainsOnAsItsTwin() {
        Calls calls = new Calls();
        MultiLayerNetwork net = trainedMln(calls);
        MultiLayerNetwork twin = trainedMln(new Calls());
        State before = State.of(net);
        assertTrue(before.hasUpdater && before.iteration == 6 && before.epoch == 2);

        LearningRateFinder.Result r = LearningRateFinder.builder().steps(30).build().find(net, TestData.iterator(4, 2));
        assertTrue(r.losses().length > 5);
        before.assertSameAs(State.of(net));
        assertEquals(0, calls.calls, "the caller's listeners are not called during the sweep");

        List<DataSet> more = TestData.batches(3, 3);
        for (DataSet d : more) {
            net.fit(d);
            twin.fit(d);
        }
        assertArrayEquals(twin.params().toDoubleVector(), net.params().toDoubleVector(), "trained on as its twin");
        assertArrayEquals(twin.getUpdater().getStateViewArray().toDoubleVector(),
                net.getUpdater().getStateViewArray().toDoubleVector());
    }

    @Test
    void aMultiLayerNetworkWithoutUpdaterYetGetsNone() {
        MultiLayerNetwork net = new MultiLayerNetwork(perLayerConf());
        net.init();
        State before = State.of(net);
        assertFalse(before.hasUpdater);
        LearningRateFinder.builder().steps(12).build().find(net, TestData.iterator(2, 2));
        before.assertSameAs(State.of(net));
    }

    @Test
    void anUninitializedMultiLayerNetworkStaysUninitializedAndItsCopyStartsFromItsSeed() {
        MultiLayerNetwork net = new MultiLayerNetwork(perLayerConf());
        String json = net.getLayerWiseConfigurations().toJson();
        LearningRateFinder finder = LearningRateFinder.builder().steps(12).build();
        LearningRateFinder.Result r = finder.find(net, TestData.iterator(2, 2));
        assertFalse(net.isInitCalled());
        assertEquals(json, net.getLayerWiseConfigurations().toJson());

        MultiLayerNetwork initialized = new MultiLayerNetwork(perLayerConf());
        initialized.init();
        assertEquals(r, finder.find(initialized, TestData.iterator(2, 2)), "the same sweep as after init()");
    }

    static ComputationGraph trainedGraph(Calls calls) {
        ComputationGraph net = new ComputationGraph(TestData.twoInputGraph(new Adam(
                new CosineAnnealingSchedule(ScheduleType.ITERATION, 0.01, 0, 50))));
        net.init();
        net.fit(new TestData.ListMultiIterator(TestData.twoInputBatches(3, 4)));
        net.setListeners(calls);
        return net;
    }

    @Test
    void aTrainedComputationGraphIsUntouchedAndTrainsOnAsItsTwin() {
        Calls calls = new Calls();
        ComputationGraph net = trainedGraph(calls);
        ComputationGraph twin = trainedGraph(new Calls());
        State before = State.of(net);
        assertTrue(before.hasUpdater && before.iteration == 3 && before.epoch == 1);

        LearningRateFinder.Result r = LearningRateFinder.builder().steps(25).build()
                .find(net, new TestData.ListMultiIterator(TestData.twoInputBatches(4, 5)));
        assertTrue(r.losses().length > 5);
        before.assertSameAs(State.of(net));
        assertEquals(0, calls.calls);

        for (MultiDataSet d : TestData.twoInputBatches(2, 6)) {
            net.fit(d);
            twin.fit(d);
        }
        assertArrayEquals(twin.params().toDoubleVector(), net.params().toDoubleVector());
    }

    @Test
    void aComputationGraphWithOneInputAndADataSetIteratorIsUntouched() {
        ComputationGraph net = TestData.graphWithOneInput(new Nesterovs(0.05, 0.9));
        State untrained = State.of(net);
        LearningRateFinder finder = LearningRateFinder.builder().steps(15).build();
        LearningRateFinder.Result a = finder.find(net, TestData.iterator(3, 7));
        untrained.assertSameAs(State.of(net));
        assertFalse(untrained.hasUpdater);
        assertEquals(a, finder.find(net, new MultiDataSetIteratorAdapter(TestData.iterator(3, 7))),
                "a DataSetIterator and its MultiDataSetIterator adapter give the same sweep");

        net.fit(TestData.iterator(3, 8));
        State trained = State.of(net);
        finder.find(net, TestData.iterator(3, 7));
        trained.assertSameAs(State.of(net));
    }

    @Test
    void anUninitializedComputationGraphStaysUninitialized() {
        ComputationGraph net = new ComputationGraph(TestData.twoInputGraph(new Adam(1e-3)));
        String json = net.getConfiguration().toJson();
        LearningRateFinder.builder().steps(12).build().find(net,
                new TestData.ListMultiIterator(TestData.twoInputBatches(2, 4)));
        assertNull(net.getLayers());
        assertEquals(json, net.getConfiguration().toJson());
    }

    /**
     * Why the sweep does not use DL4J's {@code clone()}: a clone shares configuration objects with its original, so
     * setting the clone's rate changes the original's configuration (this test would catch a sweep built that way).
     */
    @Test
    void dl4jsCloneSharesConfigurationWithTheOriginal() {
        MultiLayerNetwork net = TestData.mln(new Adam(1e-3));
        String json = net.getLayerWiseConfigurations().toJson();
        MultiLayerNetwork clone = net.clone();
        clone.setLearningRate(0.7);
        assertNotEquals(json, net.getLayerWiseConfigurations().toJson());
        assertEquals(0.7, net.getLearningRate(0), "the original's rate moved with the clone's");

        ComputationGraph graph = TestData.graphWithOneInput(new Adam(1e-3));
        String graphJson = graph.getConfiguration().toJson();
        graph.clone().setLearningRate(0.7);
        assertNotEquals(graphJson, graph.getConfiguration().toJson());
    }
}
