package io.github.dl4jcosine.schedule;

import io.github.dl4jcosine.check.ScheduleCheck;
import io.github.dl4jcosine.preview.SchedulePreview;
import io.github.dl4jcosine.preview.SeamReport;
import io.github.dl4jcosine.schedule.WarmupStableDecaySchedule.Shape;
import io.github.dl4jcosine.testing.TestNets;
import io.github.dl4jcosine.testing.TestNets.AppliedSgdRate;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;

import static io.github.dl4jcosine.schedule.ScheduleContract.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.verify;
import static org.nd4j.linalg.schedule.ScheduleType.EPOCH;
import static org.nd4j.linalg.schedule.ScheduleType.ITERATION;

/**
 * OneCycleSchedule and WarmupStableDecaySchedule in real DL4J training (the applied rate read back from the
 * parameters, as in {@link SgdTrainingIntegrationTest}), as Nesterovs' momentum schedule, inside the wrappers,
 * and as seen by ScheduleInfo, ScheduleCheck and SchedulePreview's seam check.
 */
class OneCycleWsdIntegrationTest {

    /** 0.01 -> 0.1 -> 0 over T = 6, peakFraction 0.5: phase ends 0.5 * 6 - 1 = 2 and 5. */
    private static final OneCycleSchedule ONE_CYCLE = new OneCycleSchedule(ITERATION, 0.01, 0.1, 0.0, 6, 0.5, false);
    /** Warmup 0 -> 0.1 over 2, stable 1, cosine to 0.01 over 2. */
    private static final WarmupStableDecaySchedule WSD = new WarmupStableDecaySchedule(ITERATION, 0.1, 0.0, 0.01,
            2, 1, 2, Shape.LINEAR, Shape.COSINE);

    /**
     * Hand derivation: update 0 is PyTorch's 0.1 + (0.01 - 0.1) = 0.010000000000000009, update 1 halfway up
     * (0.055), update 2 the peak, then the cosine over 3 updates: 0.1 (1 + cos(pi/3)) / 2 = 0.075,
     * 0.1 (1 + cos(2 pi/3)) / 2 = 0.025, 0 at update 5 and after.
     */
    @Test
    void oneCycleDrivesEachUpdateOfAMultiLayerNetwork() {
        AppliedSgdRate rates = new AppliedSgdRate();
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Sgd(ONE_CYCLE)));
        net.setListeners(rates);
        DataSet data = TestNets.data();
        for (int i = 0; i < 7; i++) {
            net.fit(data);
        }
        assertRates(new double[] {0.010000000000000009, 0.055, 0.1, 0.075, 0.025, 0.0, 0.0}, rates.rates);
    }

    /**
     * Hand derivation: warmup 0, 0.05; the peak at 2 (end of warmup) and 3 (stable, and the first decay
     * update is down(0) = 1); halfway down the cosine at 4: 0.01 + 0.09 / 2 = 0.055; 0.01 from 5 on.
     */
    @Test
    void wsdDrivesEachUpdateOfAComputationGraph() {
        AppliedSgdRate rates = new AppliedSgdRate();
        ComputationGraph net = TestNets.graph(TestNets.graphConf(new Sgd(WSD)));
        net.setListeners(rates);
        DataSet data = TestNets.data();
        for (int i = 0; i < 7; i++) {
            net.fit(data);
        }
        assertRates(new double[] {0.0, 0.05, 0.1, 0.1, 0.055, 0.01, 0.01}, rates.rates);
    }

    /**
     * Fractional epochs in training: WSD in epochs (warmup 1, stable 1, linear decay 2 to 0) with 2 updates per
     * epoch, fit(iterator, 4) over 2 minibatches: t = 0, 0.5, 1, ..., 3.5 gives 0, 0.05, 0.1, 0.1, 0.1 (first
     * decay update), 0.075, 0.05, 0.025.
     */
    @Test
    void fractionalEpochWsdInTraining() {
        AppliedSgdRate rates = new AppliedSgdRate();
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Sgd(new WarmupStableDecaySchedule(EPOCH, 0.1, 0.0,
                0.0, 1, 1, 2, Shape.LINEAR, Shape.LINEAR, 2))));
        net.setListeners(rates);
        net.fit(new ListDataSetIterator<>(TestNets.data().asList(), 6), 4);
        assertRates(new double[] {0.0, 0.05, 0.1, 0.1, 0.1, 0.075, 0.05, 0.025}, rates.rates);
    }

    /** Nesterovs(rate, momentum) asks the momentum schedule at every update with DL4J's counters. */
    @Test
    void oneCycleMomentumDrivesNesterovs() {
        ISchedule momentum = spy(Schedules.oneCycleMomentum(ITERATION, 10));
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Nesterovs(Schedules.oneCycle(ITERATION, 0.1, 10),
                momentum)));
        DataSet data = TestNets.data();
        for (int i = 0; i < 4; i++) {
            net.fit(data);
        }
        ArgumentCaptor<Integer> iterations = ArgumentCaptor.forClass(Integer.class);
        ArgumentCaptor<Integer> epochs = ArgumentCaptor.forClass(Integer.class);
        verify(momentum, atLeastOnce()).valueAt(iterations.capture(), epochs.capture());
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < iterations.getAllValues().size(); i++) {
            seen.add(iterations.getAllValues().get(i) + "/" + epochs.getAllValues().get(i));
        }
        assertEquals(Set.of("0/0", "1/0", "2/0", "3/0"), seen);
        assertFalse(net.params().isNaN().any() || net.params().isInfinite().any());
    }

    /** Inside wrappers: a warmup in front (shifted by its length), a sequence, a product. */
    @Test
    void insideWrappers() {
        LinearWarmupSchedule warm = new LinearWarmupSchedule(ITERATION, 4, 0.0, WSD);
        SequentialSchedule seq = new SequentialSchedule(ITERATION, Arrays.asList(ONE_CYCLE, WSD), new int[] {6});
        ProductSchedule scaled = Schedules.scaled(ONE_CYCLE, 0.5);
        // hand values: warmup 0 -> WSD(0) = 0 over 4 is flat 0; then WSD shifted by 4
        double[] wsd = {0.0, 0.05, 0.1, 0.1, 0.055, 0.01, 0.01};
        double[] oneCycle = {0.010000000000000009, 0.055, 0.1, 0.075, 0.025, 0.0, 0.0};
        for (int t = 0; t < 7; t++) {
            assertEquals(wsd[t], warm.valueAt(t + 4, 0), 1e-15, "warmup then WSD at " + (t + 4));
            assertEquals(oneCycle[t], seq.valueAt(t, 0), 1e-15, "sequence, one-cycle part at " + t);
            assertEquals(wsd[t], seq.valueAt(t + 6, 0), 1e-15, "sequence, WSD part at " + (t + 6));
            assertEquals(0.5 * oneCycle[t], scaled.valueAt(t, 0), 1e-15, "scaled one-cycle at " + t);
        }
        assertRejected("has scheduleType=ITERATION but its wrapper has scheduleType=EPOCH",
                () -> new LinearWarmupSchedule(EPOCH, 2, 0.0, ONE_CYCLE));
        assertRejected("has iterationsPerEpoch=390 but its wrapper has iterationsPerEpoch=0",
                () -> new SequentialSchedule(EPOCH, Arrays.asList(new FixedSchedule(0.1),
                        new WarmupStableDecaySchedule(EPOCH, 0.1, 0.0, 0.0, 1, 1, 1, Shape.LINEAR, Shape.COSINE, 390)),
                        new int[] {1}, 0));
    }

    /**
     * Horizons: a one-cycle ends at its last update T - 1 (29 epochs of 390: 11,310 iterations), a WSD at
     * W + S + D (100,000); a warmup of 100 before a sequence switching at 500 to a WSD of 500 ends at 1,100.
     */
    @Test
    void horizons() {
        assertEquals(OptionalDouble.of(11310), ScheduleInfo.horizonInIterations(
                new OneCycleSchedule(EPOCH, 0.004, 0.1, 4e-7, 30, 0.3, true, 390), 390));
        assertEquals(OptionalDouble.of(100000), ScheduleInfo.horizonInIterations(Schedules.wsd(ITERATION, 3e-4, 2000,
                88000, 10000), 390));
        assertEquals(OptionalDouble.of(1100), ScheduleInfo.horizonInIterations(new LinearWarmupSchedule(ITERATION,
                100, 0.0, new SequentialSchedule(ITERATION, Arrays.asList(Schedules.oneCycle(ITERATION, 0.1, 500),
                Schedules.wsd(ITERATION, 0.1, 0, 300, 200)), new int[] {500})), 390));
        assertEquals(EPOCH, ScheduleInfo.unitOf(Schedules.wsd(EPOCH, 0.1, 1, 2, 3)));
        assertEquals(390, ScheduleInfo.iterationsPerEpochOf(new OneCycleSchedule(EPOCH, 0.004, 0.1, 4e-7, 30, 0.3,
                false, 390)));
    }

    /** ScheduleCheck knows both: a run-long one-cycle passes; one meant in epochs but set in iterations is an ERROR. */
    @Test
    void scheduleCheckKnowsThem() {
        ScheduleCheck check = ScheduleCheck.forTraining(30, 390);
        assertEquals(List.of(), check.check(new OneCycleSchedule(EPOCH, 0.004, 0.1, 4e-7, 30, 0.3, false, 390)));
        assertEquals(List.of(), check.check(Schedules.oneCycle(ITERATION, 0.1, 30 * 390)));
        assertEquals(List.of(), check.check(new WarmupStableDecaySchedule(EPOCH, 0.1, 0.0, 0.0, 1, 25, 4,
                Shape.LINEAR, Shape.ONE_MINUS_SQRT, 390)));
        List<ScheduleCheck.Finding> findings = check.check(Schedules.oneCycle(ITERATION, 0.1, 30));
        assertEquals(1, findings.size(), findings.toString());
        assertEquals(ScheduleCheck.Severity.ERROR, findings.get(0).severity());
        assertEquals(1, check.check(Schedules.wsd(ITERATION, 0.1, 1, 20, 9)).size());
    }

    /**
     * The seam check finds no jump in either schedule, over every shape; a hand-made sequence whose one-cycle
     * starts at 0.004 after a warmup to 0.1 jumps down at the seam.
     */
    @Test
    void previewAndSeamCheck() {
        assertTrue(SchedulePreview.iterations(Schedules.oneCycle(ITERATION, 0.1, 1000), 1100, 100).checkSeams()
                .jumps().isEmpty());
        assertTrue(SchedulePreview.iterations(new OneCycleSchedule(ITERATION, 0.004, 0.1, 4e-7, 1000, 0.25, true),
                1100, 100).checkSeams().jumps().isEmpty());
        for (Shape up : Shape.values()) {
            for (Shape down : Shape.values()) {
                WarmupStableDecaySchedule s = new WarmupStableDecaySchedule(ITERATION, 0.1, 0.0, 0.001, 100, 300, 200,
                        up, down);
                SeamReport r = SchedulePreview.iterations(s, 700, 100).checkSeams();
                assertTrue(r.jumps().isEmpty(), s + ": " + r);
            }
        }
        SequentialSchedule bad = new SequentialSchedule(ITERATION, Arrays.asList(new LinearSchedule(ITERATION, 0.0,
                0.1, 100), Schedules.oneCycle(ITERATION, 0.1, 1000)), new int[] {100});
        List<SeamReport.Jump> jumps = SchedulePreview.iterations(bad, 1200, 100).checkSeams().jumps();
        assertEquals(1, jumps.size(), jumps.toString());
        assertEquals(100, jumps.get(0).iteration());
    }

    private static void assertRates(double[] expected, List<Double> actual) {
        assertEquals(expected.length, actual.size());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual.get(i), 1e-12, "learning rate of update " + i);
        }
    }
}
