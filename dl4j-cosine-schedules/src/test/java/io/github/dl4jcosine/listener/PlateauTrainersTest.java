package io.github.dl4jcosine.listener;

import io.github.dl4jcosine.listener.PlateauListenerTest.Recording;
import io.github.dl4jcosine.schedule.PlateauSchedule;
import io.github.dl4jcosine.testing.Printed;
import io.github.dl4jcosine.testing.TestNets;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.EarlyStoppingResult;
import org.deeplearning4j.earlystopping.listener.EarlyStoppingListener;
import org.deeplearning4j.earlystopping.saver.InMemoryModelSaver;
import org.deeplearning4j.earlystopping.scorecalc.DataSetLossCalculator;
import org.deeplearning4j.earlystopping.scorecalc.ScoreCalculator;
import org.deeplearning4j.earlystopping.termination.MaxEpochsTerminationCondition;
import org.deeplearning4j.earlystopping.trainer.EarlyStoppingGraphTrainer;
import org.deeplearning4j.earlystopping.trainer.EarlyStoppingTrainer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

import static io.github.dl4jcosine.listener.PlateauListenerTest.PER_EPOCH;
import static io.github.dl4jcosine.listener.PlateauListenerTest.demanding;
import static io.github.dl4jcosine.listener.PlateauListenerTest.train;
import static io.github.dl4jcosine.listener.PlateauListenerTest.validation;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyDouble;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/** PlateauListener with DL4J's other trainers: EarlyStoppingTrainer (its score drives) and ParallelWrapper. */
class PlateauTrainersTest {

    /**
     * The trainer's per-epoch score is the one reported, at the counters of the next update: no second evaluation,
     * even with the listener also among the network's listeners.
     */
    @Test
    void earlyStoppingScoreDrivesTheSchedule() {
        PlateauSchedule s = demanding();
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Adam(s)));
        Recording trainerScore = new Recording(new DataSetLossCalculator(validation(), true));
        Recording own = new Recording(new DataSetLossCalculator(validation(), true));
        PlateauListener plateau = new PlateauListener(own);
        net.setListeners(plateau);
        @SuppressWarnings("unchecked")
        EarlyStoppingListener<MultiLayerNetwork> mine = mock(EarlyStoppingListener.class);
        EarlyStoppingConfiguration<MultiLayerNetwork> es = new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
                .epochTerminationConditions(new MaxEpochsTerminationCondition(6))
                .scoreCalculator(trainerScore).modelSaver(new InMemoryModelSaver<>()).build();
        EarlyStoppingResult<MultiLayerNetwork> result = new EarlyStoppingTrainer(es, net, train(),
                plateau.earlyStopping(mine)).fit();

        assertEquals(6, result.getTotalEpochs());
        assertEquals(6, trainerScore.calls.size(), "the trainer's one evaluation per epoch");
        assertEquals(0, own.calls.size(), "no second evaluation");
        PlateauSchedule expected = demanding();
        for (Map.Entry<Integer, Double> e : new TreeMap<>(result.getScoreVsEpoch()).entrySet()) {
            expected.report(PER_EPOCH * (e.getKey() + 1), e.getKey() + 1, e.getValue());
        }
        assertEquals(expected, s);
        assertTrue(s.getState().reductionCount() >= 2, s.toString());
        verify(mine).onStart(any(), any());
        verify(mine, times(6)).onEpoch(anyInt(), anyDouble(), any(), any());
        verify(mine).onCompletion(any());

        // after the trainer, the listener evaluates for itself again
        net.fit(train());
        assertEquals(1, own.calls.size());
    }

    @Test
    void earlyStoppingWithAComputationGraph() {
        PlateauSchedule s = demanding();
        ComputationGraph net = TestNets.graph(TestNets.graphConf(new Adam(s)));
        Recording score = new Recording(new DataSetLossCalculator(validation(), true));
        EarlyStoppingConfiguration<ComputationGraph> es = new EarlyStoppingConfiguration.Builder<ComputationGraph>()
                .epochTerminationConditions(new MaxEpochsTerminationCondition(4))
                .scoreCalculator(score).modelSaver(new InMemoryModelSaver<>()).build();
        PlateauListener plateau = new PlateauListener(score);
        new EarlyStoppingGraphTrainer(es, net, train(), plateau.earlyStopping()).fit();
        assertEquals(4, score.calls.size());
        assertEquals(4 * PER_EPOCH, s.getState().getLastReportIteration());
        assertTrue(s.getState().reductionCount() >= 1, s.toString());
    }

    /** A trainer whose calculator maximizes (an accuracy) and a MIN schedule: refused before training. */
    @Test
    void earlyStoppingModeContradictionIsRefused() {
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Adam(demanding())));
        double[] initial = net.params().toDoubleVector();
        ScoreCalculator<MultiLayerNetwork> accuracy = new ScoreCalculator<MultiLayerNetwork>() {
            @Override
            public double calculateScore(MultiLayerNetwork network) {
                return 0.5;
            }

            @Override
            public boolean minimizeScore() {
                return false;
            }
        };
        EarlyStoppingConfiguration<MultiLayerNetwork> es = new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
                .epochTerminationConditions(new MaxEpochsTerminationCondition(2))
                .scoreCalculator(accuracy).modelSaver(new InMemoryModelSaver<>()).build();
        PlateauListener plateau = new PlateauListener(new DataSetLossCalculator(validation(), true));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new EarlyStoppingTrainer(es, net, train(), plateau.earlyStopping()).fit());
        assertTrue(e.getMessage().contains("has mode MIN but the score calculator")
                && e.getMessage().contains("maximizes its score (minimizeScore() = false): use mode MAX"), e.getMessage());
        assertArrayEquals(initial, net.params().toDoubleVector(), 0.0);
    }

    /** By phase: the replicas that trained, and the learning rate their updaters gave for each of their updates. */
    static final class ReplicaRates extends BaseTrainingListener {
        volatile int phase;
        final Map<Integer, Set<Model>> models = new ConcurrentHashMap<>();
        final Map<Integer, Set<Double>> rates = new ConcurrentHashMap<>();

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            models.computeIfAbsent(phase, k -> Collections.synchronizedSet(
                    Collections.newSetFromMap(new IdentityHashMap<>()))).add(model);
            Adam adam = (Adam) ((MultiLayerNetwork) model).getLayer(0).getConfig().getUpdaterByParam("W");
            rates.computeIfAbsent(phase, k -> new ConcurrentSkipListSet<>())
                    .add(adam.getLearningRateSchedule().valueAt(iteration, epoch));
        }
    }

    /**
     * Attached to a ParallelWrapper the listener refuses before any update changes the network; reporting on the
     * wrapped network between fits works, because the wrapper rebuilds its workers from the network's JSON on every
     * fit: every replica applies the reduced rate in the next fit.
     */
    @Test
    @SuppressWarnings("try") // ParallelWrapper.close() declares InterruptedException
    void parallelWrapperRefusedAndReportingBetweenFitsWorks() throws Exception {
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Adam(demanding())));
        double[] initial = net.params().toDoubleVector();
        Nd4j.getRandom().setSeed(3);
        DataSet data = new DataSet(Nd4j.rand(24, 3), Nd4j.rand(24, 2));
        PlateauListener plateau = new PlateauListener(new DataSetLossCalculator(validation(), true));
        RuntimeException[] thrown = new RuntimeException[1];
        // ParallelWrapper logs each refusing worker's exception with its stack trace from the dying worker thread,
        // possibly after fit has thrown: wait for the workers to end before the capture ends.
        String err = Printed.stderrOf(() -> {
            try (ParallelWrapper wrapper = new ParallelWrapper.Builder<>(net).workers(2).prefetchBuffer(2)
                    .averagingFrequency(2).build()) {
                wrapper.setListeners(plateau);
                thrown[0] = assertThrows(RuntimeException.class,
                        () -> wrapper.fit(new ListDataSetIterator<>(data.asList(), 2)));
            }
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith("ParallelWrapper training thread")) {
                    t.join(60_000);
                }
            }
        });
        assertTrue(err.contains("PlateauListener cannot be attached to a ParallelWrapper"), err);
        RuntimeException e = thrown[0];
        Throwable cause = e;
        while (cause != null && !(cause instanceof IllegalStateException)) {
            cause = cause.getCause();
        }
        assertTrue(cause != null && cause.getMessage().contains("cannot be attached to a ParallelWrapper")
                && cause.getMessage().contains("plateau.reportEpoch(net)"), String.valueOf(e));
        assertEquals(0, net.getIterationCount());
        assertArrayEquals(initial, net.params().toDoubleVector(), 0.0);

        PlateauSchedule s = (PlateauSchedule) ((Adam) net.getLayer(0).getConfig().getUpdaterByParam("W"))
                .getLearningRateSchedule();
        net.setListeners(Collections.emptyList());   // the refused wrapper left the listener on its root network
        ReplicaRates replicas = new ReplicaRates();
        try (ParallelWrapper wrapper = new ParallelWrapper.Builder<>(net).workers(2).prefetchBuffer(2)
                .averagingFrequency(2).build()) {
            wrapper.setListeners(replicas);
            wrapper.fit(new ListDataSetIterator<>(data.asList(), 2));
            plateau.report(net, 1.0);
            net.incrementEpochCount();
            replicas.phase = 1;
            wrapper.fit(new ListDataSetIterator<>(data.asList(), 2));
            plateau.report(net, 2.0);     // worse: patience 0, a reduction from the network's next update on
            net.incrementEpochCount();
            replicas.phase = 2;
            wrapper.fit(new ListDataSetIterator<>(data.asList(), 2));
        }
        assertEquals(1, s.getState().reductionCount());
        assertEquals(net.getIterationCount() - 6, s.getState().getReductionIterations()[0],
                "24 examples in minibatches of 2 over 2 workers: 6 updates per replica and fit");
        for (int phase = 0; phase < 3; phase++) {
            assertEquals(2, replicas.models.get(phase).size(), "two replicas in fit " + phase);
            assertTrue(replicas.models.get(phase).contains(net), "worker 0 trains the network itself");
        }
        Set<Model> all = Collections.newSetFromMap(new IdentityHashMap<>());
        replicas.models.values().forEach(all::addAll);
        assertEquals(4, all.size(), "the other worker's replica is rebuilt from the network's JSON on every fit");
        assertEquals(Set.of(0.05), replicas.rates.get(0));
        assertEquals(Set.of(0.05), replicas.rates.get(1));
        assertEquals(Set.of(0.025), replicas.rates.get(2), "both workers apply the reduction");
    }
}
