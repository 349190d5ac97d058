package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.ScheduleType;

/**
 * The one place where DL4J's counters become a schedule's time {@code t}, in the unit of its
 * {@link ScheduleType}. DL4J calls {@code valueAt(iteration, epoch)}, both 0-based; the first update
 * sees {@code (0, 0)}.
 * <ul>
 *   <li>{@code ITERATION}: {@code t = iteration}.</li>
 *   <li>{@code EPOCH}, {@code iterationsPerEpoch == 0}: {@code t = epoch} (steps once per epoch).</li>
 *   <li>{@code EPOCH}, {@code iterationsPerEpoch == n > 0}: fractional epochs,
 *       {@code t = epoch + clamp((iteration - epoch * n) / n, 0, 1)}; PyTorch's
 *       {@code scheduler.step(epoch + i / n)}, anchored to DL4J's epoch counter so that a wrong
 *       {@code n} never drifts by more than one epoch.</li>
 * </ul>
 * The largest time any schedule can see is {@code Integer.MAX_VALUE}: a fractional epoch beyond
 * epoch {@code Integer.MAX_VALUE} would need an iteration counter beyond the int range.
 */
final class ScheduleTime {

    /** Upper bound of {@code t} over every int iteration and epoch: {@code 2^31 - 1}. */
    static final double MAX_TIME = Integer.MAX_VALUE;

    private ScheduleTime() {
    }

    /**
     * Checks the unit settings shared by every schedule: a non-null type and an
     * {@code iterationsPerEpoch} that is 0, or positive with {@code EPOCH}.
     */
    static void checkUnit(ScheduleType scheduleType, int iterationsPerEpoch) {
        Checks.notNull("scheduleType", scheduleType);
        Checks.nonNegative("iterationsPerEpoch", iterationsPerEpoch);
        Checks.argument(iterationsPerEpoch == 0 || scheduleType == ScheduleType.EPOCH,
                "iterationsPerEpoch (" + iterationsPerEpoch + ") must be 0 with scheduleType=ITERATION;"
                        + " fractional epochs need scheduleType=EPOCH");
    }

    /** The time of the update DL4J reports as {@code (iteration, epoch)}; negative counters are rejected. */
    static double of(ScheduleType scheduleType, int iterationsPerEpoch, int iteration, int epoch) {
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration (" + iteration + ") must be >= 0");
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch (" + epoch + ") must be >= 0");
        }
        return time(scheduleType, iterationsPerEpoch, iteration, epoch);
    }

    /** The rejection of a negative counter, {@code iteration} first (as {@link #of} checks them): for the hot paths. */
    static IllegalArgumentException negative(int iteration, int epoch) {
        return iteration < 0 ? new IllegalArgumentException("iteration (" + iteration + ") must be >= 0")
                : new IllegalArgumentException("epoch (" + epoch + ") must be >= 0");
    }

    /**
     * The time of the update after {@code (iteration, epoch)} within the same epoch counter:
     * {@code iteration + 1}, except for whole-epoch schedules, whose next distinct time is
     * {@code epoch + 1}.
     */
    static double next(ScheduleType scheduleType, int iterationsPerEpoch, int iteration, int epoch) {
        double now = of(scheduleType, iterationsPerEpoch, iteration, epoch);
        if (scheduleType == ScheduleType.EPOCH && iterationsPerEpoch == 0) {
            return now + 1.0;
        }
        return time(scheduleType, iterationsPerEpoch, iteration + 1L, epoch);
    }

    private static double time(ScheduleType scheduleType, int iterationsPerEpoch, long iteration, int epoch) {
        if (scheduleType == ScheduleType.ITERATION) {
            return exact(iteration);
        }
        if (iterationsPerEpoch == 0) {
            return exact(epoch);
        }
        return fractional(iterationsPerEpoch, iteration, epoch);
    }

    /**
     * The fractional-epoch time, {@code iterationsPerEpoch > 0}: {@code epoch + clamp((iteration - epoch * n) / n, 0,
     * 1)}, for counters checked {@code >= 0} ({@code iteration} up to {@code 2^31}, for {@link #next}).
     */
    static double fractional(int iterationsPerEpoch, long iteration, int epoch) {
        // (iteration - epoch * n) / n in long arithmetic: no overflow, and for iteration = epoch * n + i
        // the result is exactly PyTorch's epoch + i / n. Clamped to [0, n] before dividing (the same
        // result as clamping the quotient to [0, 1]) so that both conversions can be exact(...).
        long i = Math.min(iterationsPerEpoch, Math.max(0L, iteration - (long) epoch * iterationsPerEpoch));
        return exact(epoch) + exact(i) / exact(iterationsPerEpoch);
    }

    /**
     * {@code (double) value}, bit for bit, for {@code 0 <= value < 2^52}, without the CPU's int-to-double
     * conversion: x86's {@code cvtsi2sd} only writes the low half of its register, so it waits for whatever
     * last wrote that register, often the previous call's {@code Math.cos}, which chains consecutive
     * {@code valueAt} calls into one long latency path (about 3x the cost of a cosine in JMH). Setting the
     * low mantissa bits of {@code 2^52} and subtracting {@code 2^52} is exact in that range and depends on
     * nothing but {@code value}. Used on every {@code valueAt} hot path for counters and periods.
     *
     * <p>Safe only for {@code 0 <= value < 2^52}: a negative value or one of {@code 2^52} and above gives a wrong
     * number without any error. Every caller passes a non-negative int (a counter checked {@code >= 0}, a period
     * checked {@code > 0}, a cycle index) or a long in {@code [0, 2^31]}; keep it that way, or convert with
     * {@code (double)}.
     */
    static double exact(long value) {
        return Double.longBitsToDouble(TWO_52_BITS | value) - TWO_52;
    }

    private static final double TWO_52 = 4503599627370496.0;
    private static final long TWO_52_BITS = Double.doubleToRawLongBits(TWO_52);

    /** {@code "scheduleType=EPOCH"}, plus {@code ", iterationsPerEpoch=n"} when fractional. */
    static String describe(ScheduleType scheduleType, int iterationsPerEpoch) {
        return "scheduleType=" + scheduleType
                + (iterationsPerEpoch > 0 ? ", iterationsPerEpoch=" + iterationsPerEpoch : "");
    }

    /**
     * Cosine from {@code from} (at {@code elapsed = 0}) to {@code to} (at {@code elapsed = length}):
     * {@code to + (from - to) * (1 + cos(pi * elapsed / length)) / 2}, in PyTorch's operation order.
     * Exactly {@code from} at {@code elapsed = 0} (the formula alone can be an ulp off), so a schedule
     * starts, and restarts, at its peak to the bit.
     */
    static double cosine(double from, double to, double elapsed, double length) {
        if (elapsed == 0) {
            return from;
        }
        // half(from - to) is exact but for subnormals, so this is bit for bit (from - to) * (1 + cos) / 2, with one
        // operation fewer after the cosine (the half is computed while the cosine runs)
        double half = half(from - to);
        return to + half * (1 + Math.cos(Math.PI * elapsed / length));
    }

    /**
     * {@code diff / 2} rounded toward zero, so that {@code |2 * half| <= |diff|}: the same bits as {@code diff / 2}
     * except for an odd subnormal {@code diff} ({@code 3 x 2^-1074 / 2} rounds to even, {@code 2 x 2^-1074}), where
     * {@code to + half * (1 + cos)} would end beyond {@code from}: below 0 for a cosine rising from 0.
     */
    static double half(double diff) {
        double half = diff / 2;
        return Math.abs(half) * 2 > Math.abs(diff) ? Math.nextAfter(half, 0.0) : half;
    }

    /** Straight line from {@code from} (at {@code elapsed = 0}) to {@code to} (at {@code elapsed = length}). */
    static double linear(double from, double to, double elapsed, double length) {
        return from + (to - from) * (elapsed / length);
    }
}
