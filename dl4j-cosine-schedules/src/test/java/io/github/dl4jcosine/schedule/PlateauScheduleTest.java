package io.github.dl4jcosine.schedule;

import io.github.dl4jcosine.schedule.PlateauSchedule.Mode;
import io.github.dl4jcosine.schedule.PlateauSchedule.ThresholdMode;
import org.deeplearning4j.nn.conf.serde.JsonMappers;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.StepSchedule;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.github.dl4jcosine.schedule.ScheduleContract.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.schedule.ScheduleType.EPOCH;
import static org.nd4j.linalg.schedule.ScheduleType.ITERATION;

class PlateauScheduleTest {

    static final List<String> PROPERTIES = List.of("base", "mode", "factor", "patience", "threshold", "thresholdMode",
            "cooldown", "minValue", "eps", "state");

    /**
     * The sequence of {@link #handDerivedMinRelative}: MIN, RELATIVE threshold 0.1 (better means
     * {@code metric < best * 0.9}), patience 1, factor 0.5, cooldown 1, minValue 0.2, eps 0, constant base 1.
     */
    static PlateauSchedule minRelative() {
        return PlateauSchedule.builder(new FixedSchedule(1.0)).mode(Mode.MIN).threshold(0.1)
                .thresholdMode(ThresholdMode.RELATIVE).patience(1).factor(0.5).cooldown(1).minValue(0.2).eps(0)
                .build();
    }

    /**
     * Hand derivation, PyTorch's step() rules (better, else bad + 1; in cooldown: cooldown - 1, bad = 0;
     * bad > patience: reduce, cooldown = 1, bad = 0):
     * <pre>
     * report  iter metric  best  better?               bad  cooldown  action
     * r1      10   10      10    10 < inf              0    0
     * r2      20   9.5     10    9.5 < 9? no           1    0
     * r3      30   8.9     8.9   8.9 < 9               0    0
     * r4      40   NaN     8.9   never                 1    0
     * r5      50   8.5     8.9   8.5 < 8.01? no        2    0 -> 1   reduce: max(1*0.5, 0.2) = 0.5 from 50
     * r6      60   100     8.9   no                    0    1 -> 0   (cooldown)
     * r7      70   100     8.9   no                    1    0
     * r8      80   100     8.9   no                    2    0 -> 1   reduce: max(0.25, 0.2) = 0.25 from 80
     * r9      90   1       1     1 < 8.01              0    1 -> 0
     * r10     100  1       1     1 < 0.9? no           1    0
     * r11     110  1       1     no                    2    0 -> 1   reduce: max(0.125, 0.2) = 0.2 from 110
     * r12     120  1       1     no                    0    1 -> 0
     * r13     130  1       1     no                    1    0
     * r14     140  1       1     no                    2    0 -> 1   max(0.1, 0.2) = 0.2: 0.2 - 0.2 > 0? no, skipped
     * </pre>
     */
    @Test
    void handDerivedMinRelative() {
        PlateauSchedule s = minRelative();
        double[] metrics = {10, 9.5, 8.9, Double.NaN, 8.5, 100, 100, 100, 1, 1, 1, 1, 1, 1};
        boolean[] reduced = new boolean[metrics.length];
        for (int r = 0; r < metrics.length; r++) {
            reduced[r] = s.report(10 * (r + 1), metrics[r]);
        }
        boolean[] expected = new boolean[metrics.length];
        expected[4] = true;
        expected[7] = true;
        expected[10] = true;
        assertArrayEquals(expected, reduced);
        PlateauState state = s.getState();
        assertArrayEquals(new int[] {50, 80, 110}, state.getReductionIterations());
        assertArrayEquals(new double[] {0.5, 0.25, 0.2}, state.getReductionMultipliers(), 0.0);
        assertEquals(new PlateauState(1.0, 0, 1, 140, new int[] {50, 80, 110}, new double[] {0.5, 0.25, 0.2}), state);
        int[] at = {0, 49, 50, 79, 80, 109, 110, 140, Integer.MAX_VALUE};
        double[] values = {1, 1, 0.5, 0.5, 0.25, 0.25, 0.2, 0.2, 0.2};
        for (int i = 0; i < at.length; i++) {
            assertEquals(values[i], s.valueAt(at[i], 0), 0.0, "update " + at[i]);
        }
    }

    /**
     * MAX, ABSOLUTE threshold 0.5 (better means {@code metric > best + 0.5}), patience 0, factor 0.1, eps 1e-3,
     * base 0.1: r1 (5, 1.0) better; r2 (6, 1.4) bad 1 > 0: 0.1 -> 0.01 (0.09 > 1e-3); r3 (7, 2.0) better;
     * r4 (8, 2.0) bad: 0.01 -> 0.001 (0.009 > 1e-3); r5 (9, -Infinity) bad: 0.001 -> 1e-4 changes it by
     * 9e-4, not more than eps: skipped.
     */
    @Test
    void handDerivedMaxAbsoluteWithEps() {
        PlateauSchedule s = PlateauSchedule.builder(new FixedSchedule(0.1)).mode(Mode.MAX).threshold(0.5)
                .thresholdMode(ThresholdMode.ABSOLUTE).patience(0).eps(1e-3).build();
        assertFalse(s.report(5, 1.0));
        assertTrue(s.report(6, 1.4));
        assertFalse(s.report(7, 2.0));
        assertTrue(s.report(8, 2.0));
        assertFalse(s.report(9, Double.NEGATIVE_INFINITY));
        assertEquals(0.1, s.valueAt(5, 0), 0.0);
        assertEquals(0.01, s.valueAt(6, 0), 1e-17);
        assertEquals(0.01, s.valueAt(7, 0), 1e-17);
        assertEquals(0.001, s.valueAt(8, 0), 1e-18);
        assertEquals(0.001, s.valueAt(1000, 7), 1e-18);
        assertEquals(2.0, s.getState().getBest(), 0.0);
        assertEquals(2, s.getState().reductionCount());
    }

    /**
     * The rate is {@code b * m} with {@code b} the base at the reporting update: a MapSchedule per epoch, 1.0 in
     * epoch 0 and 0.5 from epoch 1, minValue 0.3, factor 0.5, patience 0. The second report, at (10, 1):
     * b = 0.5, old = 0.5, new = max(0.25, 0.3) = 0.3, multiplier 0.6. Reported with epoch 0 instead,
     * b = 1: new = max(0.5, 0.3) = 0.5, multiplier 0.5.
     */
    @Test
    void minValueAppliesToTheBaseAtTheReport() {
        MapSchedule perEpoch = new MapSchedule.Builder(EPOCH).add(0, 1.0).add(1, 0.5).build();
        PlateauSchedule s = PlateauSchedule.builder(perEpoch).patience(0).factor(0.5).minValue(0.3).build();
        s.report(5, 1, 1.0);
        assertTrue(s.report(10, 1, 2.0));
        assertEquals(0.6, s.multiplierAt(10), 1e-16);
        assertEquals(0.3, s.valueAt(10, 1), 1e-16);
        assertEquals(1.0, s.valueAt(9, 0), 0.0);

        PlateauSchedule other = PlateauSchedule.builder(perEpoch).patience(0).factor(0.5).minValue(0.3).build();
        other.report(5, 0, 1.0);
        assertTrue(other.report(10, 0, 2.0));
        assertEquals(0.5, other.multiplierAt(10), 0.0);
    }

    @Test
    void reportWithoutEpochIsRefusedForBasesThatReadTheEpoch() {
        PlateauSchedule perEpoch = PlateauSchedule.builder(new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 10)).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> perEpoch.report(0, 1.0));
        assertTrue(e.getMessage().contains("report(iteration, epoch, metric)"), e.getMessage());
        PlateauSchedule product = PlateauSchedule.builder(new ProductSchedule(new LinearSchedule(ITERATION, 0.1, 1, 5),
                new StepSchedule(EPOCH, 0.1, 0.5, 2))).build();
        assertThrows(IllegalStateException.class, () -> product.report(0, 1.0));
        assertFalse(PlateauSchedule.builder(new CosineAnnealingSchedule(ITERATION, 0.1, 0.0, 10)).build()
                .report(0, 1.0));
    }

    @Test
    void reportsMustNotGoBackInTime() {
        PlateauSchedule s = minRelative();
        s.report(100, 1.0);
        s.report(100, 1.0);   // the same iteration again is fine (two steps before one update)
        assertRejected("iteration (99) must be >= the last report's iteration (100)", () -> s.report(99, 1.0));
        assertRejected("iteration (-1) must be >= 0", () -> minRelative().report(-1, 1.0));
        assertRejected("epoch (-1) must be >= 0", () -> minRelative().report(0, -1, 1.0));
        assertEquals(100, s.getState().getLastReportIteration());
    }

    /** Two reductions at one iteration: the second applies from there on, the first to no update. */
    @Test
    void reductionsAtTheSameIteration() {
        PlateauSchedule s = PlateauSchedule.builder(new FixedSchedule(1.0)).patience(0).factor(0.5).build();
        s.report(10, 1.0);
        assertTrue(s.report(20, 2.0));
        assertTrue(s.report(20, 2.0));
        assertArrayEquals(new int[] {20, 20}, s.getState().getReductionIterations());
        assertEquals(1.0, s.valueAt(19, 0), 0.0);
        assertEquals(0.25, s.valueAt(20, 0), 0.0);
    }

    /**
     * Random reports (metrics with NaN and infinities, iterations that repeat) on a warmup + cosine base: no report
     * ever changes the value of an update before it, and {@code valueAt} equals the base times the multiplier of the
     * last reduction at or before the update, found by a linear scan.
     */
    @Test
    void reductionsNeverChangeThePastAndTheLookupIsExact() {
        Random random = new Random(19);
        for (int round = 0; round < 20; round++) {
            ISchedule base = new WarmupCosineSchedule(ITERATION, 0.1, 0.0, 1e-4, 50, 5000);
            PlateauSchedule s = PlateauSchedule.builder(base).patience(random.nextInt(3)).factor(0.5)
                    .cooldown(random.nextInt(2)).eps(0).build();
            int iteration = 0;
            double[] before = new double[5001];
            for (int r = 0; r < 200 && iteration < 5000; r++) {
                for (int i = 0; i <= 5000; i++) {
                    before[i] = s.valueAt(i, 0);
                }
                double metric = random.nextInt(10) == 0 ? Double.NaN
                        : random.nextInt(20) == 0 ? Double.POSITIVE_INFINITY : random.nextDouble();
                s.report(iteration, metric);
                for (int i = 0; i < iteration; i++) {
                    assertEquals(Double.doubleToLongBits(before[i]), Double.doubleToLongBits(s.valueAt(i, 0)),
                            "update " + i + " after a report at " + iteration);
                }
                iteration += random.nextInt(4) == 0 ? 0 : random.nextInt(60);
            }
            PlateauState state = s.getState();
            assertTrue(state.reductionCount() > 5, "reductions made: " + state.reductionCount());
            int[] its = state.getReductionIterations();
            double[] ms = state.getReductionMultipliers();
            for (int i = 0; i <= 5100; i++) {
                double m = 1;
                for (int k = 0; k < its.length; k++) {
                    if (its[k] <= i) {
                        m = ms[k];
                    }
                }
                assertEquals(base.valueAt(i, 0) * m, s.valueAt(i, 0), 0.0, "update " + i);
            }
        }
    }

    /** A JSON copy taken mid-run and a clone continue exactly as the original under the same reports. */
    @Test
    void jsonCopyAndCloneContinueIdentically() throws Exception {
        Random random = new Random(5);
        PlateauSchedule s = PlateauSchedule.builder(new LinearWarmupSchedule(ITERATION, 20, 0.0,
                new FixedSchedule(0.01))).patience(2).cooldown(1).factor(0.3).minValue(1e-4).build();
        for (int r = 0; r < 30; r++) {
            s.report(10 * r, random.nextDouble());
        }
        PlateauSchedule json = (PlateauSchedule) JsonMappers.getMapper().readValue(
                JsonMappers.getMapper().writeValueAsString(s), ISchedule.class);
        PlateauSchedule yaml = (PlateauSchedule) JsonMappers.getMapperYaml().readValue(
                JsonMappers.getMapperYaml().writeValueAsString(s), ISchedule.class);
        PlateauSchedule clone = (PlateauSchedule) s.clone();
        for (PlateauSchedule copy : Arrays.asList(json, yaml, clone)) {
            ScheduleContract.assertSameSchedule(s, copy);
        }
        for (int r = 30; r < 80; r++) {
            double metric = random.nextDouble();
            boolean reduced = s.report(10 * r, metric);
            for (PlateauSchedule copy : Arrays.asList(json, yaml, clone)) {
                assertEquals(reduced, copy.report(10 * r, metric));
                assertEquals(s, copy);
            }
        }
        assertTrue(s.getState().reductionCount() >= 3, s.toString());
        for (int i = 0; i < 900; i++) {
            for (PlateauSchedule copy : Arrays.asList(json, yaml, clone)) {
                assertEquals(Double.doubleToLongBits(s.valueAt(i, 0)), Double.doubleToLongBits(copy.valueAt(i, 0)));
            }
        }
    }

    @Test
    void contract() throws Exception {
        PlateauSchedule fresh = minRelative();
        PlateauSchedule used = minRelative();
        for (double metric : new double[] {10, 9.5, 8.9, Double.NaN, 8.5, 100, 100, 100}) {
            used.report(used.getState().getLastReportIteration() + 10, metric);
        }
        PlateauSchedule oneMore = (PlateauSchedule) used.clone();
        oneMore.report(1000, 1.0);
        ISchedule base = new FixedSchedule(1.0);
        List<ISchedule> unequal = List.of(
                PlateauSchedule.builder(new FixedSchedule(0.9)).threshold(0.1).patience(1).factor(0.5).cooldown(1)
                        .minValue(0.2).eps(0).build(),
                PlateauSchedule.builder(base).mode(Mode.MAX).threshold(0.1).patience(1).factor(0.5).cooldown(1)
                        .minValue(0.2).eps(0).build(),
                PlateauSchedule.builder(base).threshold(0.2).patience(1).factor(0.5).cooldown(1).minValue(0.2).eps(0)
                        .build(),
                PlateauSchedule.builder(base).threshold(0.1).thresholdMode(ThresholdMode.ABSOLUTE).patience(1)
                        .factor(0.5).cooldown(1).minValue(0.2).eps(0).build(),
                PlateauSchedule.builder(base).threshold(0.1).patience(2).factor(0.5).cooldown(1).minValue(0.2).eps(0)
                        .build(),
                PlateauSchedule.builder(base).threshold(0.1).patience(1).factor(0.4).cooldown(1).minValue(0.2).eps(0)
                        .build(),
                PlateauSchedule.builder(base).threshold(0.1).patience(1).factor(0.5).cooldown(2).minValue(0.2).eps(0)
                        .build(),
                PlateauSchedule.builder(base).threshold(0.1).patience(1).factor(0.5).cooldown(1).minValue(0.1).eps(0)
                        .build(),
                PlateauSchedule.builder(base).threshold(0.1).patience(1).factor(0.5).cooldown(1).minValue(0.2)
                        .eps(1e-9).build(),
                used);
        ScheduleContract.check(fresh, PROPERTIES, unequal);
        ScheduleContract.check(used, PROPERTIES, List.of(fresh, oneMore));
        assertEquals(used.toString(), used.clone().toString());
    }

    @Test
    void defaultsArePyTorchs() {
        PlateauSchedule s = PlateauSchedule.builder(new FixedSchedule(0.1)).build();
        assertEquals(Mode.MIN, s.getMode());
        assertEquals(0.1, s.getFactor(), 0.0);
        assertEquals(10, s.getPatience());
        assertEquals(1e-4, s.getThreshold(), 0.0);
        assertEquals(ThresholdMode.RELATIVE, s.getThresholdMode());
        assertEquals(0, s.getCooldown());
        assertEquals(0.0, s.getMinValue(), 0.0);
        assertEquals(1e-8, s.getEps(), 0.0);
        assertEquals(new PlateauState(Double.POSITIVE_INFINITY, 0, 0, -1, new int[0], new double[0]), s.getState());
        assertEquals(Double.NEGATIVE_INFINITY, PlateauSchedule.builder(new FixedSchedule(0.1)).mode(Mode.MAX).build()
                .getState().getBest(), 0.0);
    }

    @Test
    void badInputIsNamed() {
        ISchedule base = new FixedSchedule(0.1);
        assertRejected("base (null) must not be null", () -> PlateauSchedule.builder(null));
        assertRejected("mode (null) must not be null", () -> PlateauSchedule.builder(base).mode(null).build());
        assertRejected("thresholdMode (null) must not be null",
                () -> PlateauSchedule.builder(base).thresholdMode(null).build());
        for (double factor : new double[] {0, 1, 1.5, -0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertRejected("factor (" + factor + ") must be in (0, 1)",
                    () -> PlateauSchedule.builder(base).factor(factor).build());
        }
        assertRejected("patience (-1) must be >= 0", () -> PlateauSchedule.builder(base).patience(-1).build());
        assertRejected("threshold (-1.0E-4) must be >= 0", () -> PlateauSchedule.builder(base).threshold(-1e-4).build());
        assertRejected("threshold (NaN) must be finite", () -> PlateauSchedule.builder(base).threshold(Double.NaN).build());
        assertRejected("cooldown (-2) must be >= 0", () -> PlateauSchedule.builder(base).cooldown(-2).build());
        assertRejected("minValue (-0.5) must be >= 0", () -> PlateauSchedule.builder(base).minValue(-0.5).build());
        assertRejected("minValue (Infinity) must be finite",
                () -> PlateauSchedule.builder(base).minValue(Double.POSITIVE_INFINITY).build());
        assertRejected("eps (-1.0E-8) must be >= 0", () -> PlateauSchedule.builder(base).eps(-1e-8).build());
        assertRejected("eps (NaN) must be finite", () -> PlateauSchedule.builder(base).eps(Double.NaN).build());
        assertRejected("base (StepSchedule", () -> PlateauSchedule.builder(new StepSchedule(ITERATION, -0.1, 0.5, 10))
                .build());
        // the state, as a constructor argument or in JSON
        assertRejected("state.badCount (3) must be <= patience (2)", () -> new PlateauSchedule(base, Mode.MIN, 0.1, 2,
                0, ThresholdMode.RELATIVE, 0, 0, 0, new PlateauState(1, 3, 0, 5, new int[0], new double[0])));
        assertRejected("state.cooldownLeft (2) must be <= cooldown (1)", () -> new PlateauSchedule(base, Mode.MIN, 0.1,
                2, 0, ThresholdMode.RELATIVE, 1, 0, 0, new PlateauState(1, 0, 2, 5, new int[0], new double[0])));
        assertRejected("best (NaN) must not be NaN", () -> new PlateauState(Double.NaN, 0, 0, 5, new int[0], new double[0]));
        assertRejected("badCount (1) must be 0 while cooldownLeft (1) > 0",
                () -> new PlateauState(1, 1, 1, 5, new int[0], new double[0]));
        assertRejected("lastReportIteration (-2) must be >= -1",
                () -> new PlateauState(1, 0, 0, -2, new int[0], new double[0]));
        assertRejected("reductionMultipliers (1 values) must have as many values as reductionIterations (2)",
                () -> new PlateauState(1, 0, 0, 50, new int[] {5, 6}, new double[] {0.5}));
        assertRejected("reductionIterations[1] (4) must be >= reductionIterations[0] (5)",
                () -> new PlateauState(1, 0, 0, 50, new int[] {5, 4}, new double[] {0.5, 0.25}));
        assertRejected("reductionIterations[0] (-1) must be >= 0",
                () -> new PlateauState(1, 0, 0, 50, new int[] {-1}, new double[] {0.5}));
        assertRejected("reductionMultipliers[1] (0.5) must be >= 0 and < reductionMultipliers[0] (0.5)",
                () -> new PlateauState(1, 0, 0, 50, new int[] {5, 6}, new double[] {0.5, 0.5}));
        assertRejected("reductionMultipliers[0] (1.0) must be >= 0 and < 1",
                () -> new PlateauState(1, 0, 0, 50, new int[] {5}, new double[] {1.0}));
        assertRejected("lastReportIteration (4) must be >= the last reduction's iteration (5)",
                () -> new PlateauState(1, 0, 0, 4, new int[] {5}, new double[] {0.5}));
        assertRejected("reductionIterations (null) must not be null",
                () -> new PlateauState(1, 0, 0, 4, null, new double[0]));
    }

    /** Wrappers that shift time would hand the schedule other iterations than those its reports count. */
    @Test
    void timeShiftingWrappersRefuseIt() {
        PlateauSchedule p = PlateauSchedule.builder(new FixedSchedule(0.1)).build();
        assertRejected("is a PlateauSchedule, which cannot be wrapped by a schedule that shifts time",
                () -> new LinearWarmupSchedule(ITERATION, 5, 0.0, p));
        assertRejected("schedules[1] (PlateauSchedule", () -> new SequentialSchedule(ITERATION,
                Arrays.asList(new FixedSchedule(0.1), p), new int[] {5}));
        assertRejected("schedule.schedules[0] (PlateauSchedule", () -> new LinearWarmupSchedule(ITERATION, 5, 0.0,
                new ProductSchedule(p, new FixedSchedule(1.0))));
        // a product does not shift time, and a warmup inside the base is the intended composition
        new ProductSchedule(p, new LinearSchedule(ITERATION, 0.1, 1.0, 5));
        PlateauSchedule warm = PlateauSchedule.builder(new LinearWarmupSchedule(ITERATION, 5, 0.0,
                new FixedSchedule(0.1))).build();
        assertEquals(ITERATION, ScheduleInfo.unitOf(warm));
        assertEquals(5.0, ScheduleInfo.horizonInIterations(warm, 10).getAsDouble(), 0.0);
        assertNull(ScheduleInfo.unitOf(PlateauSchedule.builder(new FixedSchedule(0.1)).build()));
        assertEquals(7, ScheduleInfo.iterationsPerEpochOf(PlateauSchedule.builder(
                new CosineAnnealingSchedule(EPOCH, 0.1, 0, 3, 7)).build()));
    }

    /** {@code getReductionIterations()} and the state's arrays are copies: callers cannot change the schedule. */
    @Test
    void stateIsImmutable() {
        int[] its = {5};
        double[] ms = {0.5};
        PlateauState state = new PlateauState(1, 0, 0, 5, its, ms);
        its[0] = 1;
        ms[0] = 0.9;
        state.getReductionIterations()[0] = 2;
        state.getReductionMultipliers()[0] = 0.7;
        assertArrayEquals(new int[] {5}, state.getReductionIterations());
        assertArrayEquals(new double[] {0.5}, state.getReductionMultipliers(), 0.0);
        PlateauSchedule s = new PlateauSchedule(new FixedSchedule(1), Mode.MIN, 0.1, 1, 0, ThresholdMode.RELATIVE,
                0, 0, 0, state);
        assertEquals(1.0, s.valueAt(4, 0), 0.0);
        assertEquals(0.5, s.valueAt(5, 0), 0.0);
    }
}
