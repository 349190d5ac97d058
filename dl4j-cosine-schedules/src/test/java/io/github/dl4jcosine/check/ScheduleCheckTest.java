package io.github.dl4jcosine.check;

import io.github.dl4jcosine.schedule.CosineAnnealingSchedule;
import io.github.dl4jcosine.schedule.CosineWarmRestartsSchedule;
import io.github.dl4jcosine.schedule.LinearSchedule;
import io.github.dl4jcosine.schedule.LinearWarmupSchedule;
import io.github.dl4jcosine.schedule.OneCycleSchedule;
import io.github.dl4jcosine.schedule.ProductSchedule;
import io.github.dl4jcosine.schedule.Schedules;
import io.github.dl4jcosine.schedule.SequentialSchedule;
import io.github.dl4jcosine.schedule.WarmupCosineSchedule;
import io.github.dl4jcosine.testing.Printed;
import io.github.dl4jcosine.testing.TestNets;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.CycleSchedule;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.StepSchedule;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.schedule.ScheduleType.EPOCH;
import static org.nd4j.linalg.schedule.ScheduleType.ITERATION;

class ScheduleCheckTest {

    private static final ScheduleCheck CIFAR = ScheduleCheck.forTraining(90, 390);

    private static ScheduleCheck.Finding only(List<ScheduleCheck.Finding> findings) {
        assertEquals(1, findings.size(), findings.toString());
        return findings.get(0);
    }

    @Test
    void wellConfiguredSchedulesPass() {
        assertEquals(List.of(), CIFAR.check(new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 90)));
        assertEquals(List.of(), CIFAR.check(new FixedSchedule(0.1)), "a constant rate has no horizon to check");
        assertEquals(List.of(), CIFAR.check(new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 90, 390)));
        assertEquals(List.of(), CIFAR.check(new CosineAnnealingSchedule(ITERATION, 0.1, 0.0, 90 * 390)));
        assertEquals(List.of(), CIFAR.check(new WarmupCosineSchedule(EPOCH, 0.1, 0.0, 0.0, 5, 90, 390)));
        // SGDR 10 + 20 + 40 = 70 epochs ends exactly where a cycle ends
        assertEquals(List.of(), problems(ScheduleCheck.forTraining(70, 390)
                .check(new CosineWarmRestartsSchedule(EPOCH, 0.1, 0.0, 10, 2.0))));
    }

    /** T_max = 90 meant in epochs on an ITERATION schedule: over after 90 of 35,100 updates. */
    @Test
    void iterationHorizonWithinFirstEpoch() {
        ScheduleCheck.Finding f = only(CIFAR.check(new CosineAnnealingSchedule(ITERATION, 0.1, 0.0, 90)));
        assertEquals(ScheduleCheck.Severity.ERROR, f.severity());
        assertEquals(ScheduleCheck.Kind.HORIZON_UNIT, f.kind());
        assertTrue(f.message().startsWith("CosineAnnealingSchedule (ITERATION) ends at iteration 90, within the first"
                + " epoch of 390 iterations, and then holds 0.00 for the rest of the 90 epochs. Periods meant in epochs?"),
                f.message());
    }

    @Test
    void horizonFarShorterOrLongerThanTheRun() {
        ScheduleCheck.Finding shorter = only(CIFAR.check(new CosineAnnealingSchedule(EPOCH, 0.1, 0.001, 30)));
        assertEquals(ScheduleCheck.Severity.WARNING, shorter.severity());
        assertEquals(ScheduleCheck.Kind.HORIZON_SHORT, shorter.kind());
        assertTrue(shorter.message().startsWith("CosineAnnealingSchedule ends at epoch 30.0 of 90: the last 60.0 epochs"
                + " run at 0.00100"), shorter.message());
        // 90 of 300 epochs; the last update is in epoch 89: 0.1 * (1 + cos(89 pi / 300)) / 2 = 0.0798
        ScheduleCheck.Finding longer = only(CIFAR.check(new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 300)));
        assertEquals(ScheduleCheck.Kind.HORIZON_LONG, longer.kind());
        assertTrue(longer.message().startsWith("training stops at 30% of CosineAnnealingSchedule (which ends at epoch"
                + " 300.0): the rate only falls to 0.0798, not to 0.00"), longer.message());
    }

    /**
     * A run of more than Integer.MAX_VALUE updates (10 epochs of 300,000,000): DL4J's iteration counter stops at
     * Integer.MAX_VALUE, the epoch counter does not. The last update (2,999,999,999) is in epoch 9:
     * 0.1 * (1 + cos(9 pi / 100)) / 2 = 0.0980; the schedule ends at epoch 100 at 0.0. (Sampled at the epoch of the
     * capped iteration, 2,147,483,647 / 300,000,000 = 7, both would read 0.0988.)
     */
    @Test
    void runLongerThanTheIterationCounter() {
        ScheduleCheck.Finding f = only(ScheduleCheck.forTraining(10, 300_000_000)
                .check(new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 100)));
        assertEquals(ScheduleCheck.Severity.WARNING, f.severity());
        assertEquals(ScheduleCheck.Kind.HORIZON_LONG, f.kind());
        assertTrue(f.message().startsWith("training stops at 10% of CosineAnnealingSchedule (which ends at epoch"
                + " 100.0): the rate only falls to 0.0980, not to 0.00"), f.message());
    }

    @Test
    void fractionalEpochsMustMatchTheRun() {
        ScheduleCheck.Finding f = only(CIFAR.check(new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 90, 391)));
        assertEquals(ScheduleCheck.Severity.WARNING, f.severity(), "off by a partial batch");
        assertEquals(ScheduleCheck.Kind.ITERATIONS_PER_EPOCH, f.kind());
        // examples per epoch (390 x 128 = 49,920) instead of iterations: the unit error
        assertEquals(ScheduleCheck.Severity.ERROR,
                only(CIFAR.check(new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 90, 49_920))).severity());
        assertEquals("CosineAnnealingSchedule has iterationsPerEpoch=391 but training runs 390 iterations per epoch:"
                + " set iterationsPerEpoch=390", f.message());
    }

    /**
     * SGDR 10, 20, 40 epochs, stopped at 50: half-way through the cycle that runs from 30 to 70; the last epoch,
     * 49, is 19 into it: 0.1 * (1 + cos(19 pi / 40)) / 2 = 0.0539.
     */
    @Test
    void restartsCutOffMidCycle() {
        ScheduleCheck.Finding f = only(problems(ScheduleCheck.forTraining(50, 100)
                .check(new CosineWarmRestartsSchedule(EPOCH, 0.1, 0.0, 10, 2.0))));
        assertEquals(ScheduleCheck.Severity.ERROR, f.severity());
        assertEquals(ScheduleCheck.Kind.RESTART_CUT, f.kind());
        assertTrue(f.message().startsWith("training ends part-way through restart cycle 2 (50% of it), at a rate of"
                + " 0.0539. End the run where a cycle ends: at epoch 70, not 50"), f.message());
    }

    /** A warmup to 0.1 followed by a cosine from 0.05: a jump down at epoch 5. */
    @Test
    void seamJump() {
        ISchedule s = new SequentialSchedule(EPOCH, Arrays.asList(new LinearSchedule(EPOCH, 0.0, 0.1, 5, 10),
                new CosineAnnealingSchedule(EPOCH, 0.05, 0.0, 15, 10)), new int[] {5}, 10);
        ScheduleCheck.Finding f = only(ScheduleCheck.forTraining(20, 10).check(s));
        assertEquals(ScheduleCheck.Severity.ERROR, f.severity());
        assertEquals(ScheduleCheck.Kind.SEAM_JUMP, f.kind());
        assertTrue(f.message().startsWith("SequentialSchedule has a jump down at iteration 50 (epoch 5): 0.0980000 ->"
                + " 0.0500000"), f.message());
    }

    /** AdaGrad on the global builder loses its schedule: every layer's rate is NaN. */
    @Test
    void adaGradThatLostItsSchedule() {
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new AdaGrad(new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 90))));
        List<ScheduleCheck.Finding> findings = CIFAR.check(net);
        assertEquals(2, findings.size());
        assertEquals(ScheduleCheck.Severity.ERROR, findings.get(0).severity());
        assertEquals(List.of(ScheduleCheck.Kind.NAN_RATE, ScheduleCheck.Kind.NAN_RATE), kinds(findings));
        assertTrue(findings.get(0).message().startsWith("layer 'layer0' (AdaGrad) has learning rate NaN: AdaGrad.clone()"
                + " in DL4J 1.0.0-M2.1 drops the schedule"), findings.get(0).message());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CIFAR.checkOrThrow(net));
        assertTrue(e.getMessage().startsWith("learning-rate schedule check failed:\n  ERROR: layer 'layer0' (AdaGrad)"));
    }

    @Test
    void networkWithOneScheduleIsCheckedOnce() {
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Adam(new CosineAnnealingSchedule(ITERATION, 0.1, 0.0, 90))));
        ScheduleCheck.Finding f = only(CIFAR.check(net));
        assertTrue(f.message().startsWith("layer 'layer0': CosineAnnealingSchedule (ITERATION) ends at iteration 90"));
        assertEquals(ScheduleCheck.Kind.HORIZON_UNIT, f.kind(), "the kind survives the layer prefix");
        CIFAR.checkOrThrow(TestNets.mln(TestNets.mlnConf(new Adam(new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 90)))));
    }

    /** fit(DataSet) loops never move the epoch counter: the listener says so after 2 planned epochs (6 updates). */
    @Test
    void listenerSeesAStuckEpochCounter() {
        assertStuckAfterSixUpdates(new Sgd(new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 4)));
        DataSet data = TestNets.data();

        MultiLayerNetwork strict = TestNets.mln(TestNets.mlnConf(new Sgd(new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 4))));
        strict.setListeners(new ScheduleCheckListener(4, 3, true));
        for (int i = 0; i < 5; i++) {
            strict.fit(data);
        }
        String err = Printed.stderrOf(() -> assertThrows(IllegalStateException.class, () -> strict.fit(data)));
        assertTrue(err.contains("ERROR") && err.contains("the epoch counter is still 0 after 6 updates"), err);

        MultiLayerNetwork epochs = TestNets.mln(TestNets.mlnConf(new Sgd(new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 4))));
        ScheduleCheckListener fine = new ScheduleCheckListener(4, 3, true);
        epochs.setListeners(fine);
        epochs.fit(new ListDataSetIterator<>(data.asList(), 4), 4);
        assertEquals(List.of(), fine.findings());
    }

    /**
     * The README's one-cycle pairing with its momentum period meant in epochs on an ITERATION schedule: the rate cycles
     * over all 90 x 390 = 35,100 updates, the momentum (0.95 -> 0.85 -> 0.95, PyTorch's total_steps = 90) ends at its
     * t = total_steps - 1 = 89, inside the first epoch of 390, and holds final_momentum = 0.95 (0.950 to 3 digits) for
     * the rest. Both layers share the schedules: one finding each, plus the warning that the cycles differ.
     */
    @Test
    void momentumScheduleInTheWrongUnit() {
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Nesterovs(Schedules.oneCycle(ITERATION, 0.1, 35_100),
                Schedules.oneCycleMomentum(ITERATION, 90))));
        List<ScheduleCheck.Finding> findings = CIFAR.check(net);
        assertEquals(2, findings.size(), findings.toString());
        assertEquals(ScheduleCheck.Severity.ERROR, findings.get(0).severity());
        assertEquals(List.of(ScheduleCheck.Kind.HORIZON_UNIT, ScheduleCheck.Kind.ONE_CYCLE_MISMATCH), kinds(findings));
        assertEquals("layer 'layer0' momentum schedule: OneCycleSchedule (ITERATION) ends at iteration 89, within the"
                + " first epoch of 390 iterations, and then holds 0.950 for the rest of the 90 epochs. Periods meant in"
                + " epochs? Use ScheduleType.EPOCH (with iterationsPerEpoch=390 to move every iteration), or multiply"
                + " the periods by 390", findings.get(0).message());
        assertEquals(ScheduleCheck.Severity.WARNING, findings.get(1).severity());
        assertTrue(findings.get(1).message().startsWith("layer 'layer0': its learning-rate and momentum"
                + " OneCycleSchedules cycle over different steps: totalPeriod=35100 (ITERATION), peakFraction=0.3 for"
                + " the rate, totalPeriod=90 (ITERATION), peakFraction=0.3 for the momentum."), findings.get(1).message());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CIFAR.checkOrThrow(net));
        assertTrue(e.getMessage().contains("ERROR: layer 'layer0' momentum schedule: OneCycleSchedule (ITERATION)"),
                e.getMessage());

        // the same momentum with a fixed rate (Nesterovs(double, ISchedule)): the momentum alone is reported
        MultiLayerNetwork fixedRate = TestNets.mln(TestNets.mlnConf(new Nesterovs(0.1,
                Schedules.oneCycleMomentum(ITERATION, 90))));
        assertTrue(only(CIFAR.check(fixedRate)).message().startsWith("layer 'layer0' momentum schedule:"
                + " OneCycleSchedule (ITERATION) ends at iteration 89, within the first epoch"));
    }

    /**
     * README recipe "one-cycle": 30 epochs of 391 updates, rate and momentum both ITERATION over 30 x 391 = 11,730;
     * and the Schedules javadoc's 11,700 = 30 x 390, in fractional epochs (30 epochs of 390) too. Momentum values that
     * would be rate errors are fine: 0 for the first 5 epochs (plain SGD, then momentum 0.9), and a short ramp
     * 0.5 -> 0.99 over the first 1,000 updates (a warmup, not a decay that ends early).
     */
    @Test
    void documentedMomentumSchedulesPass() {
        int total = 30 * 391;
        assertEquals(List.of(), ScheduleCheck.forTraining(30, 391).check(TestNets.mln(TestNets.mlnConf(new Nesterovs(
                Schedules.oneCycle(ITERATION, 0.1, total), Schedules.oneCycleMomentum(ITERATION, total))))));
        ScheduleCheck run = ScheduleCheck.forTraining(30, 390);
        assertEquals(List.of(), run.check(TestNets.mln(TestNets.mlnConf(new Nesterovs(
                Schedules.oneCycle(ITERATION, 0.1, 11_700), Schedules.oneCycleMomentum(ITERATION, 11_700))))));
        assertEquals(List.of(), run.check(TestNets.mln(TestNets.mlnConf(new Nesterovs(
                new OneCycleSchedule(EPOCH, 0.004, 0.1, 4e-7, 30, 0.3, false, 390),
                new OneCycleSchedule(EPOCH, 0.95, 0.85, 0.95, 30, 0.3, false, 390))))));

        ISchedule zeroFirst = new MapSchedule.Builder(EPOCH).add(0, 0.0).add(5, 0.9).build();
        assertEquals(ScheduleCheck.Severity.ERROR, only(CIFAR.check(zeroFirst)).severity(),
                "as a rate: epochs 0 to 4 at 0");
        assertEquals(ScheduleCheck.Kind.ZERO_RATE_EPOCHS, only(CIFAR.check(zeroFirst)).kind());
        assertEquals(List.of(), CIFAR.checkMomentum(zeroFirst));
        assertEquals(List.of(), CIFAR.check(TestNets.mln(TestNets.mlnConf(new Nesterovs(
                new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 90), new LinearSchedule(ITERATION, 0.5, 0.99, 1000))))));
    }

    /**
     * Rate and momentum one-cycles over different steps (PyTorch's OneCycleLR cycles both over the same total_steps).
     * Rate: 35,100 updates (ITERATION). Momentum 90 whole epochs: ends at epoch 89 = update 34,710, within the run's
     * bounds (no horizon finding), but stepped per epoch; or 90 fractional epochs of 391 instead of the rate's 390.
     */
    @Test
    void mismatchedOneCycleHorizonsWarn() {
        ScheduleCheck.Finding f = only(CIFAR.check(TestNets.mln(TestNets.mlnConf(new Nesterovs(
                Schedules.oneCycle(ITERATION, 0.1, 35_100), Schedules.oneCycleMomentum(EPOCH, 90))))));
        assertEquals(ScheduleCheck.Severity.WARNING, f.severity());
        assertEquals(ScheduleCheck.Kind.ONE_CYCLE_MISMATCH, f.kind());
        assertEquals("layer 'layer0': its learning-rate and momentum OneCycleSchedules cycle over different steps:"
                + " totalPeriod=35100 (ITERATION), peakFraction=0.3 for the rate, totalPeriod=90 (EPOCH),"
                + " peakFraction=0.3 for the momentum. PyTorch's OneCycleLR cycles both over the same steps and"
                + " phases: give both the same scheduleType, totalPeriod, iterationsPerEpoch, peakFraction and"
                + " threePhase", f.message());

        List<ScheduleCheck.Finding> perEpoch = problems(CIFAR.check(TestNets.mln(TestNets.mlnConf(new Nesterovs(
                new OneCycleSchedule(EPOCH, 0.004, 0.1, 4e-7, 90, 0.3, false, 390),
                new OneCycleSchedule(EPOCH, 0.95, 0.85, 0.95, 90, 0.3, false, 391))))));
        // 391 is a partial batch away from the run's 390: that WARNING for the momentum, then the mismatch
        assertEquals(2, perEpoch.size(), perEpoch.toString());
        assertEquals(List.of(ScheduleCheck.Kind.ITERATIONS_PER_EPOCH, ScheduleCheck.Kind.ONE_CYCLE_MISMATCH),
                kinds(perEpoch));
        assertEquals("layer 'layer0' momentum schedule: OneCycleSchedule has iterationsPerEpoch=391 but training runs"
                + " 390 iterations per epoch: set iterationsPerEpoch=390", perEpoch.get(0).message());
        assertTrue(perEpoch.get(1).message().contains("totalPeriod=90 (EPOCH, iterationsPerEpoch=390), peakFraction=0.3"
                + " for the rate, totalPeriod=90 (EPOCH, iterationsPerEpoch=391), peakFraction=0.3 for the momentum"),
                perEpoch.get(1).message());

        // same steps, other phases: the momentum's low point (PyTorch: at the rate's peak) would come elsewhere
        ScheduleCheck.Finding phases = only(CIFAR.check(TestNets.mln(TestNets.mlnConf(new Nesterovs(
                new OneCycleSchedule(ITERATION, 0.004, 0.1, 4e-7, 35_100, 0.3, false),
                new OneCycleSchedule(ITERATION, 0.95, 0.85, 0.95, 35_100, 0.25, true))))));
        assertTrue(phases.message().contains("totalPeriod=35100 (ITERATION), peakFraction=0.3 for the rate,"
                + " totalPeriod=35100 (ITERATION), peakFraction=0.25, three phases for the momentum"), phases.message());
    }

    /**
     * Momentum-specific wording. A one-cycle momentum over 3 x 35,100 = 105,300 updates on a 35,100-update run ends at
     * update 105,299 (epoch 105,299 / 390 = 270.0); training stops at 35,100 / 105,299 = 33%. The last update,
     * t = 35,099, is in phase 2 (from t = 0.3 x 105,300 - 1 = 31,589 to 105,299): pct = 3,510 / 73,710 = 0.047619,
     * PyTorch's _annealing_cos(0.85, 0.95, pct) = 0.95 - 0.05 (1 + cos(0.047619 pi)) = 0.95 - 0.05 x 1.98883 = 0.851.
     * SGDR momentum 0.95 -> 0.85 over 10, 20, 40 epochs, stopped at 50 (100 updates per epoch): epoch 49 is 19 into the
     * 40-epoch cycle 2: 0.85 + 0.1 (1 + cos(19 pi / 40)) / 2 = 0.85 + 0.05 x 1.07846 = 0.904.
     */
    @Test
    void momentumHorizonAndRestartMessages() {
        ScheduleCheck.Finding longer = only(CIFAR.checkMomentum(Schedules.oneCycleMomentum(ITERATION, 3 * 35_100)));
        assertEquals(ScheduleCheck.Severity.WARNING, longer.severity());
        assertEquals(ScheduleCheck.Kind.HORIZON_LONG, longer.kind());
        assertEquals("training stops at 33% of OneCycleSchedule (which ends at epoch 270.0): the momentum is 0.851 at"
                + " the last update instead of 0.950. Shorten the schedule to the run", longer.message());

        ScheduleCheck.Finding cut = onlyError(ScheduleCheck.forTraining(50, 100).check(TestNets.mln(TestNets.mlnConf(
                new Nesterovs(0.1, new CosineWarmRestartsSchedule(EPOCH, 0.95, 0.85, 10, 2.0))))));
        assertEquals(ScheduleCheck.Kind.RESTART_CUT, cut.kind());
        assertEquals("layer 'layer0' momentum schedule: training ends part-way through restart cycle 2 (50% of it), at"
                + " a momentum of 0.904. End the run where a cycle ends: at epoch 70, not 50", cut.message());
    }

    /** An EPOCH momentum schedule stands still in fit(DataSet) loops too: stuck after 2 planned epochs (6 updates). */
    @Test
    void listenerSeesAStuckEpochCounterForMomentum() {
        assertStuckAfterSixUpdates(new Nesterovs(0.1, new CosineAnnealingSchedule(EPOCH, 0.95, 0.85, 4)));
    }

    /** A network with {@code updater}, fit(DataSet) 5 times: no finding; the 6th update: the stuck-counter ERROR. */
    private static void assertStuckAfterSixUpdates(IUpdater updater) {
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(updater));
        ScheduleCheckListener check = new ScheduleCheckListener(4, 3, false);
        net.setListeners(check);
        DataSet data = TestNets.data();
        for (int i = 0; i < 5; i++) {
            net.fit(data);
        }
        assertEquals(List.of(), check.findings());
        String err = Printed.stderrOf(() -> net.fit(data));
        assertEquals(ScheduleCheck.Kind.STALLED_EPOCH_COUNTER, only(check.findings()).kind());
        assertTrue(err.contains("ERROR") && err.contains(only(check.findings()).message()), "logged: " + err);
        assertTrue(only(check.findings()).message().startsWith("an EPOCH schedule is in use but the epoch counter is"
                + " still 0 after 6 updates (3 per epoch planned)"));
    }

    @Test
    void rejectsBadPlans() {
        assertEquals("epochs (0) must be in [1, 1048576]",
                assertThrows(IllegalArgumentException.class, () -> ScheduleCheck.forTraining(0, 10)).getMessage());
        assertEquals("iterationsPerEpoch (0) must be >= 1",
                assertThrows(IllegalArgumentException.class, () -> ScheduleCheck.forTraining(10, 0)).getMessage());
    }

    private static List<ScheduleCheck.Kind> kinds(List<ScheduleCheck.Finding> findings) {
        return findings.stream().map(ScheduleCheck.Finding::kind).collect(Collectors.toList());
    }

    private static List<ScheduleCheck.Finding> problems(List<ScheduleCheck.Finding> findings) {
        return findings.stream().filter(f -> f.severity() != ScheduleCheck.Severity.INFO).collect(Collectors.toList());
    }

    private static ScheduleCheck.Finding onlyError(List<ScheduleCheck.Finding> findings) {
        ScheduleCheck.Finding f = only(problems(findings));
        assertEquals(ScheduleCheck.Severity.ERROR, f.severity(), f.toString());
        return f;
    }

    /** Valid setups of every kind: no error, no warning. */
    @Test
    void noFalseAlarms() {
        // warmup from 0 over 300 iterations, then a constant rate: ends within the first epoch, but nothing decays
        assertEquals(List.of(), CIFAR.check(new LinearWarmupSchedule(ITERATION, 300, 0, new FixedSchedule(1e-3))));
        // warmup-cosine in iterations (5 and 90 epochs of 390) and in fractional epochs: one update at 0, then rising
        assertEquals(List.of(), CIFAR.check(Schedules.warmupCosine(ITERATION, 1e-3, 5 * 390, 90 * 390)));
        assertEquals(List.of(), CIFAR.check(new WarmupCosineSchedule(EPOCH, 1e-3, 0.0, 0.0, 5, 90, 390)));
        assertEquals(List.of(), CIFAR.check(new LinearWarmupSchedule(EPOCH, 5, 0.0,
                new CosineAnnealingSchedule(EPOCH, 1e-3, 0.0, 85, 390), 390)));
        // whole-epoch warmup that starts above 0: 1e-4, 2.8e-4, ..., no jump into the cosine
        assertEquals(List.of(), CIFAR.check(new WarmupCosineSchedule(EPOCH, 1e-3, 1e-4, 0.0, 5, 90)));
        // PyTorch SequentialLR([LinearLR(0.1 -> 1, 5), CosineAnnealingLR(85)]) per epoch
        assertEquals(List.of(), CIFAR.check(new SequentialSchedule(EPOCH, Arrays.asList(
                new LinearSchedule(EPOCH, 0.01, 0.1, 5), new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 85)), new int[] {5})));
        // step decays: DL4J's StepSchedule and MapSchedule, per epoch, warmup in front
        assertEquals(List.of(), problems(CIFAR.check(new LinearWarmupSchedule(EPOCH, 5, 0.01,
                new MapSchedule.Builder(EPOCH).add(0, 0.1).add(25, 0.01).add(55, 0.001).build()))));
        assertEquals(List.of(), problems(CIFAR.check(new LinearWarmupSchedule(ITERATION, 500, 0.0,
                new StepSchedule(ITERATION, 1e-3, 0.5, 10_000)))));
        // He et al.'s constant warmup: 0.01 for 5 epochs, then 0.1 -> 0: a step up, reported as INFO only
        List<ScheduleCheck.Finding> constantWarmup = CIFAR.check(new SequentialSchedule(EPOCH, Arrays.asList(
                new FixedSchedule(0.01), new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 85)), new int[] {5}));
        assertEquals(List.of(), problems(constantWarmup));
        assertEquals(List.of(ScheduleCheck.Kind.STEP_UP), kinds(constantWarmup));
        // restarts that end where a cycle ends: 10 + 20 + 40 = 70, after a 5-epoch warmup 75; a milestone at 30
        ISchedule sgdr = new CosineWarmRestartsSchedule(EPOCH, 0.1, 0.0, 10, 2.0);
        assertEquals(List.of(), problems(ScheduleCheck.forTraining(75, 390).check(new LinearWarmupSchedule(EPOCH, 5, 0.01, sgdr))));
        assertEquals(List.of(), problems(ScheduleCheck.forTraining(70, 390).check(new SequentialSchedule(EPOCH,
                Arrays.asList(sgdr, new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 40)), new int[] {30}))));
        // restarts in iterations: 3 cycles of 10 epochs x 390 = 11,700 updates, with maxCycles 2 the run ends in the hold
        assertEquals(List.of(), problems(ScheduleCheck.forTraining(30, 390).check(Schedules.sgdr(ITERATION, 0.1, 3900, 1))));
        assertEquals(List.of(), problems(ScheduleCheck.forTraining(20, 390).check(
                new CosineWarmRestartsSchedule(EPOCH, 0.1, 0.0, 10, 1.0, 1.0, 2, 390))));
    }

    /**
     * Warmup from 0 stepped per whole epoch: epoch 0 is t = 0, so all 390 updates of epoch 0 get rate 0. The README's
     * old line warmupCosine(EPOCH, 1e-3, 5, 90), and the same mistake through other classes.
     */
    @Test
    void wholeFirstEpochAtRateZero() {
        ScheduleCheck.Finding f = onlyError(CIFAR.check(Schedules.warmupCosine(EPOCH, 1e-3, 5, 90)));
        assertEquals(ScheduleCheck.Kind.ZERO_RATE_EPOCHS, f.kind());
        assertTrue(f.message().startsWith("WarmupCosineSchedule trains all of epoch 0 at learning rate 0 (the first 390"
                + " updates): a warmup from 0 stepped once per whole epoch"), f.message());
        assertTrue(f.message().contains("iterationsPerEpoch=390"), f.message());
        onlyError(CIFAR.check(new LinearWarmupSchedule(EPOCH, 3, 0.0, new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 87))));
        onlyError(CIFAR.check(new SequentialSchedule(EPOCH, Arrays.asList(new LinearSchedule(EPOCH, 0.0, 0.1, 5),
                new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 85)), new int[] {5})));
        onlyError(CIFAR.check(new ProductSchedule(new LinearSchedule(EPOCH, 0.0, 1.0, 5),
                new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 90))));
        onlyError(CIFAR.check(new MapSchedule.Builder(EPOCH).add(0, 0.0).add(1, 0.1).add(45, 0.01).build()));
        // warmup 0 -> 0.1 over 2 epochs, stepped per epoch: epochs 0 (t = 0) and... epoch 1 is t = 1: 0.05; only epoch 0
        ScheduleCheck.Finding two = onlyError(ScheduleCheck.forTraining(10, 4).check(
                new LinearWarmupSchedule(EPOCH, 2, 0.0, new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 8))));
        assertTrue(two.message().contains("all of epoch 0 at learning rate 0 (the first 4 updates)"), two.message());
        // an ITERATION map that holds 0 for 100 updates
        ScheduleCheck.Finding it = onlyError(CIFAR.check(new MapSchedule.Builder(ITERATION).add(0, 0.0).add(100, 1e-3)
                .build()));
        assertEquals(ScheduleCheck.Kind.ZERO_RATE_UPDATES, it.kind());
        assertEquals("MapSchedule trains the first 100 updates at learning rate 0 (updates 0 to 99): start the warmup"
                + " above 0 (to freeze layers, use FrozenLayer)", it.message());
        // rate 0 for the whole run (a whole-epoch warmup longer than the one-epoch run)
        List<ScheduleCheck.Finding> never = ScheduleCheck.forTraining(1, 10).check(new LinearWarmupSchedule(EPOCH, 2, 0.0,
                new FixedSchedule(0.1)));
        assertEquals(ScheduleCheck.Severity.ERROR, never.get(0).severity());
        assertEquals(ScheduleCheck.Kind.ZERO_RATE_RUN, never.get(0).kind());
        assertTrue(never.get(0).message().contains("never learn"), never.toString());
    }

    /**
     * Composed parts stepped per whole epoch: 10 updates per epoch, so the per-update values are stairs. Warmup 0.01 ->
     * 0.1 over 5 epochs reaches 0.01 + 4 * 0.018 = 0.082 at epoch 4; the cosine starts at 0.05 (down) or 0.2 (up).
     */
    @Test
    void wholeEpochSeams() {
        ScheduleCheck run = ScheduleCheck.forTraining(20, 10);
        ScheduleCheck.Finding down = onlyError(run.check(new SequentialSchedule(EPOCH, Arrays.asList(
                new LinearSchedule(EPOCH, 0.01, 0.1, 5), new CosineAnnealingSchedule(EPOCH, 0.05, 0.0, 15)), new int[] {5})));
        assertEquals(ScheduleCheck.Kind.SEAM_JUMP, down.kind());
        assertTrue(down.message().startsWith("SequentialSchedule has a jump down at iteration 50 (epoch 5): 0.0820000 ->"
                + " 0.0500000 between whole epochs"), down.message());
        ScheduleCheck.Finding up = onlyError(run.check(new SequentialSchedule(EPOCH, Arrays.asList(
                new LinearSchedule(EPOCH, 0.01, 0.1, 5), new CosineAnnealingSchedule(EPOCH, 0.2, 0.0, 15)), new int[] {5})));
        assertTrue(up.message().startsWith("SequentialSchedule has a jump up at iteration 50 (epoch 5): 0.0820000 ->"
                + " 0.200000 between whole epochs: the next phase does not start where the previous one rose to"),
                up.message());
        // DL4J's CycleSchedule(ITERATION, 0.1, 35100) drops from 0.01 to 0.001 where its annealing starts, by its
        // design (not a composition): a warning, not an error
        ScheduleCheck.Finding cycle = only(CIFAR.check(new CycleSchedule(ITERATION, 0.1, 35_100)));
        assertEquals(ScheduleCheck.Severity.WARNING, cycle.severity());
        assertEquals(ScheduleCheck.Kind.SEAM_JUMP, cycle.kind());
        assertTrue(cycle.message().endsWith("(a jump in the schedule itself)"), cycle.message());
        // the same through a product
        onlyError(run.check(new ProductSchedule(new FixedSchedule(2.0), new SequentialSchedule(EPOCH, Arrays.asList(
                new LinearSchedule(EPOCH, 0.01, 0.1, 5), new CosineAnnealingSchedule(EPOCH, 0.05, 0.0, 15)), new int[] {5}))));
    }

    /**
     * Restarts 10, 20, 40 epochs (starts 0, 10, 30, 70) inside wrappers. After a 5-epoch warmup they start at 5, 15,
     * 35, 75: a 70-epoch run ends 35 epochs into the 40-epoch cycle 2 (88%). A milestone at 25 cuts cycle 1 (10 to 30)
     * 15 epochs in (75%).
     */
    @Test
    void restartsCutInsideWrappers() {
        ISchedule sgdr = new CosineWarmRestartsSchedule(EPOCH, 0.1, 0.0, 10, 2.0);
        ScheduleCheck.Finding warmup = onlyError(ScheduleCheck.forTraining(70, 390).check(
                new LinearWarmupSchedule(EPOCH, 5, 0.01, sgdr)));
        assertEquals(ScheduleCheck.Kind.RESTART_CUT, warmup.kind());
        assertTrue(warmup.message().startsWith("training ends part-way through restart cycle 2 (88% of it) of"
                + " CosineWarmRestartsSchedule after the warmup of LinearWarmupSchedule"), warmup.message());
        assertTrue(warmup.message().endsWith("End the run where a cycle ends: at epoch 75, not 70"), warmup.message());

        ScheduleCheck.Finding milestone = onlyError(ScheduleCheck.forTraining(60, 390).check(new SequentialSchedule(EPOCH,
                Arrays.asList(sgdr, new CosineAnnealingSchedule(EPOCH, 0.01, 0.0, 35)), new int[] {25})));
        assertEquals(ScheduleCheck.Kind.RESTART_CUT, milestone.kind());
        assertTrue(milestone.message().startsWith("a milestone of SequentialSchedule at epoch 25 cuts restart cycle 1"
                + " (75% of it) of CosineWarmRestartsSchedule as part 0 of SequentialSchedule"), milestone.message());
        assertTrue(milestone.message().endsWith("put the milestone where a cycle ends (epoch 10 or 30)"),
                milestone.message());

        // nested: warmup (5) around a sequence whose restarts (fractional, 390 per epoch) start at 5 + 2 = 7: cycles
        // 7-17, 17-37, 37-77. A 37-epoch run ends with a cycle; 40 is 3 epochs into the 40-epoch cycle 2 (8%)
        ISchedule fractional = new CosineWarmRestartsSchedule(EPOCH, 0.1, 0.0, 10, 2.0, 1.0, 0, 390);
        ISchedule nested = new LinearWarmupSchedule(EPOCH, 5, 0.01, new SequentialSchedule(EPOCH, Arrays.asList(
                new LinearSchedule(EPOCH, 0.05, 0.1, 2, 390), fractional), new int[] {2}, 390), 390);
        assertEquals(List.of(), problems(ScheduleCheck.forTraining(37, 390).check(nested)));
        ScheduleCheck.Finding nestedCut = onlyError(ScheduleCheck.forTraining(40, 390).check(nested));
        assertTrue(nestedCut.message().contains("restart cycle 2 (8% of it)"), nestedCut.message());
        assertTrue(nestedCut.message().endsWith("at epoch 77, not 40"), nestedCut.message());
        // in iterations: warmup 100, cycles of 1000: a 2,000-update run ends 900 into cycle 1
        ScheduleCheck.Finding iterationCut = onlyError(ScheduleCheck.forTraining(20, 100).check(new LinearWarmupSchedule(
                ITERATION, 100, 0.0, Schedules.sgdr(ITERATION, 0.1, 1000, 1))));
        assertTrue(iterationCut.message().endsWith("at iteration 2100, not 2000"), iterationCut.message());
    }

    /** Periods in the wrong unit, in both directions. */
    @Test
    void unitErrors() {
        // 90 x 390 = 35,100 meant as iterations, given as epochs
        ScheduleCheck.Finding epochs = onlyError(CIFAR.check(new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 35_100)));
        assertEquals(ScheduleCheck.Kind.HORIZON_UNIT, epochs.kind());
        assertTrue(epochs.message().startsWith("CosineAnnealingSchedule (EPOCH) ends at epoch 35100, about the number of"
                + " iterations of the run (35100), not of its epochs (90). Periods meant in iterations?"), epochs.message());
        // 1,000 epochs of 10 updates: a period of 1,000 iterations is the number of epochs, a tenth of the run
        ScheduleCheck.Finding iterations = onlyError(ScheduleCheck.forTraining(1000, 10).check(
                new CosineAnnealingSchedule(ITERATION, 0.1, 0.0, 1000)));
        assertEquals(ScheduleCheck.Kind.HORIZON_UNIT, iterations.kind());
        assertTrue(iterations.message().startsWith("CosineAnnealingSchedule (ITERATION) ends at iteration 1000, the"
                + " number of epochs, 1000, not of iterations, 10000"), iterations.message());
        // warmup-cosine with periods in epochs on an ITERATION schedule (5 and 90 of 35,100 updates)
        onlyError(CIFAR.check(Schedules.warmupCosine(ITERATION, 1e-3, 5, 90)));
    }

    /**
     * Spark, ParameterAveragingTrainingMaster: 50,000 examples, 32 per worker, 4 workers: ceil(50000 / 128) =
     * ceil(390.625) = 391 iterations per epoch, 3,910 in 10 epochs. On one machine: ceil(50000 / 32) = 1563 per epoch,
     * 15,630 in 10 epochs.
     */
    @Test
    void sparkUnits() {
        ScheduleCheck spark = ScheduleCheck.forSpark(10, 50_000, 32, 4);
        assertEquals(391, spark.iterationsPerEpoch());
        assertEquals(10, spark.epochs());
        assertEquals(List.of(), spark.check(new CosineAnnealingSchedule(ITERATION, 0.1, 0.0, 3910)));
        assertEquals(List.of(), spark.check(new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 10, 391)));
        ScheduleCheck.Finding single = only(spark.check(new CosineAnnealingSchedule(ITERATION, 0.1, 0.0, 15_630)));
        assertEquals(ScheduleCheck.Severity.WARNING, single.severity());
        assertEquals(ScheduleCheck.Kind.SPARK_SINGLE_MACHINE, single.kind());
        assertTrue(single.message().startsWith("CosineAnnealingSchedule (ITERATION) ends at iteration 15630, sized as if"
                + " on one machine (10 epochs x ceil(50000 / 32) = 15630): on Spark with 4 workers"
                + " ParameterAveragingTrainingMaster with 4 workers runs ceil(50000 / (32 x 4)) = 391 iterations per epoch,"
                + " 3910 in 10 epochs"), single.message());
        // examples / batch per worker without rounding up: 15,625
        assertEquals(ScheduleCheck.Severity.WARNING,
                only(spark.check(new CosineAnnealingSchedule(ITERATION, 0.1, 0.0, 15_625))).severity());
        ScheduleCheck.Finding fractional = onlyError(spark.check(new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 10, 1563)));
        assertEquals(ScheduleCheck.Kind.ITERATIONS_PER_EPOCH, fractional.kind());
        assertTrue(fractional.message().contains("1563 is ceil(examplesPerEpoch / batchSizePerWorker), the count on one"
                + " machine"), fractional.message());

        ScheduleCheck shared = ScheduleCheck.forSparkSharedTraining(10, 50_000, 32, 4);
        ScheduleCheck.Finding iteration = only(shared.check(new CosineAnnealingSchedule(ITERATION, 0.1, 0.0, 3910)));
        assertEquals(ScheduleCheck.Severity.WARNING, iteration.severity());
        assertEquals(ScheduleCheck.Kind.SHARED_TRAINING_ITERATIONS, iteration.kind());
        assertTrue(iteration.message().startsWith("CosineAnnealingSchedule counts iterations, but SharedTrainingMaster's"
                + " iteration counter follows one worker thread only: use ScheduleType.EPOCH, or fractional epochs with"
                + " iterationsPerEpoch=391"), iteration.message());
        assertEquals(List.of(), shared.check(new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 10, 391)));
        assertEquals(List.of(), shared.check(new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 10)));
        // 1 worker: the single-machine count; exact division: 640 / (32 x 2) = 10
        assertEquals(1563, ScheduleCheck.forSpark(10, 50_000, 32, 1).iterationsPerEpoch());
        assertEquals(10, ScheduleCheck.forSpark(3, 640, 32, 2).iterationsPerEpoch());

        assertEquals("examplesPerEpoch (0) must be >= 1",
                assertThrows(IllegalArgumentException.class, () -> ScheduleCheck.forSpark(1, 0, 32, 2)).getMessage());
        assertEquals("batchSizePerWorker (0) must be >= 1",
                assertThrows(IllegalArgumentException.class, () -> ScheduleCheck.forSpark(1, 10, 0, 2)).getMessage());
        assertEquals("workers (-1) must be >= 1",
                assertThrows(IllegalArgumentException.class, () -> ScheduleCheck.forSpark(1, 10, 1, -1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ScheduleCheck.forSpark(1, Long.MAX_VALUE, 1, 1));
    }

    /**
     * The remaining kinds. SGDR with cycles of 100 iterations over a 10 x 100 run restarts at 100, 200, ..., 900: 9
     * restarts, 5 listed (RESTART, INFO), "4 more jumps not listed" (MORE_JUMPS); the run ends where cycle 10 starts,
     * so no cut. A schedule that is 0.1 except NaN at update 5: NON_FINITE at update 5 (iteration 5, epoch 0). An
     * AdaGrad layer with a fixed 0.1 beside an Adam layer with a schedule: ADAGRAD_WITHOUT_SCHEDULE.
     */
    @Test
    void restartsJumpsNonFiniteAndAdaGradKinds() {
        List<ScheduleCheck.Finding> restarts = ScheduleCheck.forTraining(10, 100)
                .check(new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 100, 1.0));
        assertEquals(List.of(ScheduleCheck.Kind.RESTART, ScheduleCheck.Kind.RESTART, ScheduleCheck.Kind.RESTART,
                ScheduleCheck.Kind.RESTART, ScheduleCheck.Kind.RESTART, ScheduleCheck.Kind.MORE_JUMPS), kinds(restarts));
        assertEquals("CosineWarmRestartsSchedule: 4 more jumps not listed", restarts.get(5).message());

        ISchedule nanAt5 = new ISchedule() {
            @Override
            public double valueAt(int iteration, int epoch) {
                return iteration == 5 ? Double.NaN : 0.1;
            }

            @Override
            public ISchedule clone() {
                return this;
            }
        };
        ScheduleCheck.Finding nan = onlyError(ScheduleCheck.forTraining(2, 10).check(nanAt5));
        assertEquals(ScheduleCheck.Kind.NON_FINITE, nan.kind());
        assertTrue(nan.message().endsWith(" gives a non-finite value at update 5 (iteration 5, epoch 0)"), nan.message());

        MultiLayerNetwork mixed = TestNets.mln(TestNets.builder(new Sgd(0.1)).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.TANH).updater(new AdaGrad(0.1))
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2)
                        .activation(Activation.IDENTITY)
                        .updater(new Adam(new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 90))).build())
                .build());
        ScheduleCheck.Finding adaGrad = only(CIFAR.check(mixed));
        assertEquals(ScheduleCheck.Kind.ADAGRAD_WITHOUT_SCHEDULE, adaGrad.kind());
        assertEquals(ScheduleCheck.Severity.WARNING, adaGrad.severity());
        assertTrue(adaGrad.message().startsWith("layer 'layer0' (AdaGrad) has a fixed learning rate 0.1 while other"
                + " layers use schedules"), adaGrad.message());
    }
}
