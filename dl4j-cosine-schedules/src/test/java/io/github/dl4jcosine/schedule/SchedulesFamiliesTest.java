package io.github.dl4jcosine.schedule;

import io.github.dl4jcosine.schedule.WarmupStableDecaySchedule.Shape;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.schedule.FixedSchedule;

import static io.github.dl4jcosine.schedule.ScheduleContract.assertRejected;
import static io.github.dl4jcosine.schedule.Schedules.cosine;
import static io.github.dl4jcosine.schedule.Schedules.oneCycle;
import static io.github.dl4jcosine.schedule.Schedules.oneCycleMomentum;
import static io.github.dl4jcosine.schedule.Schedules.sgdr;
import static io.github.dl4jcosine.schedule.Schedules.sqrtScaling;
import static io.github.dl4jcosine.schedule.Schedules.warmupCosine;
import static io.github.dl4jcosine.schedule.Schedules.wsd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.nd4j.linalg.schedule.ScheduleType.EPOCH;
import static org.nd4j.linalg.schedule.ScheduleType.ITERATION;

/** The facade for the one-cycle and WSD families, sqrt scaling and minRatio, with the documented defaults. */
class SchedulesFamiliesTest {

    /** PyTorch OneCycleLR defaults: initial = max / div_factor (25), final = initial / final_div_factor (1e4), 0.3. */
    @Test
    void oneCycleDefaults() {
        assertEquals(new OneCycleSchedule(ITERATION, 0.004, 0.1, 4e-7, 1000, 0.3, false, 0), oneCycle(ITERATION, 0.1, 1000));
        assertEquals(new OneCycleSchedule(EPOCH, 0.95, 0.85, 0.95, 30, 0.3, false, 0), oneCycleMomentum(EPOCH, 30));
        assertEquals(oneCycle(ITERATION, 0.1, 1000), oneCycle(ITERATION).peakValue(0.1).totalPeriod(1000).build());
        assertEquals(new OneCycleSchedule(EPOCH, 0.01, 0.1, 0.0, 30, 0.25, true, 390), oneCycle(EPOCH).peakValue(0.1)
                .initialValue(0.01).finalValue(0.0).totalPeriod(30).peakFraction(0.25).threePhase(true)
                .iterationsPerEpoch(390).build());
        assertRejected("totalPeriod is required: call totalPeriod(...) before build()",
                () -> oneCycle(ITERATION).peakValue(0.1).build());
    }

    /**
     * A bad peak given to the one-cycle facade or builder is named as the caller wrote it: maxValue / peakValue,
     * not the initialValue derived from it (max / 25), which the caller never passed.
     */
    @Test
    void oneCycleBadPeakIsNamedAsGiven() {
        assertRejected("maxValue (-1.0) must be >= 0", () -> oneCycle(ITERATION, -1.0, 100));
        assertRejected("maxValue (NaN) must be finite", () -> oneCycle(ITERATION, Double.NaN, 100));
        assertRejected("maxValue (Infinity) must be finite", () -> oneCycle(ITERATION, Double.POSITIVE_INFINITY, 100));
        assertRejected("peakValue (-1.0) must be >= 0",
                () -> oneCycle(ITERATION).peakValue(-1.0).totalPeriod(100).build());
        assertRejected("peakValue (NaN) must be finite",
                () -> oneCycle(ITERATION).peakValue(Double.NaN).totalPeriod(100).build());
    }

    /** Hugging Face get_wsd_schedule defaults: warmup from 0, linear; cosine decay to 0 (min_lr_ratio 0). */
    @Test
    void wsdDefaults() {
        assertEquals(new WarmupStableDecaySchedule(ITERATION, 3e-4, 0.0, 0.0, 2000, 88000, 10000, Shape.LINEAR,
                Shape.COSINE, 0), wsd(ITERATION, 3e-4, 2000, 88000, 10000));
        assertEquals(wsd(EPOCH, 0.1, 1, 2, 3), wsd(EPOCH).peakValue(0.1).warmupPeriod(1).stablePeriod(2)
                .decayPeriod(3).build());
        assertEquals(new WarmupStableDecaySchedule(EPOCH, 0.1, 0.05, 0.05, 1, 2, 3, Shape.COSINE, Shape.ONE_MINUS_SQRT,
                390), wsd(EPOCH).peakValue(0.1).warmupStartValue(0.05).minRatio(0.5).warmupPeriod(1)
                .stablePeriod(2).decayPeriod(3).warmupShape(Shape.COSINE).decayShape(Shape.ONE_MINUS_SQRT)
                .iterationsPerEpoch(390).build());
        assertRejected("decayShape (null) must not be null", () -> wsd(EPOCH).peakValue(0.1)
                .warmupPeriod(1).stablePeriod(2).decayPeriod(3).decayShape(null).build());
    }

    /** sqrt(1024 / 256) = 2 and sqrt(64 / 256) = 0.5: a FixedSchedule factor in a product, like linearScaling. */
    @Test
    void sqrtScalingMultipliesBySqrtOfBatchOver256() {
        OneCycleSchedule s = oneCycle(ITERATION, 0.1, 100);
        assertEquals(new ProductSchedule(new FixedSchedule(2.0), s), sqrtScaling(s, 1024));
        assertEquals(new ProductSchedule(new FixedSchedule(0.5), s), sqrtScaling(s, 64));
        assertEquals(0.2, sqrtScaling(s, 1024).valueAt(29, 0), 1e-15);
        assertRejected("batchSize (0) must be > 0", () -> sqrtScaling(s, 0));
        assertRejected("schedule (null) must not be null", () -> sqrtScaling(null, 64));
    }

    /**
     * minValue = ratio x the initial (cosine, restarts) or peak (warmup-cosine, WSD) value, whenever set; ratios
     * and values chosen so that the products are exact in double (0.25 x 0.2 = 0.05), plus 0.1 x 0.2, which is
     * 0.020000000000000004 in double (as Hugging Face's min_lr_ratio * lr).
     */
    @Test
    void minRatioOnEveryBuilderWithAMinValue() {
        assertEquals(new CosineAnnealingSchedule(EPOCH, 0.2, 0.05, 90, 0),
                cosine(EPOCH).minRatio(0.25).initialValue(0.2).period(90).build());
        assertEquals(new CosineAnnealingSchedule(EPOCH, 0.2, 0.020000000000000004, 90, 0),
                cosine(EPOCH).minRatio(0.1).initialValue(0.2).period(90).build());
        assertEquals(new CosineWarmRestartsSchedule(EPOCH, 0.2, 0.1, 10, 2.0, 1.0, 0, 0),
                sgdr(EPOCH).initialValue(0.2).minRatio(0.5).firstPeriod(10).periodMultiplier(2).build());
        assertEquals(new WarmupCosineSchedule(EPOCH, 0.4, 0.0, 0.0, 5, 90, 0),
                warmupCosine(EPOCH).peakValue(0.4).minRatio(0.0).warmupPeriod(5).totalPeriod(90).build());
        assertEquals(new WarmupStableDecaySchedule(ITERATION, 0.4, 0.0, 0.4, 1, 1, 1, Shape.LINEAR, Shape.COSINE, 0),
                wsd(ITERATION).peakValue(0.4).minRatio(1.0).warmupPeriod(1).stablePeriod(1)
                        .decayPeriod(1).build());
        for (double bad : new double[] {-0.1, 1.5, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertRejected("minRatio (" + bad + ") must be in [0, 1]", () -> cosine(EPOCH).minRatio(bad));
            assertRejected("minRatio (" + bad + ") must be in [0, 1]", () -> sgdr(EPOCH).minRatio(bad));
            assertRejected("minRatio (" + bad + ") must be in [0, 1]", () -> warmupCosine(EPOCH).minRatio(bad));
            assertRejected("minRatio (" + bad + ") must be in [0, 1]", () -> wsd(EPOCH).minRatio(bad));
        }
        assertRejected("minValue (0.01) and minRatio (0.1) are both set",
                () -> cosine(EPOCH).initialValue(0.2).minValue(0.01).minRatio(0.1).period(90).build());
    }
}
