package io.github.dl4jcosine.schedule;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.StepSchedule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static io.github.dl4jcosine.schedule.ScheduleContract.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.schedule.ScheduleType.EPOCH;
import static org.nd4j.linalg.schedule.ScheduleType.ITERATION;

/** LinearSchedule, LinearWarmupSchedule, SequentialSchedule, ProductSchedule: values, nesting, rules. */
class CompositionTest {

    private static final CosineAnnealingSchedule COSINE_10 = new CosineAnnealingSchedule(ITERATION, 0.1, 0.0, 10);

    // ---------------------------------------------------------------- LinearSchedule

    /** 0.2 -> 1.0 over 4: 0.2, 0.4, 0.6, 0.8, then 1.0 held. */
    @ParameterizedTest
    @CsvSource({"0, 0.2", "1, 0.4", "2, 0.6", "3, 0.8", "4, 1.0", "100, 1.0"})
    void linear(int t, double expected) {
        assertEquals(expected, new LinearSchedule(ITERATION, 0.2, 1.0, 4).valueAt(t, 0), 1e-15);
        assertEquals(expected, new LinearSchedule(EPOCH, 0.2, 1.0, 4).valueAt(0, t), 1e-15);
    }

    @Test
    void linearRules() throws Exception {
        assertRejected("scheduleType (null) must not be null", () -> new LinearSchedule(null, 0.1, 1.0, 5));
        assertRejected("startValue (NaN) must be finite", () -> new LinearSchedule(ITERATION, Double.NaN, 1.0, 5));
        assertRejected("endValue (Infinity) must be finite",
                () -> new LinearSchedule(ITERATION, 0.1, Double.POSITIVE_INFINITY, 5));
        assertRejected("period (0) must be > 0", () -> new LinearSchedule(ITERATION, 0.1, 1.0, 0));
        assertRejected("iterationsPerEpoch (-1) must be >= 0", () -> new LinearSchedule(EPOCH, 0.1, 1.0, 5, -1));
        assertRejected("iterationsPerEpoch (4) must be 0 with scheduleType=ITERATION",
                () -> new LinearSchedule(ITERATION, 0.1, 1.0, 5, 4));
        ScheduleContract.check(new LinearSchedule(EPOCH, 0.01, 1.0, 5, 100),
                List.of("scheduleType", "startValue", "endValue", "period", "iterationsPerEpoch"),
                List.of(new LinearSchedule(ITERATION, 0.01, 1.0, 5), new LinearSchedule(EPOCH, 0.02, 1.0, 5, 100),
                        new LinearSchedule(EPOCH, 0.01, 0.9, 5, 100), new LinearSchedule(EPOCH, 0.01, 1.0, 6, 100),
                        new LinearSchedule(EPOCH, 0.01, 1.0, 5, 101)));
        assertEquals("LinearSchedule(startValue=0.01, endValue=1.0, period=5, scheduleType=EPOCH)",
                new LinearSchedule(EPOCH, 0.01, 1.0, 5).toString());
    }

    // ---------------------------------------------------------------- LinearWarmupSchedule

    /**
     * Warmup from 0 over 5 updates into a cosine 0.1 -> 0 over 10: 0.02 * t up to the seam, then the cosine
     * restarted at t = 5: 0.1 at 5, its midpoint 0.05 at 10, 0 from 15.
     */
    @ParameterizedTest
    @CsvSource({"0, 0.0", "2, 0.04", "4, 0.08", "5, 0.1", "10, 0.05", "15, 0.0", "99, 0.0"})
    void warmupIntoCosine(int t, double expected) {
        assertEquals(expected, new LinearWarmupSchedule(ITERATION, 5, 0.0, COSINE_10).valueAt(t, 0), 1e-15);
    }

    /** Warmup in fractional epochs (10 per epoch, 1 epoch) into a fractional cosine of 2 epochs: iteration 15 is
     * wrapper time 1.5, cosine time 0.5: 0.1 * (1 + cos(pi / 4)) / 2 = 0.08535533905932738. */
    @Test
    void fractionalWarmup() {
        LinearWarmupSchedule s = new LinearWarmupSchedule(EPOCH, 1, 0.0,
                new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 2, 10), 10);
        assertEquals(0.05, s.valueAt(5, 0), 1e-15);
        assertEquals(0.1, s.valueAt(10, 1), 0.0);
        assertEquals(0.08535533905932738, s.valueAt(15, 1), 1e-15);
        assertEquals(0.0, s.valueAt(30, 3), 0.0);
    }

    /** DL4J's own schedules inside our wrapper see counters restarted at the end of the warmup. */
    @Test
    void dl4jSchedulesInsideWarmup() {
        // StepSchedule(0.1, decay 0.5, step 10) after 5 warmup iterations: 0.1 until 14, 0.05 from 15
        LinearWarmupSchedule step = new LinearWarmupSchedule(ITERATION, 5, 0.0, new StepSchedule(ITERATION, 0.1, 0.5, 10));
        assertEquals(0.06, step.valueAt(3, 0), 1e-15);
        assertEquals(0.1, step.valueAt(14, 0), 0.0);
        assertEquals(0.05, step.valueAt(15, 0), 0.0);
        // ExponentialSchedule(0.1, gamma 0.9) per epoch after 2 warmup epochs: epoch 3 is its epoch 1: 0.09
        LinearWarmupSchedule exp = new LinearWarmupSchedule(EPOCH, 2, 0.0, new ExponentialSchedule(EPOCH, 0.1, 0.9));
        assertEquals(0.05, exp.valueAt(77, 1), 1e-15);
        assertEquals(0.09, exp.valueAt(123, 3), 1e-15);
        // MapSchedule {0: 0.1, 10: 0.01} after 3 warmup iterations: 0.01 from iteration 13
        MapSchedule map = new MapSchedule.Builder(ITERATION).add(0, 0.1).add(10, 0.01).build();
        LinearWarmupSchedule mapped = new LinearWarmupSchedule(ITERATION, 3, 0.0, map);
        assertEquals(0.1, mapped.valueAt(12, 0), 0.0);
        assertEquals(0.01, mapped.valueAt(13, 0), 0.0);
    }

    /** No jump at the seam, for random warmups around random cosines and restarts. */
    @Test
    void warmupSeamIsContinuous() {
        Random random = new Random(20261122L);
        for (int trial = 0; trial < 200; trial++) {
            int w = 1 + random.nextInt(50);
            double peak = 0.001 + random.nextDouble();
            ISchedule inner = random.nextBoolean()
                    ? new CosineAnnealingSchedule(ITERATION, peak, 0.0, 1 + random.nextInt(100))
                    : new CosineWarmRestartsSchedule(ITERATION, peak, 0.0, 1 + random.nextInt(20), 2.0);
            double start = random.nextDouble() * peak;
            LinearWarmupSchedule s = new LinearWarmupSchedule(ITERATION, w, start, inner);
            double step = (peak - start) / w;
            for (int t = 1; t <= w; t++) {
                double rise = s.valueAt(t, 0) - s.valueAt(t - 1, 0);
                assertEquals(step, rise, 1e-12, s + " step into " + t);
            }
            assertEquals(peak, s.valueAt(w, 0), 0.0, s + " reaches the wrapped schedule's first value at the seam");
        }
    }

    @Test
    void warmupRules() throws Exception {
        assertRejected("scheduleType (null) must not be null", () -> new LinearWarmupSchedule(null, 5, 0.0, COSINE_10));
        assertRejected("warmupPeriod (0) must be > 0", () -> new LinearWarmupSchedule(ITERATION, 0, 0.0, COSINE_10));
        assertRejected("startValue (NaN) must be finite",
                () -> new LinearWarmupSchedule(ITERATION, 5, Double.NaN, COSINE_10));
        assertRejected("schedule (null) must not be null", () -> new LinearWarmupSchedule(ITERATION, 5, 0.0, null));
        // DL4J's FixedSchedule is bounded from its parameter; another schedule by its first value
        assertRejected("schedule (FixedSchedule(value=NaN)) gives values in [NaN, NaN]",
                () -> new LinearWarmupSchedule(ITERATION, 5, 0.0, new FixedSchedule(Double.NaN)));
        assertRejected("schedule's first value (NaN) must be finite",
                () -> new LinearWarmupSchedule(ITERATION, 5, 0.0, new ISchedule() {
                    @Override
                    public double valueAt(int iteration, int epoch) {
                        return Double.NaN;
                    }

                    @Override
                    public ISchedule clone() {
                        return this;
                    }
                }));
        assertRejected("schedule (CosineAnnealingSchedule(initialValue=0.1, minValue=0.0, period=10, "
                        + "scheduleType=ITERATION)) has scheduleType=ITERATION but its wrapper has scheduleType=EPOCH",
                () -> new LinearWarmupSchedule(EPOCH, 5, 0.0, COSINE_10));
        assertRejected("has iterationsPerEpoch=0 but its wrapper has iterationsPerEpoch=390",
                () -> new LinearWarmupSchedule(EPOCH, 5, 0.0, new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 10), 390));
        assertRejected("has scheduleType=EPOCH but its wrapper has scheduleType=ITERATION",
                () -> new LinearWarmupSchedule(ITERATION, 5, 0.0, new StepSchedule(EPOCH, 0.1, 0.5, 10)));
        assertRejected("iterationsPerEpoch (2) must be 0 with scheduleType=ITERATION",
                () -> new LinearWarmupSchedule(ITERATION, 5, 0.0, COSINE_10, 2));
        // DL4J's whole-epoch schedules are fine inside a fractional-epoch warmup
        new LinearWarmupSchedule(EPOCH, 5, 0.0, new StepSchedule(EPOCH, 0.1, 0.5, 10), 390);

        ScheduleContract.check(new LinearWarmupSchedule(EPOCH, 5, 0.0, new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 85, 390), 390),
                List.of("scheduleType", "warmupPeriod", "startValue", "schedule", "iterationsPerEpoch"),
                List.of(new LinearWarmupSchedule(ITERATION, 5, 0.0, COSINE_10),
                        new LinearWarmupSchedule(EPOCH, 6, 0.0, new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 85, 390), 390),
                        new LinearWarmupSchedule(EPOCH, 5, 0.01, new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 85, 390), 390),
                        new LinearWarmupSchedule(EPOCH, 5, 0.0, new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 86, 390), 390)));
        ScheduleContract.check(new LinearWarmupSchedule(ITERATION, 5, 0.0, new StepSchedule(ITERATION, 0.1, 0.5, 10)),
                List.of("scheduleType", "warmupPeriod", "startValue", "schedule", "iterationsPerEpoch"), List.of());
    }

    // ---------------------------------------------------------------- SequentialSchedule

    /** [linear 0 -> 1 over 4, cosine 1 -> 0 over 2] with milestone 4: 0.75 at 3, 1 at 4, midpoint 0.5 at 5, 0 at 6. */
    @ParameterizedTest
    @CsvSource({"0, 0.0", "3, 0.75", "4, 1.0", "5, 0.5", "6, 0.0", "1000, 0.0"})
    void sequential(int t, double expected) {
        SequentialSchedule s = new SequentialSchedule(EPOCH, Arrays.asList(new LinearSchedule(EPOCH, 0.0, 1.0, 4),
                new CosineAnnealingSchedule(EPOCH, 1.0, 0.0, 2)), new int[] {4});
        assertEquals(expected, s.valueAt(t * 3, t), 1e-15);
    }

    @Test
    void sequentialRules() throws Exception {
        List<ISchedule> two = Arrays.asList(COSINE_10, COSINE_10);
        assertRejected("scheduleType (null) must not be null", () -> new SequentialSchedule(null, two, new int[] {5}));
        assertRejected("schedules (null) must not be null", () -> new SequentialSchedule(ITERATION, null, new int[] {5}));
        assertRejected("schedules ([]) must not be empty",
                () -> new SequentialSchedule(ITERATION, Collections.emptyList(), new int[0]));
        assertRejected("schedules[1] (null) must not be null",
                () -> new SequentialSchedule(ITERATION, Arrays.asList(COSINE_10, null), new int[] {5}));
        assertRejected("milestones (null) must not be null", () -> new SequentialSchedule(ITERATION, two, null));
        assertRejected("milestones ([5, 6]) must have one fewer entry than schedules (2)",
                () -> new SequentialSchedule(ITERATION, two, new int[] {5, 6}));
        assertRejected("milestones ([]) must have one fewer entry than schedules (2)",
                () -> new SequentialSchedule(ITERATION, two, new int[0]));
        List<ISchedule> three = Arrays.asList(COSINE_10, COSINE_10, COSINE_10);
        assertRejected("milestones ([5, 5]) must be > 0 and strictly increasing",
                () -> new SequentialSchedule(ITERATION, three, new int[] {5, 5}));
        assertRejected("milestones ([7, 3]) must be > 0 and strictly increasing",
                () -> new SequentialSchedule(ITERATION, three, new int[] {7, 3}));
        assertRejected("milestones ([0, 3]) must be > 0 and strictly increasing",
                () -> new SequentialSchedule(ITERATION, three, new int[] {0, 3}));
        assertRejected("schedules[1] (CosineAnnealingSchedule(initialValue=0.1, minValue=0.0, period=10, "
                        + "scheduleType=ITERATION)) has scheduleType=ITERATION but its wrapper has scheduleType=EPOCH",
                () -> new SequentialSchedule(EPOCH, Arrays.asList(new LinearSchedule(EPOCH, 0, 1, 5), COSINE_10),
                        new int[] {5}));

        int[] milestones = {5};
        SequentialSchedule s = new SequentialSchedule(ITERATION, new ArrayList<>(two), milestones);
        milestones[0] = 6;
        s.getMilestones()[0] = 7;
        assertArrayEquals(new int[] {5}, s.getMilestones(), "immutable");
        ScheduleContract.check(s, List.of("scheduleType", "schedules", "milestones", "iterationsPerEpoch"),
                List.of(new SequentialSchedule(ITERATION, two, new int[] {6}),
                        new SequentialSchedule(ITERATION, Arrays.asList(COSINE_10,
                                new CosineAnnealingSchedule(ITERATION, 0.2, 0.0, 10)), new int[] {5})));
    }

    // ---------------------------------------------------------------- ProductSchedule

    /**
     * braintools ChainedScheduler([LinearLR(start_factor=0.01, total_iters=5), CosineAnnealingLR(base_lr=0.1,
     * T_max=90)]) by hand, lr = 0.1 * linear factor * (1 + cos(pi * e / 90)) / 2, cos from Python's math.cos:
     * e=0: 0.1 * 0.01 * 1 = 0.001; e=1: 0.1 * 0.208 * 0.99969541... = 0.020793664600998595;
     * e=2: 0.1 * 0.406 * 0.99878202... = 0.040550550220274435; e=5: 0.1 * 1 * 0.99240387... = 0.09924038765061041;
     * e=45: 0.1 * 1 * 0.5 = 0.05; e=90: 0.
     */
    @ParameterizedTest
    @CsvSource({"0, 0.001", "1, 0.020793664600998595", "2, 0.040550550220274435", "5, 0.09924038765061041",
        "45, 0.05", "90, 0.0"})
    void braintoolsChainedScheduler(int epoch, double expected) {
        ProductSchedule s = new ProductSchedule(new LinearSchedule(EPOCH, 0.01, 1.0, 5),
                new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 90));
        assertEquals(expected, s.valueAt(epoch * 100, epoch), 1e-15);
    }

    @Test
    void productRules() throws Exception {
        assertRejected("schedules (null) must not be null", () -> new ProductSchedule((List<ISchedule>) null));
        assertRejected("schedules (null) must not be null", () -> new ProductSchedule((ISchedule[]) null));
        assertRejected("schedules ([]) must not be empty", () -> new ProductSchedule());
        assertRejected("schedules[0] (null) must not be null", () -> new ProductSchedule((ISchedule) null));
        // Units may differ between factors: a per-iteration warmup factor times a per-epoch cosine.
        ProductSchedule mixed = new ProductSchedule(new LinearSchedule(ITERATION, 0.0, 1.0, 100),
                new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 10));
        assertEquals(0.05 * 0.5, mixed.valueAt(50, 5), 1e-15);
        ScheduleContract.check(mixed, List.of("schedules"), List.of(new ProductSchedule(COSINE_10),
                new ProductSchedule(new LinearSchedule(ITERATION, 0.0, 1.0, 100))));
    }

    // ---------------------------------------------------------------- nesting

    /** A warmup around a sequence of restarts and a final cosine, with DL4J's own schedule inside, all per epoch. */
    static ISchedule nested() {
        return new LinearWarmupSchedule(EPOCH, 5, 0.0, new SequentialSchedule(EPOCH, Arrays.asList(
                new CosineWarmRestartsSchedule(EPOCH, 0.1, 0.001, 10, 2.0, 0.8, 2, 0),
                new ProductSchedule(new CosineAnnealingSchedule(EPOCH, 0.05, 0.0, 20), new StepSchedule(EPOCH, 1.0, 0.5, 10))),
                new int[] {30}));
    }

    /**
     * Epoch 5 is the sequence's epoch 0 (restarts peak 0.1); epoch 15 its epoch 10, the second restart, peak
     * 0.1 * 0.8 = 0.08; epoch 35 its epoch 30, the product's epoch 0: 0.05 * 1; epoch 45 the product's epoch 10:
     * 0.05 * (1 + cos(pi / 2)) / 2 * 0.5 = 0.0125.
     */
    @ParameterizedTest
    @CsvSource({"0, 0.0", "1, 0.02", "5, 0.1", "15, 0.08", "35, 0.05", "45, 0.0125", "55, 0.0"})
    void nestedComposition(int epoch, double expected) {
        assertEquals(expected, nested().valueAt(epoch * 7, epoch), 1e-15);
    }

    @Test
    void nestedContract() throws Exception {
        ScheduleContract.check(nested(), List.of("scheduleType", "warmupPeriod", "startValue", "schedule",
                "iterationsPerEpoch"), List.of());
    }
}
