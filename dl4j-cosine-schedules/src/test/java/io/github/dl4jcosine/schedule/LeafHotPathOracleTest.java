package io.github.dl4jcosine.schedule;

import io.github.dl4jcosine.schedule.WarmupStableDecaySchedule.Shape;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CosineAnnealing, WarmupCosine, WSD and OneCycle precompute their cosines' constants (half ranges, lengths as doubles)
 * and test their cosine phase first (issue 21): their values are exactly those of their previous {@code valueAt}, kept
 * here verbatim as the oracles (on the schedules' getters), bit for bit, over random settings in every unit and at
 * random, boundary and extreme positions.
 */
class LeafHotPathOracleTest {

    private static final double[] VALUES = {0.0, -0.0, 0.1, 0.05, 1.0, 0.2, 4e-7, 1e-300, 3 * Double.MIN_VALUE};
    private static final int[] PERIODS = {1, 2, 3, 5, 7, 100, 390, 1000, 1 << 20, Integer.MAX_VALUE - 5,
        Integer.MAX_VALUE};

    /** CosineAnnealingSchedule.valueAt before issue 21. */
    private static double oldCosineAnnealing(CosineAnnealingSchedule s, int iteration, int epoch) {
        double t = ScheduleTime.of(s.getScheduleType(), s.getIterationsPerEpoch(), iteration, epoch);
        double length = ScheduleTime.exact(s.getPeriod());
        return t >= length ? s.getMinValue() : ScheduleTime.cosine(s.getInitialValue(), s.getMinValue(), t, length);
    }

    /** WarmupCosineSchedule.valueAt before issue 21. */
    private static double oldWarmupCosine(WarmupCosineSchedule s, int iteration, int epoch) {
        double t = ScheduleTime.of(s.getScheduleType(), s.getIterationsPerEpoch(), iteration, epoch);
        double warmup = ScheduleTime.exact(s.getWarmupPeriod());
        if (t < warmup) {
            return ScheduleTime.linear(s.getWarmupStartValue(), s.getPeakValue(), t, warmup);
        }
        double total = ScheduleTime.exact(s.getTotalPeriod());
        if (t >= total) {
            return s.getMinValue();
        }
        return ScheduleTime.cosine(s.getPeakValue(), s.getMinValue(), t - warmup, total - warmup);
    }

    /** WarmupStableDecaySchedule.valueAt before issue 21. */
    private static double oldWsd(WarmupStableDecaySchedule s, int iteration, int epoch) {
        double t = ScheduleTime.of(s.getScheduleType(), s.getIterationsPerEpoch(), iteration, epoch);
        double warmupLength = s.getWarmupPeriod();
        double decayLength = s.getDecayPeriod();
        double decayStart = (double) s.getWarmupPeriod() + s.getStablePeriod();
        double decayEnd = decayStart + s.getDecayPeriod();
        double peak = s.getPeakValue();
        double min = s.getMinValue();
        if (t < warmupLength) {
            double start = s.getWarmupStartValue();
            return start + (peak - start) * s.getWarmupShape().up(t / warmupLength);
        }
        if (t >= decayEnd) {
            return min;
        }
        if (t <= decayStart) {
            return peak;
        }
        double p = (t - decayStart) / decayLength;
        switch (s.getDecayShape()) {
            case LINEAR:
                return min + (peak - min) * (1.0 - p);
            case COSINE:
                return min + ScheduleTime.half(peak - min) * (1.0 + Math.cos(Math.PI * p));
            default:
                return min + (peak - min) * (1.0 - Math.sqrt(p));
        }
    }

    /** OneCycleSchedule.valueAt before issue 21 (its phase ends as the constructor computes them). */
    private static double oldOneCycle(OneCycleSchedule s, int iteration, int epoch) {
        double t = ScheduleTime.of(s.getScheduleType(), s.getIterationsPerEpoch(), iteration, epoch);
        double end1 = s.getPeakFraction() * s.getTotalPeriod() - 1;
        double end2 = s.isThreePhase() ? 2 * s.getPeakFraction() * s.getTotalPeriod() - 2 : end1;
        double end = s.getTotalPeriod() - 1.0;
        double lastFrom = s.isThreePhase() ? s.getInitialValue() : s.getPeakValue();
        if (t <= end1) {
            return oldAnneal(s.getInitialValue(), s.getPeakValue(), t / end1);
        }
        if (t <= end2) {
            return oldAnneal(s.getPeakValue(), s.getInitialValue(), (t - end1) / (end2 - end1));
        }
        if (t >= end) {
            return s.getFinalValue();
        }
        return oldAnneal(lastFrom, s.getFinalValue(), (t - end2) / (end - end2));
    }

    private static double oldAnneal(double start, double stop, double pct) {
        double cosOut = Math.cos(Math.PI * pct) + 1;
        return stop + ScheduleTime.half(start - stop) * cosOut;
    }

    @Test
    void valuesAreThePreviousImplementationsBitForBit() {
        Random random = new Random(21);
        int built = 0;
        long compared = 0;
        for (int trial = 0; trial < 8000; trial++) {
            int unit = random.nextInt(3);
            ScheduleType type = unit == 0 ? ScheduleType.ITERATION : ScheduleType.EPOCH;
            int n = unit < 2 ? 0 : 1 + random.nextInt(random.nextBoolean() ? 10 : 1000);
            double a = VALUES[random.nextInt(VALUES.length)];
            double b = VALUES[random.nextInt(VALUES.length)];
            double c = VALUES[random.nextInt(VALUES.length)];
            int p1 = period(random);
            int p2 = period(random);
            int p3 = period(random);
            ISchedule s;
            int kind = trial % 4;
            try {
                if (kind == 0) {
                    s = new CosineAnnealingSchedule(type, a, b, p1, n);
                } else if (kind == 1) {
                    s = new WarmupCosineSchedule(type, a, b, c, p1, p2, n);
                } else if (kind == 3) {
                    s = new OneCycleSchedule(type, a, b, c, p1, 0.02 + 0.96 * random.nextDouble(), random.nextBoolean(), n);
                } else {
                    Shape[] shapes = Shape.values();
                    s = new WarmupStableDecaySchedule(type, a, b, c, p1 / 3, p2 / 3, p3 / 3,
                            shapes[random.nextInt(shapes.length)], shapes[random.nextInt(shapes.length)], n);
                }
            } catch (IllegalArgumentException rejected) {
                continue;
            }
            built++;
            for (int i = 0; i < 200; i++) {
                int[] position = position(random, type, n, p1, p2);
                double expected = kind == 0 ? oldCosineAnnealing((CosineAnnealingSchedule) s, position[0], position[1])
                        : kind == 1 ? oldWarmupCosine((WarmupCosineSchedule) s, position[0], position[1])
                        : kind == 2 ? oldWsd((WarmupStableDecaySchedule) s, position[0], position[1])
                        : oldOneCycle((OneCycleSchedule) s, position[0], position[1]);
                double actual = s.valueAt(position[0], position[1]);
                if (Double.doubleToRawLongBits(expected) != Double.doubleToRawLongBits(actual)) {
                    assertEquals(expected, actual, s + " at (" + position[0] + ", " + position[1] + ")");
                    assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                            s + " at (" + position[0] + ", " + position[1] + "): sign of zero");
                }
                compared++;
            }
        }
        assertTrue(built > 4000, "only " + built + " of 8000 random settings were valid");
        assertTrue(compared > 800_000, "compared " + compared);
    }

    private static int period(Random random) {
        return random.nextBoolean() ? PERIODS[random.nextInt(PERIODS.length)] : random.nextInt(2000);
    }

    /** Anywhere, early, near a period's end, or at the top of the int range; for fractional epochs, DL4J's counters. */
    private static int[] position(Random random, ScheduleType type, int n, int p1, int p2) {
        int pick = random.nextInt(4);
        int base = pick == 0 ? random.nextInt(Integer.MAX_VALUE) : pick == 1 ? random.nextInt(3000)
                : pick == 2 ? Math.max(0, Math.min(Integer.MAX_VALUE - 2, (random.nextBoolean() ? p1 : p2)
                        + random.nextInt(5) - 2))
                : Integer.MAX_VALUE - random.nextInt(3);
        if (n > 0) {
            int epoch = base / (random.nextInt(3) == 0 ? 1 : n);
            long iteration = (long) epoch * n + random.nextInt(n + 2) - 1;
            return new int[] {(int) Math.max(0, Math.min(Integer.MAX_VALUE, iteration)), epoch};
        }
        int other = random.nextInt(Integer.MAX_VALUE);
        return type == ScheduleType.EPOCH ? new int[] {other, base} : new int[] {base, other};
    }
}
