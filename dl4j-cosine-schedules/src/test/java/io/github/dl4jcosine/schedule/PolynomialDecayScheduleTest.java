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

/** {@link PolynomialDecaySchedule}; its Keras values are in {@link KerasReferenceTest}. */
class PolynomialDecayScheduleTest {

    private static final List<String> PROPERTIES = List.of("scheduleType", "initialValue", "endValue", "decayPeriod",
            "power", "cycle", "iterationsPerEpoch");

    /**
     * Hand derivation, 0.1 -> 0.01 over 100, power 0.5: t = 75 is a quarter left, sqrt(0.25) = 0.5, so
     * 0.09 * 0.5 + 0.01 = 0.055; t = 99: 0.09 * sqrt(0.01) + 0.01 = 0.019; from t = 100 on 0.01.
     */
    @ParameterizedTest
    @CsvSource({"0, 0.1", "75, 0.055", "99, 0.019", "100, 0.01", "1000, 0.01", "2147483647, 0.01"})
    void handDerivedWithoutCycle(int t, double expected) {
        assertEquals(expected, new PolynomialDecaySchedule(ITERATION, 0.1, 0.01, 100, 0.5, false, 0).valueAt(t, 0),
                1e-15);
        assertEquals(expected, new PolynomialDecaySchedule(EPOCH, 0.1, 0.01, 100, 0.5, false, 0).valueAt(7, t), 1e-15);
    }

    /**
     * Hand derivation, 1 -> 0 over 10, power 1, cycling: up to t = 10 the first decay (t = 10: 0); t = 11 decays over
     * the first multiple at or above it, 20: 1 - 11/20 = 0.45; t = 15: 0.25; t = 20: 0; t = 21 over 30: 0.3;
     * t = 95 over 100: 0.05.
     */
    @ParameterizedTest
    @CsvSource({"0, 1.0", "5, 0.5", "10, 0.0", "11, 0.45", "15, 0.25", "20, 0.0", "21, 0.3", "95, 0.05", "100, 0.0"})
    void handDerivedWithCycle(int t, double expected) {
        assertEquals(expected, new PolynomialDecaySchedule(ITERATION, 1.0, 0.0, 10, 1.0, true, 0).valueAt(t, 0), 1e-15);
    }

    /** Power 0: (1 - p)^0 = 1 everywhere, 0^0 included, as Keras computes: the initial value, held. */
    @Test
    void powerZeroHoldsTheInitialValue() {
        for (boolean cycle : new boolean[] {false, true}) {
            PolynomialDecaySchedule s = new PolynomialDecaySchedule(ITERATION, 0.1, 0.02, 10, 0.0, cycle, 0);
            for (int t : new int[] {0, 5, 10, 11, 20, 1000, Integer.MAX_VALUE}) {
                assertEquals(0.1, s.valueAt(t, 0), 1e-17, "t = " + t);
            }
        }
    }

    /** A rising polynomial (end above start) and a fractional decay period: 0.01 -> 0.1 over 2.5, power 1, t = 1: 0.046. */
    @Test
    void risingAndFractionalPeriod() {
        PolynomialDecaySchedule s = new PolynomialDecaySchedule(ITERATION, 0.01, 0.1, 2.5, 1.0, false, 0);
        assertEquals(0.046, s.valueAt(1, 0), 1e-15);
        assertEquals(0.1, s.valueAt(3, 0), 0.0);
        assertEquals(0.1, s.largestValue(), 0.0);
        // cycling over 2.5: t = 3 decays over 5 (1 - 3/5 = 0.4 of the way left): 0.1 - 0.09 * 0.4 = 0.064
        assertEquals(0.064, new PolynomialDecaySchedule(ITERATION, 0.01, 0.1, 2.5, 1.0, true, 0).valueAt(3, 0), 1e-15);
    }

    /** Fractional epochs, 4 iterations per epoch: iteration 6 of epoch 1 is t = 1.5, half of 3 epochs: 0.5. */
    @Test
    void fractionalEpochs() {
        assertEquals(0.5, new PolynomialDecaySchedule(EPOCH, 1.0, 0.0, 3, 1.0, false, 4).valueAt(6, 1), 1e-15);
    }

    @Test
    void invariantsOverRandomParameters() {
        Random random = new Random(20261201L);
        for (int trial = 0; trial < 200; trial++) {
            double a = random.nextDouble();
            double b = random.nextDouble();
            double period = 0.5 + random.nextInt(50) + (random.nextBoolean() ? 0 : random.nextDouble());
            double power = random.nextDouble() * 4;
            boolean cycle = random.nextBoolean();
            PolynomialDecaySchedule s = new PolynomialDecaySchedule(ITERATION, a, b, period, power, cycle, 0);
            assertEquals(a, s.valueAt(0, 0), 1e-15);
            double previous = a;
            for (int t = 1; t < 200; t++) {
                double v = s.valueAt(t, 0);
                assertTrue(v >= Math.min(a, b) - 1e-15 && v <= Math.max(a, b) + 1e-15, s + " at " + t + ": " + v);
                if (!cycle || Math.ceil(t / period) == Math.ceil((t - 1) / period) || t - 1 == 0) {
                    // within one decay the value moves monotonically toward endValue
                    assertTrue(a >= b ? v <= previous + 1e-15 : v >= previous - 1e-15, s + " at " + t);
                }
                previous = v;
            }
        }
    }

    @Test
    void contract() throws Exception {
        PolynomialDecaySchedule s = new PolynomialDecaySchedule(EPOCH, 0.1, 0.001, 30, 2.0, true, 390);
        ScheduleContract.check(s, PROPERTIES, List.of(
                new PolynomialDecaySchedule(ITERATION, 0.1, 0.001, 30, 2.0, true, 0),
                new PolynomialDecaySchedule(EPOCH, 0.2, 0.001, 30, 2.0, true, 390),
                new PolynomialDecaySchedule(EPOCH, 0.1, 0.002, 30, 2.0, true, 390),
                new PolynomialDecaySchedule(EPOCH, 0.1, 0.001, 30.5, 2.0, true, 390),
                new PolynomialDecaySchedule(EPOCH, 0.1, 0.001, 30, 2.5, true, 390),
                new PolynomialDecaySchedule(EPOCH, 0.1, 0.001, 30, 2.0, false, 390),
                new PolynomialDecaySchedule(EPOCH, 0.1, 0.001, 30, 2.0, true, 391)));
    }

    @Test
    void toStringNamesEveryProperty() {
        assertEquals("PolynomialDecaySchedule(initialValue=0.1, endValue=0.0, decayPeriod=100.0, power=0.5, cycle=true,"
                + " scheduleType=ITERATION)", new PolynomialDecaySchedule(ITERATION, 0.1, 0, 100, 0.5, true, 0).toString());
    }

    @Test
    void rejectsInvalidArguments() {
        assertRejected("scheduleType (null) must not be null",
                () -> new PolynomialDecaySchedule(null, 0.1, 0.0, 10, 1.0, false, 0));
        assertRejected("initialValue (NaN) must be finite",
                () -> new PolynomialDecaySchedule(ITERATION, Double.NaN, 0.0, 10, 1.0, false, 0));
        assertRejected("initialValue (-0.1) must be >= 0",
                () -> new PolynomialDecaySchedule(ITERATION, -0.1, 0.0, 10, 1.0, false, 0));
        assertRejected("endValue (-1.0E-4) must be >= 0",
                () -> new PolynomialDecaySchedule(ITERATION, 0.1, -1e-4, 10, 1.0, false, 0));
        assertRejected("decayPeriod (0.0) must be >= 1.0E-9",
                () -> new PolynomialDecaySchedule(ITERATION, 0.1, 0.0, 0, 1.0, false, 0));
        assertRejected("decayPeriod (NaN) must be finite",
                () -> new PolynomialDecaySchedule(ITERATION, 0.1, 0.0, Double.NaN, 1.0, false, 0));
        assertRejected("decayPeriod (-5.0) must be >= 1.0E-9",
                () -> new PolynomialDecaySchedule(ITERATION, 0.1, 0.0, -5, 1.0, false, 0));
        assertRejected("power (-1.0) must be >= 0",
                () -> new PolynomialDecaySchedule(ITERATION, 0.1, 0.0, 10, -1.0, false, 0));
        assertRejected("power (Infinity) must be finite",
                () -> new PolynomialDecaySchedule(ITERATION, 0.1, 0.0, 10, Double.POSITIVE_INFINITY, false, 0));
        assertRejected("iterationsPerEpoch (3) must be 0 with scheduleType=ITERATION",
                () -> new PolynomialDecaySchedule(ITERATION, 0.1, 0.0, 10, 1.0, false, 3));
        PolynomialDecaySchedule s = new PolynomialDecaySchedule(ITERATION, 0.1, 0.0, 10, 1.0, false, 0);
        assertRejected("iteration (-7) must be >= 0", () -> s.valueAt(-7, 0));
    }
}
