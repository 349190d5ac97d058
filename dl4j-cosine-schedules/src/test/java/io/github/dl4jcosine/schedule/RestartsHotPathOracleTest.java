package io.github.dl4jcosine.schedule;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.schedule.ScheduleType;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rewritten {@code CosineWarmRestartsSchedule.valueAt} (issue 21: the hint in the schedule, int bounds and
 * one-operation conversion for int times, precomputed half ranges, the final hold without a search) gives exactly
 * the old algorithm's bits, kept in test scope as the oracle ({@link LegacyWarmRestarts}), over random settings in
 * every unit and every cycle form (constant, tabled, closed form, shrinking), at random positions, around restarts
 * and the start of the final hold, and in runs of consecutive updates, in the same call order for both (so the two
 * hints move alike) and also from fresh instances.
 */
class RestartsHotPathOracleTest {

    private static final int[] PERIODS = {1, 2, 3, 7, 10, 100, 390, 1000, 65536, 1 << 30, Integer.MAX_VALUE};
    private static final double[] MULTIPLIERS = {1.0, 1.0, 2.0, 3.0, 1.5, 1.1, 1.01, 1.001, 1.0001, 0.9, 0.5, 0.99};
    private static final double[] PEAK_DECAYS = {1.0, 1.0, 0.9, 0.5, 1.1};
    private static final double[] MIN_VALUES = {0.0, 0.0, 0.001, 0.2, -0.0, 1e-300};
    private static final double[] INITIAL_VALUES = {0.1, 0.1, 0.05, 1.0, 0.0, 3 * Double.MIN_VALUE, 1e-300};
    private static final int[] PER_EPOCH = {1, 2, 3, 7, 390, 391, 65536};

    @Test
    void valueAtIsTheOldAlgorithmBitForBit() {
        Random random = new Random(20261130L);
        int built = 0;
        long compared = 0;
        for (int trial = 0; trial < 400; trial++) {
            CosineWarmRestartsSchedule s = randomSchedule(random);
            if (s == null) {
                continue;
            }
            built++;
            LegacyWarmRestarts oracle = new LegacyWarmRestarts(s);
            for (int i = 0; i < 1000; i++) {
                int[] p = position(s, random);
                compared += compare(s, oracle, p[0], p[1]);
                if (random.nextInt(4) == 0) {   // a run of consecutive updates, as training calls it
                    int length = 1 + random.nextInt(50);
                    for (int j = 1; j <= length && p[0] <= Integer.MAX_VALUE - j; j++) {
                        int iteration = p[0] + j;
                        int epoch = s.getIterationsPerEpoch() > 0 ? iteration / s.getIterationsPerEpoch()
                                : s.getScheduleType() == ScheduleType.EPOCH ? (int) Math.min(Integer.MAX_VALUE, p[1] + (long) j)
                                : p[1];
                        compared += compare(s, oracle, iteration, epoch);
                    }
                }
                if (random.nextInt(100) == 0) {   // a fresh instance, hint on cycle 0, at the same position
                    CosineWarmRestartsSchedule fresh = (CosineWarmRestartsSchedule) s.clone();
                    compared += compare(fresh, new LegacyWarmRestarts(fresh), p[0], p[1]);
                }
            }
        }
        assertTrue(built > 200, "only " + built + " of 400 random settings were valid");
        assertTrue(compared > 1_000_000, "compared " + compared);
    }

    /** Negative counters: the same rejection, iteration named first, in every unit. */
    @Test
    void negativeCountersAreRejectedAsBefore() {
        CosineWarmRestartsSchedule[] schedules = {
            new CosineWarmRestartsSchedule(ScheduleType.ITERATION, 0.1, 0.0, 10, 2.0),
            new CosineWarmRestartsSchedule(ScheduleType.EPOCH, 0.1, 0.0, 10, 2.0),
            new CosineWarmRestartsSchedule(ScheduleType.EPOCH, 0.1, 0.0, 10, 2.0, 1.0, 0, 390)};
        int[][] counters = {{-1, 0}, {0, -1}, {-1, -1}, {Integer.MIN_VALUE, 5}, {5, Integer.MIN_VALUE}};
        for (CosineWarmRestartsSchedule s : schedules) {
            LegacyWarmRestarts oracle = new LegacyWarmRestarts(s);
            for (int[] c : counters) {
                String expected = assertThrows(IllegalArgumentException.class, () -> oracle.valueAt(c[0], c[1]))
                        .getMessage();
                assertEquals(expected, assertThrows(IllegalArgumentException.class, () -> s.valueAt(c[0], c[1]))
                        .getMessage());
            }
        }
        assertEquals("iteration (-1) must be >= 0", assertThrows(IllegalArgumentException.class,
                () -> schedules[0].valueAt(-1, -1)).getMessage());
    }

    private static int compare(CosineWarmRestartsSchedule s, LegacyWarmRestarts oracle, int iteration, int epoch) {
        long expected = Double.doubleToRawLongBits(oracle.valueAt(iteration, epoch));
        long actual = Double.doubleToRawLongBits(s.valueAt(iteration, epoch));
        if (expected != actual) {
            assertEquals(Double.longBitsToDouble(expected), Double.longBitsToDouble(actual),
                    s + " at (" + iteration + ", " + epoch + ")");
            assertEquals(expected, actual, s + " at (" + iteration + ", " + epoch + "): sign of zero");
        }
        int expectedCycle = oracle.cycleIndex(iteration, epoch);
        int actualCycle = s.cycleIndex(iteration, epoch);
        if (expectedCycle != actualCycle) {
            assertEquals(expectedCycle, actualCycle, s + " cycle at (" + iteration + ", " + epoch + ")");
        }
        return 1;
    }

    /** Random settings, or null when the library rejects them (a shrinking cycle without maxCycles, say). */
    private static CosineWarmRestartsSchedule randomSchedule(Random random) {
        int unit = random.nextInt(3);
        ScheduleType type = unit == 0 ? ScheduleType.ITERATION : ScheduleType.EPOCH;
        int perEpoch = unit < 2 ? 0 : random.nextInt(4) == 0 ? 1 + random.nextInt(5000)
                : PER_EPOCH[random.nextInt(PER_EPOCH.length)];
        int period = random.nextInt(3) == 0 ? 1 + random.nextInt(random.nextBoolean() ? 50 : 5_000_000)
                : PERIODS[random.nextInt(PERIODS.length)];
        double multiplier = random.nextInt(5) == 0 ? 1 + 2 * random.nextDouble()
                : MULTIPLIERS[random.nextInt(MULTIPLIERS.length)];
        double peakDecay = random.nextInt(5) == 0 ? 0.5 + random.nextDouble()
                : PEAK_DECAYS[random.nextInt(PEAK_DECAYS.length)];
        int maxCycles = random.nextInt(3) == 0 ? 0 : random.nextInt(4) == 0 ? 1 + random.nextInt(5000)
                : 1 + random.nextInt(40);
        if (multiplier >= 1 && peakDecay <= 1 && random.nextInt(3) == 0) {
            maxCycles = 0;
        }
        double initial = INITIAL_VALUES[random.nextInt(INITIAL_VALUES.length)];
        double min = MIN_VALUES[random.nextInt(MIN_VALUES.length)];
        try {
            return new CosineWarmRestartsSchedule(type, initial, min, period, multiplier, peakDecay, maxCycles, perEpoch);
        } catch (IllegalArgumentException rejected) {
            return null;
        }
    }

    /**
     * DL4J counters {@code (iteration, epoch)}: anywhere in the int range, in the first cycles, or at a restart
     * (one update before, at, one after); for fractional epochs mostly an epoch consistent with the iteration (off
     * by one now and then, which the time clamps), sometimes any epoch.
     */
    private static int[] position(CosineWarmRestartsSchedule s, Random random) {
        int n = s.getIterationsPerEpoch();
        double time;
        int kind = random.nextInt(4);
        if (kind == 0) {
            time = random.nextInt(Integer.MAX_VALUE);
        } else if (kind == 1) {
            time = random.nextInt(1 + (int) Math.min(1_000_000, 10 * s.cycleLength(0)));
        } else if (random.nextInt(8) > 0) {
            int cycles = s.cycleCount();
            int k = kind == 2 ? random.nextInt(Math.min(cycles, 20)) : random.nextInt(cycles);
            time = Math.min(Integer.MAX_VALUE, s.cycleStart(k));
        } else {   // the end of the last cycle: with maxCycles, where the final hold begins
            int last = s.cycleCount() - 1;
            time = Math.min(Integer.MAX_VALUE, s.cycleStart(last) + s.cycleLength(last));
        }
        if (s.getScheduleType() == ScheduleType.ITERATION || n == 0) {
            long v = (long) Math.ceil(time) + random.nextInt(3) - 1;
            int counter = (int) Math.max(0, Math.min(Integer.MAX_VALUE, v));
            int other = random.nextInt(Integer.MAX_VALUE);
            return s.getScheduleType() == ScheduleType.ITERATION ? new int[] {counter, other}
                    : new int[] {other, counter};
        }
        // fractional epochs: the update at or next to the time, as DL4J counts it, when its iteration is an int
        long epoch = (long) Math.floor(time);
        long iteration = epoch * n + (long) Math.ceil((time - epoch) * n) + random.nextInt(3) - 1;
        if (iteration > Integer.MAX_VALUE || iteration < 0 || random.nextInt(10) == 0) {
            int it = random.nextInt(Integer.MAX_VALUE);
            int e = random.nextBoolean() ? it / n : random.nextInt(Integer.MAX_VALUE);
            return new int[] {it, e};
        }
        int e = (int) (iteration / n);
        if (random.nextInt(10) == 0) {
            e = Math.max(0, e + random.nextInt(3) - 1);
        }
        return new int[] {(int) iteration, e};
    }
}
