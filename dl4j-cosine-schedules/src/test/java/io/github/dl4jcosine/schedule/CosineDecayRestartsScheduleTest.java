package io.github.dl4jcosine.schedule;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Random;

import static io.github.dl4jcosine.schedule.ScheduleContract.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.schedule.ScheduleType.EPOCH;
import static org.nd4j.linalg.schedule.ScheduleType.ITERATION;

/** {@link CosineDecayRestartsSchedule}; its Keras values are in {@link KerasReferenceTest}. */
class CosineDecayRestartsScheduleTest {

    private static final List<String> PROPERTIES = List.of("scheduleType", "initialValue", "minValue", "firstPeriod",
            "periodMultiplier", "amplitudeDecay", "iterationsPerEpoch");

    /**
     * Hand derivation, 0.1 with floor 0.01 (Keras alpha 0.1), cycles 10, 20, 40 starting at 0, 10, 30, amplitude
     * 0.09 halving: t = 5 is halfway through cycle 0: 0.01 + 0.09 / 2 = 0.055; t = 10 restarts at 0.01 + 0.045 = 0.055;
     * t = 20 is halfway through cycle 1: 0.01 + 0.045 / 2 = 0.0325; t = 30 restarts at 0.01 + 0.0225; t = 29 is
     * 19/20 through cycle 1: 0.01 + 0.045 (1 + cos(0.95 pi)) / 2 = 0.01 + 0.045 * 0.00615582970243117; t = 70 starts cycle 3:
     * 0.01 + 0.01125.
     */
    @ParameterizedTest
    @CsvSource({"0, 0.1", "5, 0.055", "10, 0.055", "20, 0.0325", "29, 0.010277012336609403", "30, 0.0325",
        "50, 0.02125", "70, 0.02125"})
    void handDerived(int t, double expected) {
        assertEquals(expected, new CosineDecayRestartsSchedule(ITERATION, 0.1, 0.01, 10, 2.0, 0.5, 0).valueAt(t, 0),
                1e-15);
        assertEquals(expected, new CosineDecayRestartsSchedule(EPOCH, 0.1, 0.01, 10, 2.0, 0.5, 0).valueAt(1, t), 1e-15);
    }

    /**
     * A floor above the start (Keras alpha 1.5): amplitude 0.1 - 0.15 = -0.05, decaying by 0.7: t = 5, halfway:
     * 0.15 - 0.025 = 0.125; t = 10 restarts at 0.15 - 0.035 = 0.115. Amplitude decay 0 (Keras m_mul 0): one cosine,
     * then the floor.
     */
    @Test
    void floorAboveTheStartAndZeroDecay() {
        CosineDecayRestartsSchedule rising = new CosineDecayRestartsSchedule(ITERATION, 0.1, 0.15, 10, 1.0, 0.7, 0);
        assertEquals(0.125, rising.valueAt(5, 0), 1e-15);
        assertEquals(0.115, rising.valueAt(10, 0), 1e-15);
        assertEquals(0.15, rising.largestValue(), 0.0);
        CosineDecayRestartsSchedule once = new CosineDecayRestartsSchedule(ITERATION, 0.1, 0.01, 5, 1.0, 0.0, 0);
        assertEquals(0.055, once.valueAt(2, 0) + 0.0, 0.045);
        for (int t : new int[] {5, 6, 100, Integer.MAX_VALUE}) {
            assertEquals(0.01, once.valueAt(t, 0), 0.0, "t = " + t);
        }
    }

    /** T_0 = 1, T_mult = 3: restarts at 0, 1, 4, 13, 40, 121, 364, ...; exactly at 121, where PyTorch misses it. */
    @Test
    void exactRestarts() {
        CosineDecayRestartsSchedule s = new CosineDecayRestartsSchedule(ITERATION, 1.0, 0.1, 1, 3.0, 0.9, 0);
        double amplitude = 0.9;
        long start = 0;
        long length = 1;
        for (int k = 0; start <= Integer.MAX_VALUE; k++) {
            assertEquals(0.1 + amplitude, s.valueAt((int) start, 0), 1e-15 * (1 + k), "restart " + k + " at " + start);
            amplitude *= 0.9;
            start += length;
            length *= 3;
        }
    }

    /** With a floor of 0 or no decay it is CosineWarmRestartsSchedule's formula. */
    @Test
    void agreesWithCosineWarmRestartsWhereTheyMeanTheSame() {
        CosineDecayRestartsSchedule noFloor = new CosineDecayRestartsSchedule(ITERATION, 0.1, 0.0, 7, 1.5, 0.8, 0);
        CosineWarmRestartsSchedule peakDecay = new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 7, 1.5, 0.8, 0, 0);
        CosineDecayRestartsSchedule noDecay = new CosineDecayRestartsSchedule(ITERATION, 0.1, 0.02, 7, 2.0, 1.0, 0);
        CosineWarmRestartsSchedule sgdr = new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.02, 7, 2.0);
        for (int t = 0; t < 2000; t += 3) {
            assertEquals(peakDecay.valueAt(t, 0), noFloor.valueAt(t, 0), 1e-16, "t = " + t);
            assertEquals(sgdr.valueAt(t, 0), noDecay.valueAt(t, 0), 1e-16, "t = " + t);
        }
    }

    @Test
    void invariantsOverRandomParameters() {
        Random random = new Random(20261202L);
        for (int trial = 0; trial < 100; trial++) {
            double init = random.nextDouble();
            double min = random.nextDouble() * init;
            int first = 1 + random.nextInt(20);
            double mult = 1 + random.nextInt(3) * 0.5;
            double decay = random.nextDouble();
            CosineDecayRestartsSchedule s = new CosineDecayRestartsSchedule(ITERATION, init, min, first, mult, decay, 0);
            double amplitude = init - min;
            double start = 0;
            double length = first;
            double previous = Double.POSITIVE_INFINITY;
            for (int t = 0; t < 500; t++) {
                double v = s.valueAt(t, 0);
                assertTrue(v >= min - 1e-15 && v <= s.largestValue() + 1e-15, s + " at " + t + ": " + v);
                while (t >= start + length) {
                    start += length;
                    length *= mult;
                    amplitude *= decay;
                }
                if (t == start) {
                    assertEquals(min + amplitude, v, 1e-15, s + " restarts at " + t);
                } else if (t - 1 >= start) {
                    assertTrue(v <= previous + 1e-15, s + " rises inside a cycle at " + t);
                }
                previous = v;
            }
        }
    }

    @Test
    void contract() throws Exception {
        CosineDecayRestartsSchedule s = new CosineDecayRestartsSchedule(EPOCH, 0.1, 0.001, 10, 2.0, 0.9, 390);
        ScheduleContract.check(s, PROPERTIES, List.of(
                new CosineDecayRestartsSchedule(ITERATION, 0.1, 0.001, 10, 2.0, 0.9, 0),
                new CosineDecayRestartsSchedule(EPOCH, 0.2, 0.001, 10, 2.0, 0.9, 390),
                new CosineDecayRestartsSchedule(EPOCH, 0.1, 0.002, 10, 2.0, 0.9, 390),
                new CosineDecayRestartsSchedule(EPOCH, 0.1, 0.001, 11, 2.0, 0.9, 390),
                new CosineDecayRestartsSchedule(EPOCH, 0.1, 0.001, 10, 3.0, 0.9, 390),
                new CosineDecayRestartsSchedule(EPOCH, 0.1, 0.001, 10, 2.0, 0.8, 390),
                new CosineDecayRestartsSchedule(EPOCH, 0.1, 0.001, 10, 2.0, 0.9, 391)));
    }

    @Test
    void toStringNamesEveryProperty() {
        assertEquals("CosineDecayRestartsSchedule(initialValue=0.1, minValue=0.01, firstPeriod=10, periodMultiplier=2.0,"
                + " amplitudeDecay=0.5, scheduleType=ITERATION)",
                new CosineDecayRestartsSchedule(ITERATION, 0.1, 0.01, 10, 2.0, 0.5, 0).toString());
    }

    @Test
    void rejectsInvalidArguments() {
        assertRejected("scheduleType (null) must not be null",
                () -> new CosineDecayRestartsSchedule(null, 0.1, 0.01, 10, 2.0, 0.5, 0));
        assertRejected("initialValue (-0.1) must be >= 0",
                () -> new CosineDecayRestartsSchedule(ITERATION, -0.1, 0.01, 10, 2.0, 0.5, 0));
        assertRejected("minValue (NaN) must be finite",
                () -> new CosineDecayRestartsSchedule(ITERATION, 0.1, Double.NaN, 10, 2.0, 0.5, 0));
        assertRejected("firstPeriod (0) must be > 0",
                () -> new CosineDecayRestartsSchedule(ITERATION, 0.1, 0.01, 0, 2.0, 0.5, 0));
        assertRejected("periodMultiplier (0.5) must be >= 1",
                () -> new CosineDecayRestartsSchedule(ITERATION, 0.1, 0.01, 10, 0.5, 0.5, 0));
        assertRejected("periodMultiplier (NaN) must be finite",
                () -> new CosineDecayRestartsSchedule(ITERATION, 0.1, 0.01, 10, Double.NaN, 0.5, 0));
        assertRejected("amplitudeDecay (-0.5) must be >= 0",
                () -> new CosineDecayRestartsSchedule(ITERATION, 0.1, 0.01, 10, 2.0, -0.5, 0));
        // 2^31 cycles of length 1 (the last starts at 2^31 - 1): 1.5^(2^31 - 1) overflows
        assertRejected("amplitudeDecay (1.5) takes the restart value of cycle 2147483647",
                () -> new CosineDecayRestartsSchedule(ITERATION, 1.0, 0.0, 1, 1.0, 1.5, 0));
        // a floor above the start with a growing amplitude: 1 - 0.9 * 2^31 < 0 at cycle 31 (start 2^31 - 1)
        assertRejected("amplitudeDecay (2.0) takes the restart value of cycle 31 (which starts below 2^31) to -1.93",
                () -> new CosineDecayRestartsSchedule(ITERATION, 0.1, 1.0, 1, 2.0, 2.0, 0));
        // a growing amplitude that stays in range is fine: 1.2^24 over 25 cycles of doubling length 100
        assertEquals(0.1 * Math.pow(1.2, 24), new CosineDecayRestartsSchedule(ITERATION, 0.1, 0.0, 100, 2.0, 1.2, 0)
                .largestValue(), 1e-12);
        assertRejected("iterationsPerEpoch (3) must be 0 with scheduleType=ITERATION",
                () -> new CosineDecayRestartsSchedule(ITERATION, 0.1, 0.01, 10, 2.0, 0.5, 3));
    }
}
