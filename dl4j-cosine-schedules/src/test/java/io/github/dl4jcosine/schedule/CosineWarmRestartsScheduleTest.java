package io.github.dl4jcosine.schedule;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.github.dl4jcosine.schedule.ScheduleContract.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.schedule.ScheduleType.EPOCH;
import static org.nd4j.linalg.schedule.ScheduleType.ITERATION;

class CosineWarmRestartsScheduleTest {

    private static final List<String> PROPERTIES = List.of("scheduleType", "initialValue", "minValue", "firstPeriod",
            "periodMultiplier", "peakDecay", "maxCycles", "iterationsPerEpoch");

    /** braintools documentation, CosineAnnealingWarmRestarts(T_0=100, T_mult=2): restarts at 0, 100, 300, 700, 1500, 3100. */
    @Test
    void braintoolsDocumentationRestartPoints() {
        CosineWarmRestartsSchedule s = new CosineWarmRestartsSchedule(EPOCH, 0.1, 0.0, 100, 2.0);
        assertArrayEquals(new double[] {0, 100, 300, 700, 1500, 3100}, s.restartPoints(6), 0.0);
        for (int restart : new int[] {0, 100, 300, 700, 1500, 3100}) {
            assertEquals(0.1, s.valueAt(0, restart), 0.0, "back to the peak at epoch " + restart);
        }
    }

    /**
     * PyTorch 1.13 and timm compute the cycle as int(log(t / T_0 * (T_mult - 1) + 1, T_mult)); at T_0=1,
     * T_mult=3, t=121 (a restart: 1 + 3 + 9 + 27 + 81 = 121) log(243, 3) = 4.999999999999999, so they return
     * eta_min (0.0, see the reference CSV, case 24) instead of the restart value 0.1.
     */
    @Test
    void exactWherePyTorchRoundsDown() {
        CosineWarmRestartsSchedule s = new CosineWarmRestartsSchedule(EPOCH, 0.1, 0.0, 1, 3.0);
        assertEquals(0.1, s.valueAt(121, 121), 0.0);
        assertEquals(5, s.cycleIndex(121, 121));
        assertTrue(s.isLastUpdateOfCycle(120, 120));
    }

    /**
     * Every restart position up to Integer.MAX_VALUE for integer T_0 and T_mult, the starts derived
     * independently here in exact long arithmetic (S_0 = 0, S_(k+1) = S_k + T_0 * T_mult^k): the value is the
     * peak exactly at S_k, the update before it is the last of cycle k - 1, and cycleIndex agrees.
     */
    @ParameterizedTest
    @CsvSource({"1, 2", "1, 3", "2, 3", "3, 3", "1, 4", "5, 2", "7, 5", "10, 2", "100, 2", "1, 10", "3, 7", "1, 31"})
    void everyIntegerRestartIsExactUpToIntMax(int t0, int tMult) {
        CosineWarmRestartsSchedule it = new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.001, t0, tMult);
        CosineWarmRestartsSchedule ep = new CosineWarmRestartsSchedule(EPOCH, 0.1, 0.001, t0, tMult);
        long start = 0;
        long length = t0;
        for (int k = 0; start <= Integer.MAX_VALUE; k++) {
            int s = (int) start;
            assertEquals(0.1, it.valueAt(s, 0), 0.0, "restart " + k + " at iteration " + s);
            assertEquals(0.1, ep.valueAt(7, s), 0.0, "restart " + k + " at epoch " + s);
            assertEquals(k, it.cycleIndex(s, 0));
            assertEquals(start, it.cycleStart(k), 0.0);
            assertEquals(length, it.cycleLength(k), 0.0);
            if (k > 0) {
                assertEquals(k - 1, it.cycleIndex(s - 1, 0));
                assertTrue(it.isLastUpdateOfCycle(s - 1, 0), "last update of cycle " + (k - 1));
                assertTrue(ep.isLastUpdateOfCycle(12345, s - 1), "last epoch of cycle " + (k - 1));
                if (length / tMult > 1) {
                    assertTrue(it.valueAt(s - 1, 0) < 0.1);
                    assertFalse(it.isLastUpdateOfCycle(s - 2, 0));
                }
            }
            start += length;
            length *= tMult;
        }
    }

    /** T_mult = 1: every T_0 updates, also at the top of the int range (2147483647 = 7 * 306783378 + 1). */
    @Test
    void constantPeriodAtHugeIterations() {
        CosineWarmRestartsSchedule s = new CosineWarmRestartsSchedule(ITERATION, 1.0, 0.0, 7, 1.0);
        assertEquals(306783378, s.cycleIndex(Integer.MAX_VALUE, 0));
        // t - S_k = 1: (1 + cos(pi / 7)) / 2 = 0.9504844339512095
        assertEquals(0.9504844339512095, s.valueAt(Integer.MAX_VALUE, 0), 1e-15);
        assertEquals(1.0, s.valueAt(Integer.MAX_VALUE - 1, 0), 0.0);
        assertTrue(s.isLastUpdateOfCycle(Integer.MAX_VALUE - 2, 0));
        assertEquals(2147483646.0, s.cycleStart(306783378), 0.0);
    }

    /**
     * Peak decay (timm cycle_decay, Keras m_mul): 1.0, 0.5, 0.25 at the restarts of T_0 = 10; halfway through
     * cycle 2 (t = 25): 0 + 0.25 * (1 + cos(pi / 2)) / 2 = 0.125. minValue does not decay (timm semantics).
     */
    @ParameterizedTest
    @CsvSource({"0, 1.0", "10, 0.5", "20, 0.25", "25, 0.125", "30, 0.125", "40, 0.0625"})
    void peakDecay(int t, double expected) {
        CosineWarmRestartsSchedule s = new CosineWarmRestartsSchedule(ITERATION, 1.0, 0.0, 10, 1.0, 0.5, 0, 0);
        assertEquals(expected, s.valueAt(t, 0), 1e-15);
    }

    /**
     * maxCycles = 2 with T_0 = 10, T_mult = 2: cycles [0, 10) and [10, 30), then minValue 0.01 for good.
     * Halfway through cycle 1 (t = 20): 0.01 + 0.09 * (1 + cos(pi / 2)) / 2 = 0.055.
     */
    @Test
    void maxCyclesThenHoldsMinValue() {
        CosineWarmRestartsSchedule s = new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.01, 10, 2.0, 1.0, 2, 0);
        assertEquals(0.1, s.valueAt(10, 0), 0.0);
        assertEquals(0.055, s.valueAt(20, 0), 1e-15);
        assertEquals(0.01, s.valueAt(30, 0), 0.0);
        assertEquals(0.01, s.valueAt(Integer.MAX_VALUE, 0), 0.0);
        assertEquals(2, s.cycleIndex(30, 0));
        assertArrayEquals(new double[] {0, 10}, s.restartPoints(5), 0.0);
        assertTrue(s.isLastUpdateOfCycle(9, 0));
        assertTrue(s.isLastUpdateOfCycle(29, 0));
        assertFalse(s.isLastUpdateOfCycle(30, 0));
        assertFalse(s.isLastUpdateOfCycle(28, 0));
        assertRejected("cycle (2) must be in [0, 1]", () -> s.cycleStart(2));
    }

    /**
     * A cycle limit beyond what 2^31 updates reach (timm cycle_limit=100 with t_mul=2, T_0=100): starts
     * 100 * (2^k - 1), so cycles 0..24 start at or before 2^31 (cycle 24 at 1,677,721,500; cycle 25 would
     * start at 3,355,443,100). t = 1000 is 300 into cycle 3 (start 700, length 800):
     * 0.1 * (1 + cos(3 pi / 8)) / 2 = 0.0691341716182545 (Python math.cos). Used to fail in the
     * constructor with an ArrayIndexOutOfBoundsException.
     */
    @Test
    void cycleLimitBeyondTheIntRange() {
        CosineWarmRestartsSchedule s = new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 100, 2.0, 1.0, 100, 0);
        assertEquals(0.0691341716182545, s.valueAt(1000, 0), 1e-15);
        assertEquals(25, s.restartPoints(100).length);
        assertEquals(1_677_721_500.0, s.cycleStart(24), 0.0);
        assertEquals(24, s.cycleIndex(Integer.MAX_VALUE, 0));
        assertRejected("cycle (25) must be in [0, 24]", () -> s.cyclePeak(25));
        // Growing peaks are checked over the cycles that can be reached: 0.1 * 10^24 is finite.
        assertEquals(1e23, new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 100, 2.0, 10.0, 1000, 0).cyclePeak(24),
                1e8);
    }

    /** Shrinking cycles need a limit: T_0 = 100, T_mult = 0.5, 3 cycles: lengths 100, 50, 25, starts 0, 100, 150. */
    @Test
    void shrinkingCyclesWithLimit() {
        CosineWarmRestartsSchedule s = new CosineWarmRestartsSchedule(ITERATION, 1.0, 0.0, 100, 0.5, 1.0, 3, 0);
        assertArrayEquals(new double[] {0, 100, 150}, s.restartPoints(10), 0.0);
        assertEquals(25.0, s.cycleLength(2), 0.0);
        assertEquals(1.0, s.valueAt(150, 0), 0.0);
        assertEquals(0.0, s.valueAt(175, 0), 0.0);
        assertEquals(3, s.cycleIndex(175, 0));
    }

    /**
     * Non-integer multiplier 1.5, T_0 = 10: lengths 10, 15, 22.5, starts 0, 10, 25, 47.5. t = 47 is 22 into
     * cycle 2: (1 + cos(22 pi / 22.5)) / 2 = 0.0012179748700879012; t = 48 is 0.5 into cycle 3 of length 33.75:
     * (1 + cos(pi / 67.5)) / 2 = 0.9994585556692623 (both evaluated with Python's math.cos).
     */
    @Test
    void nonIntegerMultiplier() {
        CosineWarmRestartsSchedule s = new CosineWarmRestartsSchedule(ITERATION, 1.0, 0.0, 10, 1.5);
        assertArrayEquals(new double[] {0, 10, 25, 47.5}, s.restartPoints(4), 0.0);
        assertEquals(0.0012179748700879012, s.valueAt(47, 0), 1e-15);
        assertEquals(0.9994585556692623, s.valueAt(48, 0), 1e-15);
        assertTrue(s.isLastUpdateOfCycle(47, 0));
    }

    /**
     * Fractional epochs, 4 iterations per epoch, T_0 = 2 epochs, T_mult = 1: cycle 0 is t in [0, 2), i.e.
     * iterations 0..7; iteration 7 (epoch 1, t = 1.75) is the last update of cycle 0, iteration 8 (epoch 2,
     * t = 2) restarts. Iteration 5 (t = 1.25): (1 + cos(1.25 pi / 2)) / 2 = 0.30865828381745514.
     */
    @Test
    void fractionalEpochCycles() {
        CosineWarmRestartsSchedule s = new CosineWarmRestartsSchedule(EPOCH, 1.0, 0.0, 2, 1.0, 1.0, 0, 4);
        assertEquals(0.30865828381745514, s.valueAt(5, 1), 1e-15);
        assertTrue(s.isLastUpdateOfCycle(7, 1));
        assertFalse(s.isLastUpdateOfCycle(6, 1));
        assertEquals(1.0, s.valueAt(8, 2), 0.0);
        assertEquals(1, s.cycleIndex(8, 2));
    }

    /**
     * A multiplier close to 1 (timm and Keras accept any t_mul > 1) has more cycles than the start table
     * holds: T_0 = 10, T_mult = 1.001 needs about ln(1 + 2^31 * 0.001 / 10) / ln(1.001) = 12,283.4, so 12,284 cycles to
     * reach 2^31. Hand values: starts 0, 10, 10 + 10.01 = 20.01, 20.01 + 10.02001 = 30.03001; t = 15 is 5
     * into cycle 1 of length 10.01: (1 + cos(5 pi / 10.01)) / 2 = 0.5007846132278326 (Python math.cos).
     * Everywhere else the reference is an independent running sum of the cycle lengths, in this test.
     */
    @Test
    void multiplierCloseToOneUsesTheClosedForm() {
        CosineWarmRestartsSchedule s = new CosineWarmRestartsSchedule(ITERATION, 1.0, 0.0, 10, 1.001);
        assertArrayEquals(new double[] {0, 10, 20.01, 30.03001}, s.restartPoints(4), 1e-9);
        assertEquals(0.5007846132278326, s.valueAt(15, 0), 1e-12);
        assertEquals(1.0, s.valueAt(10, 0), 0.0);
        assertTrue(s.isLastUpdateOfCycle(9, 0));
        assertTrue(s.restartPoints(Integer.MAX_VALUE).length > RestartCycles.MAX_TABLE_CYCLES);
        assertMatchesRunningSums(s, 1.0, 0.0, 10, 1.001, 1.0, 0);

        // Shrinking cycles with more cycles than the table holds: T_0 = 1000, T_mult = 0.999, 6,000 cycles
        // (the last lasts 1000 * 0.999^5999 = 2.47 updates; every cycle must hold one), peaks decaying by 0.9999;
        // all cycles end before 1000 / (1 - 0.999) = 10^6.
        CosineWarmRestartsSchedule shrinking =
                new CosineWarmRestartsSchedule(ITERATION, 0.5, 0.01, 1000, 0.999, 0.9999, 6_000, 0);
        assertMatchesRunningSums(shrinking, 0.5, 0.01, 1000, 0.999, 0.9999, 6_000);
        assertEquals(0.01, shrinking.valueAt(1_000_000, 0), 0.0);
        assertEquals(6_000, shrinking.cycleIndex(Integer.MAX_VALUE, 0));
        assertEquals(6_000, shrinking.restartPoints(Integer.MAX_VALUE).length);
    }

    /**
     * Compares the cycle count, every cycle start, and cycle index and value at random times and just after
     * random restarts with cycle starts summed here one length at a time (Kahan summation; not the
     * schedule's closed form). Times within 1e-6 of a start are skipped: there the two sums may round to
     * different sides. Values are compared in cycles of at least one update only: in a cycle 0.1 long the
     * sums' last-bit differences at 10^6 move the cosine's phase by more than the 1e-9 tolerance. Every third
     * trial first asks for a random cycle's start, which moves the lookup's cycle hint to that cycle.
     */
    private static void assertMatchesRunningSums(CosineWarmRestartsSchedule s, double init, double min, int t0,
                                                 double mult, double decay, int maxCycles) {
        List<Double> sums = new ArrayList<>();
        double start = 0;
        double carry = 0;
        for (int k = 0; (maxCycles == 0 || k < maxCycles) && start <= 2147483648.0; k++) {
            sums.add(start);
            double length = t0 * Math.pow(mult, k) - carry;
            double next = start + length;
            carry = (next - start) - length;
            start = next;
        }
        int cycles = sums.size();
        sums.add(start); // end of the last cycle
        double[] starts = sums.stream().mapToDouble(Double::doubleValue).toArray();
        double[] points = s.restartPoints(Integer.MAX_VALUE);
        assertEquals(cycles, points.length, s + " cycle count");
        for (int k = 0; k < cycles; k++) {
            assertEquals(starts[k], points[k], 1e-9 * Math.max(1, starts[k]), s + " start of cycle " + k);
        }
        Random random = new Random(7);
        for (int trial = 0; trial < 20_000; trial++) {
            int t = trial % 2 == 0 ? random.nextInt(Integer.MAX_VALUE)
                    : (int) Math.min(Integer.MAX_VALUE, Math.ceil(starts[random.nextInt(cycles)]));
            int found = Arrays.binarySearch(starts, t);
            int k = found >= 0 ? found : -found - 2;
            if (Math.abs(t - starts[k]) < 1e-6 || k < cycles && Math.abs(starts[k + 1] - t) < 1e-6) {
                continue;
            }
            double expected = k == cycles ? min
                    : min + (init * Math.pow(decay, k) - min)
                    * (1 + Math.cos(Math.PI * (t - starts[k]) / (starts[k + 1] - starts[k]))) / 2;
            if (trial % 3 == 0) {
                // a query by index moves the cycle hint elsewhere: the lookup must not depend on it
                s.cycleStart(random.nextInt(cycles));
            }
            assertEquals(k, s.cycleIndex(t, 0), s + " cycle at " + t);
            if (k == cycles || starts[k + 1] - starts[k] >= 1) {
                assertEquals(expected, s.valueAt(t, 0), 1e-9, s + " value at " + t);
            }
        }
    }

    @Test
    void invariantsOverRandomParameters() {
        Random random = new Random(20261122L);
        for (int trial = 0; trial < 100; trial++) {
            double init = 0.01 + random.nextDouble();
            double min = random.nextDouble() * init * 0.5;
            int t0 = 1 + random.nextInt(40);
            double mult = random.nextBoolean() ? 1 + random.nextInt(3) : 1 + random.nextDouble() * 2;
            double decay = 0.5 + random.nextDouble() * 0.5;
            // unlimited, a few cycles, or more than 2^31 updates reach (only for mult > 1: at mult 1 they are all reached)
            int maxCycles = new int[] {0, 1 + random.nextInt(8), mult > 1 ? 1000 : 0}[random.nextInt(3)];
            CosineWarmRestartsSchedule s =
                    new CosineWarmRestartsSchedule(ITERATION, init, min, t0, mult, decay, maxCycles, 0);
            double previous = Double.POSITIVE_INFINITY;
            int cycle = -1;
            for (int t = 0; t < 2000; t++) {
                double v = s.valueAt(t, 0);
                int k = s.cycleIndex(t, 0);
                if (maxCycles > 0 && k == maxCycles) {
                    assertEquals(min, v, 0.0, s + " must hold minValue after its last cycle, at " + t);
                    assertEquals(s.cycleStart(k - 1) + s.cycleLength(k - 1), t, 1.0, s + " ended early at " + t);
                    break;
                }
                double peak = s.cyclePeak(k);
                // Peaks decay and may fall below minValue (as in timm); the cosine still runs from peak to min.
                assertTrue(v >= Math.min(min, peak) && v <= Math.max(min, peak), s + " out of [min, peak] at " + t);
                if (k != cycle) {
                    assertEquals(cycle + 1, k, s + " skipped a cycle at " + t);
                    assertTrue(t >= s.cycleStart(k) && t - s.cycleStart(k) < 1, s + " cycle " + k + " starts at "
                            + s.cycleStart(k) + " but was entered at " + t);
                    cycle = k;
                } else {
                    assertTrue(peak >= min ? v <= previous : v >= previous, s + " turns inside cycle " + k + " at " + t);
                }
                if (t == s.cycleStart(k)) {
                    assertEquals(init * Math.pow(decay, k), v, 0.0, s + " must restart at its peak at " + t);
                }
                previous = v;
            }
        }
    }

    @Test
    void contract() throws Exception {
        CosineWarmRestartsSchedule s = new CosineWarmRestartsSchedule(EPOCH, 0.1, 0.001, 10, 2.0, 0.8, 5, 390);
        List<CosineWarmRestartsSchedule> unequal = new ArrayList<>();
        unequal.add(new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.001, 10, 2.0, 0.8, 5, 0));
        unequal.add(new CosineWarmRestartsSchedule(EPOCH, 0.2, 0.001, 10, 2.0, 0.8, 5, 390));
        unequal.add(new CosineWarmRestartsSchedule(EPOCH, 0.1, 0.002, 10, 2.0, 0.8, 5, 390));
        unequal.add(new CosineWarmRestartsSchedule(EPOCH, 0.1, 0.001, 11, 2.0, 0.8, 5, 390));
        unequal.add(new CosineWarmRestartsSchedule(EPOCH, 0.1, 0.001, 10, 3.0, 0.8, 5, 390));
        unequal.add(new CosineWarmRestartsSchedule(EPOCH, 0.1, 0.001, 10, 2.0, 0.9, 5, 390));
        unequal.add(new CosineWarmRestartsSchedule(EPOCH, 0.1, 0.001, 10, 2.0, 0.8, 6, 390));
        unequal.add(new CosineWarmRestartsSchedule(EPOCH, 0.1, 0.001, 10, 2.0, 0.8, 5, 391));
        ScheduleContract.check(s, PROPERTIES, new ArrayList<>(unequal));
        ScheduleContract.check(new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 3, 1.0), PROPERTIES, List.of());
        ScheduleContract.check(new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 3, 1.5), PROPERTIES, List.of());
    }

    @Test
    void toStringNamesEveryProperty() {
        assertEquals("CosineWarmRestartsSchedule(initialValue=0.1, minValue=0.0, firstPeriod=10, periodMultiplier=2.0, "
                        + "peakDecay=1.0, maxCycles=0, scheduleType=EPOCH)",
                new CosineWarmRestartsSchedule(EPOCH, 0.1, 0.0, 10, 2.0).toString());
    }

    @Test
    void rejectsInvalidArguments() {
        assertRejected("scheduleType (null) must not be null",
                () -> new CosineWarmRestartsSchedule(null, 0.1, 0.0, 10, 2.0));
        assertRejected("initialValue (NaN) must be finite",
                () -> new CosineWarmRestartsSchedule(ITERATION, Double.NaN, 0.0, 10, 2.0));
        assertRejected("minValue (Infinity) must be finite",
                () -> new CosineWarmRestartsSchedule(ITERATION, 0.1, Double.POSITIVE_INFINITY, 10, 2.0));
        assertRejected("firstPeriod (0) must be > 0", () -> new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 0, 2.0));
        assertRejected("periodMultiplier (0.0) must be > 0",
                () -> new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 10, 0.0));
        assertRejected("periodMultiplier (NaN) must be finite",
                () -> new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 10, Double.NaN));
        assertRejected("periodMultiplier (Infinity) must be finite",
                () -> new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 10, Double.POSITIVE_INFINITY));
        assertRejected("periodMultiplier (0.5) must be >= 1 when maxCycles is 0",
                () -> new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 10, 0.5));
        assertRejected("peakDecay (0.0) must be > 0",
                () -> new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 10, 2.0, 0.0, 0, 0));
        assertRejected("peakDecay (NaN) must be finite",
                () -> new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 10, 2.0, Double.NaN, 0, 0));
        assertRejected("peakDecay (1.5) must be <= 1 when maxCycles is 0",
                () -> new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 10, 2.0, 1.5, 0, 0));
        assertRejected("peakDecay (10.0) over maxCycles (400) cycles overflows",
                () -> new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 10, 1.0, 10.0, 400, 0));
        assertRejected("maxCycles (-1) must be >= 0",
                () -> new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 10, 2.0, 1.0, -1, 0));
        assertRejected("iterationsPerEpoch (-2) must be >= 0",
                () -> new CosineWarmRestartsSchedule(EPOCH, 0.1, 0.0, 10, 2.0, 1.0, 0, -2));
        assertRejected("iterationsPerEpoch (5) must be 0 with scheduleType=ITERATION",
                () -> new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 10, 2.0, 1.0, 0, 5));
        CosineWarmRestartsSchedule s = new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 10, 2.0);
        assertRejected("iteration (-1) must be >= 0", () -> s.valueAt(-1, 0));
        assertRejected("epoch (-1) must be >= 0", () -> s.cycleIndex(0, -1));
        assertRejected("cycle (-1) must be in [0, ", () -> s.cycleLength(-1));
        assertRejected("count (-1) must be >= 0", () -> s.restartPoints(-1));
    }
}
