package io.github.dl4jcosine.listener;

import io.github.dl4jcosine.internal.UpdaterLayers;
import io.github.dl4jcosine.schedule.CosineAnnealingSchedule;
import io.github.dl4jcosine.testing.TestNets;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.schedule.ScheduleType.EPOCH;

/**
 * {@code ParallelWrapper} (2 workers) rebuilds worker replicas from the configuration JSON, so the schedule
 * must survive JSON, and it never increments the epoch counter, so an {@code EPOCH} schedule stands still
 * unless the training loop calls {@code incrementEpochCount()} after each {@code fit}.
 */
class ParallelWrapperIntegrationTest {

    /** Records, thread-safely, the learning rate each worker's updater applies, per epoch counter seen. */
    static final class WorkerRates extends BaseTrainingListener {
        final Map<Integer, Set<Double>> ratesByEpoch = Collections.synchronizedMap(new TreeMap<>());
        final Set<Model> workers = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            workers.add(model);
            double lr = UpdaterLayers.of(model).get(0).updater.getLearningRate(iteration, epoch);
            ratesByEpoch.computeIfAbsent(epoch, e -> Collections.synchronizedSet(new TreeSet<>())).add(lr);
        }
    }

    @SuppressWarnings("try") // ParallelWrapper.close() declares InterruptedException (javac -Xlint:try)
    private static WorkerRates train(boolean incrementEpochs) throws Exception {
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Sgd(new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 4))));
        Nd4j.getRandom().setSeed(3);
        DataSet data = new DataSet(Nd4j.rand(16, 3), Nd4j.rand(16, 2));
        WorkerRates rates = new WorkerRates();
        try (ParallelWrapper wrapper = new ParallelWrapper.Builder<>(net).workers(2).prefetchBuffer(2)
                .averagingFrequency(2).build()) {
            wrapper.setListeners(rates);
            for (int epoch = 0; epoch < 3; epoch++) {
                wrapper.fit(new ListDataSetIterator<>(data.asList(), 2));
                if (incrementEpochs) {
                    net.incrementEpochCount();
                }
            }
        }
        assertTrue(rates.workers.size() >= 2, "at least two worker models trained");
        return rates;
    }

    /** Without help, every worker sees epoch 0 for the whole run: the EPOCH schedule never moves. */
    @Test
    void epochCounterNeverMovesOnItsOwn() throws Exception {
        WorkerRates rates = train(false);
        assertEquals(Set.of(0), rates.ratesByEpoch.keySet());
        assertEquals(Set.of(0.1), rates.ratesByEpoch.get(0));
    }

    /**
     * With {@code net.incrementEpochCount()} after each {@code wrapper.fit(...)}, the replicas built from the
     * JSON carry the epoch and apply the cosine: 0.1, 0.1 * (1 + cos(pi / 4)) / 2, 0.05 in epochs 0, 1, 2.
     */
    @Test
    void incrementingTheEpochAdvancesTheSchedule() throws Exception {
        WorkerRates rates = train(true);
        assertEquals(Set.of(0, 1, 2), rates.ratesByEpoch.keySet());
        assertEquals(Set.of(0.1), rates.ratesByEpoch.get(0));
        assertEquals(0.08535533905932738, rates.ratesByEpoch.get(1).iterator().next(), 1e-15);
        assertEquals(1, rates.ratesByEpoch.get(1).size());
        assertEquals(Set.of(0.05), rates.ratesByEpoch.get(2));
    }
}
