package io.github.dl4jcosine.schedule;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.schedule.InverseSchedule;

import java.util.List;

import static io.github.dl4jcosine.schedule.ScheduleContract.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.nd4j.linalg.schedule.ScheduleType.EPOCH;
import static org.nd4j.linalg.schedule.ScheduleType.ITERATION;

/** {@link InverseTimeDecaySchedule}; its Keras values are in {@link KerasReferenceTest}. */
class InverseTimeDecayScheduleTest {

    private static final List<String> PROPERTIES = List.of("scheduleType", "initialValue", "decayRate", "decayPeriod",
            "staircase", "iterationsPerEpoch");

    /**
     * Hand derivation, 0.1 / (1 + 0.5 p), p = t / 10: t = 5: 0.1 / 1.25 = 0.08; t = 10: 0.1 / 1.5; t = 30: 0.04.
     * Staircase, p = floor(t / 10): t = 5 and 9: 0.1; t = 19: 0.1 / 1.5; t = 20: 0.05.
     */
    @ParameterizedTest
    @CsvSource({"0, 0.1, 0.1", "5, 0.08, 0.1", "9, 0.0689655172413793, 0.1", "10, 0.06666666666666667, 0.06666666666666667",
        "19, 0.05128205128205128, 0.06666666666666667", "20, 0.05, 0.05", "30, 0.04, 0.04"})
    void handDerived(int t, double continuous, double staircase) {
        assertEquals(continuous, new InverseTimeDecaySchedule(ITERATION, 0.1, 0.5, 10, false, 0).valueAt(t, 0), 1e-15);
        assertEquals(staircase, new InverseTimeDecaySchedule(ITERATION, 0.1, 0.5, 10, true, 0).valueAt(t, 0), 1e-15);
        assertEquals(staircase, new InverseTimeDecaySchedule(EPOCH, 0.1, 0.5, 10, true, 0).valueAt(3, t), 1e-15);
    }

    /** The continuous form is DL4J's InverseSchedule with gamma = decayRate / decayPeriod and power 1. */
    @Test
    void continuousIsDl4jsInverseSchedule() {
        InverseTimeDecaySchedule ours = new InverseTimeDecaySchedule(ITERATION, 0.03, 2.0, 7, false, 0);
        InverseSchedule dl4j = new InverseSchedule(ITERATION, 0.03, 2.0 / 7, 1.0);
        for (int t : new int[] {0, 1, 6, 7, 100, 12345, Integer.MAX_VALUE}) {
            assertEquals(dl4j.valueAt(t, 0), ours.valueAt(t, 0), 1e-15 * 0.03, "t = " + t);
        }
    }

    /** Fractional epochs, 4 per epoch: iteration 6 of epoch 1 is t = 1.5; over 0.5 epochs that is p = 3 (or 3 stairs). */
    @Test
    void fractionalEpochs() {
        assertEquals(0.1 / 4, new InverseTimeDecaySchedule(EPOCH, 0.1, 1.0, 0.5, true, 4).valueAt(6, 1), 1e-16);
        // iteration 5 of epoch 1: t = 1.25, p = 2.5, two stairs
        assertEquals(0.1 / 3, new InverseTimeDecaySchedule(EPOCH, 0.1, 1.0, 0.5, true, 4).valueAt(5, 1), 1e-16);
        assertEquals(0.1 / 3.5, new InverseTimeDecaySchedule(EPOCH, 0.1, 1.0, 0.5, false, 4).valueAt(5, 1), 1e-16);
    }

    @Test
    void zeroRateHolds() {
        InverseTimeDecaySchedule s = new InverseTimeDecaySchedule(ITERATION, 0.1, 0.0, 1e-9, false, 0);
        assertEquals(0.1, s.valueAt(Integer.MAX_VALUE, 0), 0.0);
    }

    @Test
    void contract() throws Exception {
        InverseTimeDecaySchedule s = new InverseTimeDecaySchedule(EPOCH, 0.1, 0.5, 2.5, true, 390);
        ScheduleContract.check(s, PROPERTIES, List.of(
                new InverseTimeDecaySchedule(ITERATION, 0.1, 0.5, 2.5, true, 0),
                new InverseTimeDecaySchedule(EPOCH, 0.2, 0.5, 2.5, true, 390),
                new InverseTimeDecaySchedule(EPOCH, 0.1, 0.6, 2.5, true, 390),
                new InverseTimeDecaySchedule(EPOCH, 0.1, 0.5, 3, true, 390),
                new InverseTimeDecaySchedule(EPOCH, 0.1, 0.5, 2.5, false, 390),
                new InverseTimeDecaySchedule(EPOCH, 0.1, 0.5, 2.5, true, 391)));
    }

    @Test
    void toStringNamesEveryProperty() {
        assertEquals("InverseTimeDecaySchedule(initialValue=0.1, decayRate=0.5, decayPeriod=10.0, staircase=true,"
                + " scheduleType=ITERATION)", new InverseTimeDecaySchedule(ITERATION, 0.1, 0.5, 10, true, 0).toString());
    }

    @Test
    void rejectsInvalidArguments() {
        assertRejected("scheduleType (null) must not be null",
                () -> new InverseTimeDecaySchedule(null, 0.1, 0.5, 10, true, 0));
        assertRejected("initialValue (-0.1) must be >= 0",
                () -> new InverseTimeDecaySchedule(ITERATION, -0.1, 0.5, 10, true, 0));
        assertRejected("decayRate (-0.5) must be >= 0",
                () -> new InverseTimeDecaySchedule(ITERATION, 0.1, -0.5, 10, true, 0));
        assertRejected("decayRate (NaN) must be finite",
                () -> new InverseTimeDecaySchedule(ITERATION, 0.1, Double.NaN, 10, true, 0));
        assertRejected("decayPeriod (0.0) must be >= 1.0E-9",
                () -> new InverseTimeDecaySchedule(ITERATION, 0.1, 0.5, 0, true, 0));
        assertRejected("decayPeriod (Infinity) must be finite",
                () -> new InverseTimeDecaySchedule(ITERATION, 0.1, 0.5, Double.POSITIVE_INFINITY, true, 0));
        assertRejected("iterationsPerEpoch (-1) must be >= 0",
                () -> new InverseTimeDecaySchedule(EPOCH, 0.1, 0.5, 10, true, -1));
    }
}
