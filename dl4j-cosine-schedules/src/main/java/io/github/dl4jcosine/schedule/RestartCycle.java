package io.github.dl4jcosine.schedule;

import java.io.Serializable;

/**
 * One cycle of a {@link CosineWarmRestartsSchedule} ({@link RestartCycles}): index {@code k}, start {@code S_k}, end
 * {@code S_(k+1)}, length {@code L_k}, peak {@code P_k}, and what {@code valueAt} needs to compute the cycle's
 * cosine with few operations: its half range and, for times that are ints (iterations, whole epochs), its bounds
 * as ints and its start shifted by {@code 2^52} (see {@link #elapsed}).
 *
 * <p>Immutable, every field final: {@link RestartCycles} and the schedule keep the cycle of their last lookup in a
 * plain field that threads read and write without a lock, and final fields are what make a racing thread see a
 * whole cycle. Serializable, so that a serializer that copies fields without running constructors (Spark's Kryo)
 * copies it.
 */
final class RestartCycle implements Serializable {

    private static final long serialVersionUID = 20261130L;

    private static final double TWO_52 = 0x1p52;
    private static final long TWO_52_BITS = Double.doubleToRawLongBits(TWO_52);

    final int index;
    /** {@code S_k} and {@code S_(k+1)}: exactly the bounds the lookup decides by, {@code start <= t < end}. */
    final double start;
    final double end;
    final double length;
    final double peak;

    /** The schedule's {@code minValue}, and {@code ScheduleTime.half(peak - minValue)}. */
    final double to;
    final double half;

    /**
     * The ints {@code v} with {@code start <= v < end}: {@code first <= v <= last} ({@code first = ceil(start)},
     * {@code last = ceil(end) - 1}, at most int max).
     */
    final int first;
    final int last;

    /** Whether {@code start} is an integer; then {@link #shiftedStart} is {@code 2^52 + start}, exactly. */
    final boolean integral;
    final double shiftedStart;

    RestartCycle(int index, double start, double end, double length, double peak, double minValue) {
        this.index = index;
        this.start = start;
        this.end = end;
        this.length = length;
        this.peak = peak;
        this.to = minValue;
        this.half = ScheduleTime.half(peak - minValue);
        // start <= ScheduleTime.MAX_TIME (the cycle starts in the int range), end > start; (int) saturates at int max
        this.first = (int) Math.ceil(start);
        this.last = (int) Math.min(Integer.MAX_VALUE, Math.ceil(end) - 1);
        this.integral = start == Math.rint(start);
        this.shiftedStart = integral ? TWO_52 + start : Double.NaN;
    }

    /**
     * {@code v - start}, for an int time {@code v} in this cycle ({@code first <= v <= last}), bit for bit
     * {@code (double) v - start}. When the start is an integer: {@code (2^52 + v) - (2^52 + start)}, the conversion
     * of {@code v} (its bits set into {@code 2^52}, see {@link ScheduleTime#exact}) and the subtraction of the start
     * in one exact operation (both terms lie in {@code [2^52, 2^53)}, where every integer is a double); otherwise
     * {@code exact(v) - start}.
     */
    double elapsed(int v) {
        double shifted = Double.longBitsToDouble(TWO_52_BITS | v);
        return integral ? shifted - shiftedStart : (shifted - TWO_52) - start;
    }

    /**
     * The cycle's cosine {@code elapsed} into it: {@code to + (peak - to) * (1 + cos(pi * elapsed / length)) / 2} in
     * {@link ScheduleTime#cosine}'s operations (bit for bit its result for {@code elapsed > 0}; at 0 the value is
     * {@code peak}, which callers return themselves).
     */
    double cosine(double elapsed) {
        return to + half * (1 + Math.cos(Math.PI * elapsed / length));
    }
}
