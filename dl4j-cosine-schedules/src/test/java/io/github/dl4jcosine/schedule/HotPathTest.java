package io.github.dl4jcosine.schedule;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.nd4j.linalg.schedule.ScheduleType.ITERATION;

/**
 * The valueAt hot paths' tricks change no result: {@link ScheduleTime#exact} is the cast {@code (double) value},
 * bit for bit; the restart cycle hints give the same value whatever the order of the calls.
 */
class HotPathTest {

    @Test
    void equalsTheCastOnTheWholeRange() {
        long[] edges = {0, 1, 2, 3, 389, 390, 65535, 1L << 31, Integer.MAX_VALUE, Integer.MAX_VALUE - 1L,
            (1L << 31) + 1, (1L << 52) - 1, (1L << 52) - 2, 1L << 40};
        for (long v : edges) {
            assertEquals(Double.doubleToRawLongBits((double) v), Double.doubleToRawLongBits(ScheduleTime.exact(v)),
                    "value " + v);
        }
        Random random = new Random(20261129L);
        for (int i = 0; i < 100_000; i++) {
            long v = random.nextLong() >>> 12;   // [0, 2^52)
            assertEquals((double) v, ScheduleTime.exact(v), 0.0, "value " + v);
            int w = random.nextInt(Integer.MAX_VALUE);
            assertEquals((double) w, ScheduleTime.exact(w), 0.0, "value " + w);
        }
    }

    /**
     * Constant-period restarts (the hinted lookup) against an independent computation with integer arithmetic:
     * t mod P via long division, in random order (the hint jumps around) and in sequence, also with maxCycles.
     */
    @Test
    void restartHintNeverChangesTheValue() {
        Random random = new Random(7);
        for (int trial = 0; trial < 50; trial++) {
            int period = 1 + random.nextInt(trial < 25 ? 10 : 100000);
            int maxCycles = random.nextBoolean() ? 0 : 1 + random.nextInt(50);
            CosineWarmRestartsSchedule s = new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.001, period, 1.0, 1.0,
                    maxCycles, 0);
            for (int i = 0; i < 2000; i++) {
                int t = i < 1000 ? random.nextInt(Integer.MAX_VALUE) : random.nextInt(3 * period + 1);
                long k = t / period;
                long elapsed = t - k * period;
                double expected = maxCycles > 0 && k >= maxCycles ? 0.001 : elapsed == 0 ? 0.1
                        : 0.001 + (0.1 - 0.001) * (1 + Math.cos(Math.PI * elapsed / period)) / 2;
                assertEquals(expected, s.valueAt(t, 0), 1e-17, s + " at " + t);
                assertEquals((int) Math.min(k, maxCycles > 0 ? maxCycles : Integer.MAX_VALUE), s.cycleIndex(t, 0));
            }
        }
    }

    /**
     * Fractional epochs: the time is epoch + clamp((iteration - epoch * n) / n, 0, 1) (DESIGN.md), here computed
     * the plain way, against ScheduleTime's conversion-free form, bit for bit, at random and extreme counters.
     */
    @Test
    void fractionalTimeIsTheDocumentedFormula() {
        Random random = new Random(11);
        int[] ns = {1, 2, 3, 7, 390, 391, 65536, Integer.MAX_VALUE};
        for (int trial = 0; trial < 200_000; trial++) {
            int n = ns[random.nextInt(ns.length)];
            int epoch = trial % 3 == 0 ? random.nextInt(Integer.MAX_VALUE) : random.nextInt(1000);
            long near = (long) epoch * n + (long) (random.nextDouble() * (2.0 * n + 1)) - n;
            int iteration = trial % 5 == 0 ? Integer.MAX_VALUE - random.nextInt(3)
                    : (int) Math.min(Integer.MAX_VALUE, Math.max(0, near));
            double fraction = (iteration - (long) epoch * n) / (double) n;
            double expected = epoch + Math.min(1.0, Math.max(0.0, fraction));
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(
                    ScheduleTime.of(org.nd4j.linalg.schedule.ScheduleType.EPOCH, n, iteration, epoch)),
                    "iteration " + iteration + ", epoch " + epoch + ", n " + n);
        }
    }
}
