package io.github.dl4jcosine.schedule;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.github.dl4jcosine.schedule.ScheduleContract.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.schedule.ScheduleType.EPOCH;
import static org.nd4j.linalg.schedule.ScheduleType.ITERATION;

/**
 * The cycle queries of CosineWarmRestartsSchedule agree with each other at the top of the int range, and
 * restartPoints returns only points below 2^31 without allocating what it cannot have.
 */
class CycleQueriesTest {

    private static final int MAX = Integer.MAX_VALUE;

    /**
     * Constant period T: iteration 2^31 - 1 = 2147483647 is in cycle floor(2147483647 / T), which starts at
     * T * that. T = 1: cycle 2147483647 starts at 2147483647 (used to fail: cycle index beyond the accepted
     * range); T = 2: 1073741823, start 2147483646; T = 3: 2147483647 = 3 * 715827882 + 1; T = 2^31 - 1: cycle 1.
     */
    @ParameterizedTest
    @CsvSource({"1, 2147483647, 2147483647", "2, 1073741823, 2147483646", "3, 715827882, 2147483646",
        "7, 306783378, 2147483646", "2147483647, 1, 2147483647", "1073741824, 1, 1073741824"})
    void cycleOfTheLastIterationHasAStart(int period, int cycle, double start) {
        for (CosineWarmRestartsSchedule s : new CosineWarmRestartsSchedule[] {
            new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, period, 1.0),
            // limited to end with that cycle (for period 1 the limit would be 2^31: unlimited instead)
            new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, period, 1.0, 0.9, cycle == MAX ? 0 : cycle + 1, 0)}) {
            assertEquals(cycle, s.cycleIndex(MAX, 0), s.toString());
            assertEquals(start, s.cycleStart(s.cycleIndex(MAX, 0)), 0.0, s.toString());
            assertEquals(period, s.cycleLength(cycle), 0.0);
            assertTrue(s.cycleStart(cycle) <= MAX && MAX < s.cycleStart(cycle) + s.cycleLength(cycle));
        }
        CosineWarmRestartsSchedule epochs = new CosineWarmRestartsSchedule(EPOCH, 0.1, 0.0, period, 1.0);
        assertEquals(start, epochs.cycleStart(epochs.cycleIndex(5, MAX)), 0.0);
    }

    /** Period 1: every update is the last of its cycle, the very last int one included (its cycle ends at 2^31). */
    @Test
    void lastUpdateOfCycleAtTheTopOfTheRange() {
        CosineWarmRestartsSchedule one = new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 1, 1.0);
        assertTrue(one.isLastUpdateOfCycle(MAX, 0));
        assertTrue(one.isLastUpdateOfCycle(MAX - 1, 0));
        // period 2: cycle 1073741823 is [2147483646, 2147483648): 2147483646 is not its last update, 2147483647 is
        CosineWarmRestartsSchedule two = new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 2, 1.0);
        assertFalse(two.isLastUpdateOfCycle(MAX - 1, 0));
        assertTrue(two.isLastUpdateOfCycle(MAX, 0));
        assertTrue(new CosineWarmRestartsSchedule(EPOCH, 0.1, 0.0, 1, 1.0).isLastUpdateOfCycle(0, MAX));
        // the value there: a period of 1 restarts every update
        assertEquals(0.1, one.valueAt(MAX, 0), 0.0);
    }

    /**
     * Points below 2^31 only: T_0 = 2^29, T_mult = 3 starts cycles at 0, 2^29 and 2^29 + 3 * 2^29 = 2^31 (no longer
     * listed); a constant 2^30 at 0, 2^30 (2^31 excluded; this call used to allocate 2^31 - 1 doubles);
     * T_0 = 1, T_mult = 2 at 2^k - 1 for k = 0 .. 31, the last 2147483647.
     */
    @Test
    void restartPointsBelowTwoToTheThirtyFirst() {
        assertArrayEquals(new double[] {0, 536870912}, new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 1 << 29, 3.0)
                .restartPoints(MAX), 0.0);
        assertArrayEquals(new double[] {0, 1073741824}, new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 1 << 30, 1.0)
                .restartPoints(MAX), 0.0);
        assertArrayEquals(new double[] {0, 2147483647}, new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, MAX, 1.0)
                .restartPoints(MAX), 0.0);
        double[] doubling = new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 1, 2.0).restartPoints(MAX);
        assertEquals(32, doubling.length);
        assertEquals(2147483647.0, doubling[31], 0.0);
        // a period of 2048 has 2^31 / 2048 = 1048576 restarts below 2^31, the last at 2^31 - 2048 = 2147481600
        double[] many = new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 2048, 1.0).restartPoints(MAX);
        assertEquals(1 << 20, many.length);
        assertEquals(2147481600.0, many[many.length - 1], 0.0);
    }

    /** More restarts than an array should hold (2^31 of them for a period of 1): a clear error, not an OutOfMemoryError. */
    @Test
    void tooManyRestartPointsIsAClearError() {
        CosineWarmRestartsSchedule one = new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 1, 1.0);
        assertRejected("restartPoints(2147483647) would return 2147483647 points, more than 1048576"
                + " (2147483648 cycles start below 2^31); ask for fewer or use cycleStart(k)", () -> one.restartPoints(MAX));
        assertArrayEquals(new double[] {0, 1, 2, 3}, one.restartPoints(4), 0.0);
        CosineWarmRestartsSchedule limited = new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 1, 1.0, 1.0, MAX, 0);
        assertEquals(2147483646.0, limited.cycleStart(MAX - 1), 0.0);
        assertRejected("cycle (2147483647) must be in [0, 2147483646]", () -> limited.cycleStart(MAX));
        assertEquals(MAX, limited.cycleIndex(MAX, 0), "every cycle has ended: maxCycles");
    }
}
