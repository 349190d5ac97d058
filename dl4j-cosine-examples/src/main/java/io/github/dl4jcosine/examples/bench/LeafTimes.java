package io.github.dl4jcosine.examples.bench;

import io.github.dl4jcosine.schedule.CosineAnnealingSchedule;
import io.github.dl4jcosine.schedule.CosineWarmRestartsSchedule;
import io.github.dl4jcosine.schedule.OneCycleSchedule;
import io.github.dl4jcosine.schedule.WarmupCosineSchedule;
import io.github.dl4jcosine.schedule.WarmupStableDecaySchedule;
import io.github.dl4jcosine.schedule.WarmupStableDecaySchedule.Shape;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * What {@link ValueAtBenchmark} and {@link ValueAtInterleaved} measure a leaf against: the time units
 * ({@link Unit}), the leaf's own cosine argument read from its public API, and the floor, PyTorch's bare formula in
 * the leaf's unit ({@link #floor}).
 */
final class LeafTimes {

    private LeafTimes() {
    }

    /** What the schedule passes to {@code Math.cos} at {@code iteration} (ITERATION time), from its public API. */
    static double cosineArgument(ISchedule s, int iteration) {
        return cosineArgument(s, iteration, 0, iteration);
    }

    /**
     * What the schedule passes to {@code Math.cos} at the update {@code (iteration, epoch)}, whose time in the
     * schedule's unit is {@code t}, from its public API.
     */
    static double cosineArgument(ISchedule s, int iteration, int epoch, double t) {
        if (s instanceof CosineAnnealingSchedule) {
            return Math.PI * t / ((CosineAnnealingSchedule) s).getPeriod();
        }
        if (s instanceof CosineWarmRestartsSchedule) {
            CosineWarmRestartsSchedule r = (CosineWarmRestartsSchedule) s;
            int k = r.cycleIndex(iteration, epoch);
            return Math.PI * (t - r.cycleStart(k)) / r.cycleLength(k);
        }
        if (s instanceof WarmupCosineSchedule) {
            WarmupCosineSchedule w = (WarmupCosineSchedule) s;
            return Math.PI * (t - w.getWarmupPeriod()) / ((double) w.getTotalPeriod() - w.getWarmupPeriod());
        }
        if (s instanceof OneCycleSchedule) {
            OneCycleSchedule o = (OneCycleSchedule) s;
            double end1 = o.getPeakFraction() * o.getTotalPeriod() - 1;
            double end2 = o.isThreePhase() ? 2 * o.getPeakFraction() * o.getTotalPeriod() - 2 : end1;
            double end = o.getTotalPeriod() - 1.0;
            return Math.PI * (t <= end1 ? t / end1 : t <= end2 ? (t - end1) / (end2 - end1) : (t - end2) / (end - end2));
        }
        if (s instanceof WarmupStableDecaySchedule
                && ((WarmupStableDecaySchedule) s).getDecayShape() == Shape.COSINE) {
            WarmupStableDecaySchedule w = (WarmupStableDecaySchedule) s;
            double start = (double) w.getWarmupPeriod() + w.getStablePeriod();
            return Math.PI * ((t - start) / w.getDecayPeriod());
        }
        // no cosine of its own: the cosine a schedule over the int range computes there
        return Math.PI * t / Integer.MAX_VALUE;
    }

    /** Iterations per epoch of the fractional-epoch unit ({@code unit=fraction}): CIFAR-10 in minibatches of 128. */
    static final int PER_EPOCH = 390;

    /**
     * A leaf's time unit ({@code unit} parameter): {@code iteration} ({@code ITERATION}, {@code t = iteration}),
     * {@code epoch} (whole epochs: {@code EPOCH}, {@code t = epoch}), {@code fraction} (fractional epochs:
     * {@code EPOCH} with {@value #PER_EPOCH} iterations per epoch, {@code t = epoch + i / n}, PyTorch's
     * {@code step(epoch + i / n)}). A position {@code p} is DL4J's counters {@code (iteration p, epoch p / n)}
     * (iterations), {@code (p, p)} (whole epochs: the same time {@code t = p} as in iterations), and for fractional
     * epochs the middle of epoch {@code p}, {@code (p * n + n / 2, p)} ({@code t = p + 0.5}), or when that
     * iteration is beyond the int range {@code (p, p / n)} ({@code 2^31 - 3}: epoch 5,506,368 and 125 / 390).
     */
    static final class Unit {

        final ScheduleType type;
        final int perEpoch;
        final boolean wholeEpochs;

        Unit(String unit) {
            switch (unit) {
                case "iteration": type = ScheduleType.ITERATION; perEpoch = 0; wholeEpochs = false; break;
                case "epoch": type = ScheduleType.EPOCH; perEpoch = 0; wholeEpochs = true; break;
                case "fraction": type = ScheduleType.EPOCH; perEpoch = PER_EPOCH; wholeEpochs = false; break;
                default: throw new IllegalArgumentException(unit);
            }
        }

        boolean fraction() {
            return perEpoch > 0;
        }

        /** DL4J's iteration counter at {@code position}. */
        int iteration(int position) {
            return fraction() && position < Integer.MAX_VALUE / PER_EPOCH ? position * PER_EPOCH + PER_EPOCH / 2
                    : position;
        }

        /** DL4J's epoch counter at {@code position}, whose iteration counter is {@code iteration}. */
        int epoch(int iteration, int position) {
            return wholeEpochs ? position : iteration / PER_EPOCH;
        }

        /** The iteration within the epoch, {@code i} of PyTorch's {@code epoch + i / n}: {@code iteration - epoch * n}. */
        int inEpoch(int iteration, int epoch) {
            return iteration - epoch * PER_EPOCH;
        }

        /** The time {@code t} in the unit, the plain way (the library's is the same, bit for bit). */
        double time(int iteration, int epoch) {
            return type == ScheduleType.ITERATION ? iteration
                    : fraction() ? epoch + (double) inEpoch(iteration, epoch) / perEpoch : epoch;
        }

        /** The int a time in an integer unit is made of: the iteration, or the epoch (unused for fractions). */
        int counter(int iteration, int epoch) {
            return wholeEpochs ? epoch : iteration;
        }
    }

    /**
     * {@code (double) value} for {@code 0 <= value < 2^52} without x86's int-to-double instruction, as the library
     * converts its counters (ScheduleTime.exact; see docs/BENCHMARKS.md 1.2).
     */
    static double exact(long value) {
        return Double.longBitsToDouble(TWO_52_BITS | value) - 0x1p52;
    }

    private static final long TWO_52_BITS = Double.doubleToRawLongBits(0x1p52);

    /**
     * The floor of a PyTorch-exact cosine leaf: its bare formula with PyTorch's operations,
     * {@code min + half * (1 + cos(pi * t / period))}, the time {@code t} from the counter ({@code iteration} or
     * {@code epoch}), and for fractional epochs {@code t = epoch + i / n} with its own division, PyTorch's
     * {@code step(epoch + i / n)} ({@code i}, the iteration within the epoch, given as a training loop has it).
     * Nothing else: no argument checks, no choice of unit or phase, no end of the schedule, no cycle.
     */
    static double floor(boolean fraction, int counter, int epoch, int inEpoch, double perEpoch, double period) {
        double t = fraction ? exact(epoch) + exact(inEpoch) / perEpoch : exact(counter);
        return FLOOR_MIN + FLOOR_HALF * (1 + Math.cos(Math.PI * t / period));
    }

    /** The floor's range: a cosine from 0.1 to 0. */
    static final double FLOOR_MIN = 0.0;
    static final double FLOOR_HALF = 0.05;

    /**
     * The period that gives the floor's cosine (nearly, to an ulp or so) the argument the leaf's own cosine gets at
     * time {@code t}, so that the floor computes the same cosine as the leaf ({@code Math.cos} costs differ with
     * the argument): {@code pi * t / argument}.
     */
    static double floorPeriod(double t, double argument) {
        return Math.PI * t / argument;
    }
}
