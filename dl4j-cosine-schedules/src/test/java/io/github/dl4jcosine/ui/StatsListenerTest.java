package io.github.dl4jcosine.ui;

import io.github.dl4jcosine.schedule.CosineAnnealingSchedule;
import io.github.dl4jcosine.schedule.CosineWarmRestartsSchedule;
import io.github.dl4jcosine.testing.TestNets;
import io.github.dl4jcosine.testing.TestNets.AppliedSgdRate;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.stats.api.StatsReport;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The DL4J UI's {@code StatsListener} (into an {@code InMemoryStatsStorage}; no UI server) charts exactly the rate
 * our schedule applied at each iteration: its {@code learningRates} per parameter equal the rate read back from
 * the parameters ({@link AppliedSgdRate}) and the hand-derived value.
 */
class StatsListenerTest {

    private static final double TOLERANCE = 1e-12;

    /** Trains with a StatsListener and an AppliedSgdRate; returns the reports, checking them against both. */
    private static void assertStatsMatch(ISchedule schedule, double[] expected, Consumer<MultiLayerNetwork> train) {
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Sgd(schedule)));
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        AppliedSgdRate applied = new AppliedSgdRate();
        net.setListeners(new StatsListener(storage, 1), applied);
        train.accept(net);

        String session = storage.listSessionIDs().get(0);
        String worker = storage.listWorkerIDsForSession(session).get(0);
        List<Persistable> updates = storage.getAllUpdatesAfter(session, StatsListener.TYPE_ID, worker, 0);
        assertEquals(expected.length, updates.size(), "one report per iteration");
        assertEquals(expected.length, applied.rates.size());
        for (int k = 0; k < expected.length; k++) {
            StatsReport report = (StatsReport) updates.get(k);
            assertEquals(k, report.getIterationCount());
            Map<String, Double> charted = report.getLearningRates();
            assertEquals(4, charted.size(), "W and b of both layers: " + charted);
            for (Map.Entry<String, Double> e : charted.entrySet()) {
                assertEquals(expected[k], e.getValue(), TOLERANCE * expected[k], "charted " + e.getKey() + " at " + k);
                assertEquals(applied.rates.get(k), e.getValue(), 1e-9 * expected[k], "applied at " + k);
            }
        }
    }

    @Test
    void statsListenerChartsTheAppliedRateOfARestartsSchedule() {
        // SGDR ITERATION 0.1 -> 0.01, T_0 = 4, T_mult = 2: cycles [0, 4) and [4, 12),
        // lr = 0.01 + 0.045 (1 + cos(pi (k - start) / length)):
        // python3 -c "from math import *; print([0.01+0.045*(1+cos(pi*(k if k<4 else k-4)/(4 if k<4 else 8))) for k in range(12)])"
        double[] expected = {0.09999999999999999, 0.08681980515339463, 0.055, 0.023180194846605363,
            0.09999999999999999, 0.09657457896300789, 0.08681980515339463, 0.07222075445642905, 0.055,
            0.03777924554357096, 0.023180194846605363, 0.013425421036992097};
        assertStatsMatch(new CosineWarmRestartsSchedule(ScheduleType.ITERATION, 0.1, 0.01, 4, 2.0), expected, net -> {
            DataSet data = TestNets.data();
            for (int k = 0; k < expected.length; k++) {
                net.fit(data);
            }
        });
    }

    @Test
    void statsListenerChartsTheAppliedRateOfAFractionalEpochSchedule() {
        // Cosine EPOCH 0.1 -> 0.01 over 3 epochs, 3 iterations per epoch (12 examples, batch 4), t = k / 3:
        // lr = 0.01 + 0.045 (1 + cos(pi k / 9)):
        // python3 -c "from math import *; print([0.01+0.045*(1+cos(pi*k/9)) for k in range(9)])"
        double[] expected = {0.09999999999999999, 0.09728616793536587, 0.089471999940354, 0.0775,
            0.06281416799501187, 0.04718583200498814, 0.03250000000000001, 0.020528000059645994,
            0.012713832064634126};
        assertStatsMatch(new CosineAnnealingSchedule(ScheduleType.EPOCH, 0.1, 0.01, 3, 3), expected,
                net -> net.fit(new ListDataSetIterator<>(new ArrayList<>(TestNets.data().asList()), 4), 3));
    }
}
