package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import static org.nd4j.linalg.schedule.ScheduleType.ITERATION;

/**
 * {@link KerasSchedules}' readers for the three Keras schedules with pieces ({@code PiecewiseConstantDecay},
 * {@code CosineDecay} with its warmup, {@code CosineDecayRestarts}), and the rules the readers share. Each reads a
 * {@link KerasConfig} whose keys are already checked.
 */
final class KerasPieces {

    private KerasPieces() {
    }

    /**
     * The float32 value Keras computes with ({@code ops.cast(x, "float32")}), for the parameters Keras raises to powers
     * that grow with the step ({@code decay_rate}, {@code t_mul}, {@code m_mul}), where its rounding shows.
     */
    static double float32(double x) {
        return (float) x;
    }

    /**
     * Keras: {@code values[0]} for {@code step <= boundaries[0]}, {@code values[i]} for
     * {@code boundaries[i-1] < step <= boundaries[i]}, the last value after the last boundary. The boundaries are
     * cast to the optimizer's integer step (a fractional one is truncated toward zero, as Keras's cast does), so
     * {@code values[i+1]} starts at step {@code trunc(boundaries[i]) + 1}: DL4J's {@code MapSchedule} with those
     * keys, plus key 0. A boundary at or beyond {@code 2^31 - 1} is never passed by DL4J's int iteration counter.
     */
    static ISchedule piecewise(KerasConfig c) {
        double[] boundaries = c.numbers("boundaries");
        double[] values = c.numbers("values");
        Checks.argument(values.length == boundaries.length + 1, c.owner() + ": values (" + values.length
                + " entries) must have one entry more than boundaries (" + boundaries.length + " entries)");
        for (int i = 0; i < values.length; i++) {
            c.rate("values[" + i + "]", values[i]);
        }
        for (int i = 1; i < boundaries.length; i++) {
            Checks.argument(boundaries[i] > boundaries[i - 1], c.owner() + ": boundaries must increase strictly, but"
                    + " boundaries[" + i + "] (" + boundaries[i] + ") <= boundaries[" + (i - 1) + "] ("
                    + boundaries[i - 1] + ")");
        }
        Double first = null;
        Map<Integer, Double> starts = new TreeMap<>();
        for (int i = 0; i < boundaries.length; i++) {
            long last = (long) boundaries[i];           // the last step of values[i]: the cast truncates toward zero
            if (first == null && last >= 0) {
                first = values[i] + 0.0;
            }
            if (last >= 0 && last < Integer.MAX_VALUE) {
                starts.put((int) (last + 1), values[i + 1] + 0.0);
            }
        }
        Map<Integer, Double> map = new LinkedHashMap<>();
        map.put(0, first == null ? values[values.length - 1] + 0.0 : first);
        map.putAll(starts);
        return new MapSchedule(ITERATION, map);
    }

    /**
     * Keras: {@code lr0 * ((1 - alpha) * (1 + cos(pi * min(step, decay_steps) / decay_steps)) / 2 + alpha)}; with a
     * {@code warmup_target}, first a line from {@code lr0} to it over {@code warmup_steps}, then that cosine from
     * the target, shifted by {@code warmup_steps}. Without a target, {@code warmup_steps} is ignored (as Keras
     * ignores it).
     */
    static ISchedule cosine(KerasConfig c) {
        double lr0 = c.initialRate("initial_learning_rate");
        int decaySteps = c.wholeNumber("decay_steps", 1);
        double alpha = nonNegative(c, "alpha", "the rate ends at alpha times its peak");
        if (c.isNone("warmup_target")) {
            return new CosineAnnealingSchedule(ITERATION, lr0, c.rate("alpha * initial_learning_rate", alpha * lr0),
                    decaySteps);
        }
        double target = c.rate("warmup_target");
        int warmupSteps = c.isNone("warmup_steps") ? 0 : c.wholeNumber("warmup_steps", 0);
        double min = c.rate("alpha * warmup_target", alpha * target);
        Checks.argument((long) warmupSteps + decaySteps <= Integer.MAX_VALUE, c.owner() + ": warmup_steps ("
                + warmupSteps + ") + decay_steps (" + decaySteps + ") must be <= " + Integer.MAX_VALUE
                + " (DL4J counts iterations in an int)");
        if (warmupSteps == 0) {
            return new CosineAnnealingSchedule(ITERATION, target, min, decaySteps);
        }
        return new WarmupCosineSchedule(ITERATION, target, lr0, min, warmupSteps, warmupSteps + decaySteps);
    }

    /**
     * Keras: {@code lr0 * ((1 - alpha) * m_mul^i * (1 + cos(pi * f)) / 2 + alpha)} in cycle {@code i} (lengths
     * {@code first_decay_steps * t_mul^i}), {@code f} the fraction of it done. {@link CosineWarmRestartsSchedule}
     * computes the same when {@code m_mul = 1}, or when {@code alpha = 0} with {@code 0 < m_mul <= 1}.
     */
    static ISchedule restarts(KerasConfig c) {
        double lr0 = c.initialRate("initial_learning_rate");
        int firstSteps = c.wholeNumber("first_decay_steps", 1);
        double tWritten = c.number("t_mul");
        double t = float32(tWritten);
        Checks.argument(Double.isFinite(t), c.owner() + ": t_mul (" + tWritten + ") is infinite in float32");
        Checks.argument(t >= 1, c.owner() + ": t_mul (" + tWritten + ") must be >= 1: with t_mul < 1 Keras's cycles"
                + " shrink toward step first_decay_steps / (1 - t_mul) = " + firstSteps / (1 - t)
                + ", after which its rate is NaN");
        double mWritten = c.number("m_mul");
        double m = float32(mWritten);
        Checks.argument(Double.isFinite(m), c.owner() + ": m_mul (" + mWritten + ") is infinite in float32");
        Checks.argument(m >= 0, c.owner() + ": m_mul (" + mWritten + ") must be >= 0: a negative m_mul makes the"
                + " rate fall below alpha * initial_learning_rate, and below 0, in every other cycle");
        double alpha = nonNegative(c, "alpha", "each cycle ends at alpha * initial_learning_rate");
        double min = c.rate("alpha * initial_learning_rate", alpha * lr0);
        if (m == 1 || (min == 0 && m > 0 && m < 1)) {
            return new CosineWarmRestartsSchedule(ITERATION, lr0, min, firstSteps, t, m, 0, 0);
        }
        try {
            return new CosineDecayRestartsSchedule(ITERATION, lr0, min, firstSteps, t, m, 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(c.owner() + " (t_mul " + tWritten + ", m_mul " + mWritten
                    + " in float32): " + e.getMessage(), e);
        }
    }

    private static double nonNegative(KerasConfig c, String key, String why) {
        double value = c.number(key);
        Checks.argument(value >= 0, c.owner() + ": " + key + " (" + value + ") must be >= 0 (" + why + ")");
        return value;
    }

    /**
     * Refuses a DL4J schedule whose values leave {@code [0, Double.MAX_VALUE / 2]} (or turn NaN) somewhere in the
     * int range of iterations: an {@code ExponentialDecay} whose {@code decay_rate > 1} overflows.
     */
    static void checkRange(KerasConfig c, ISchedule schedule) {
        try {
            ValueBounds.largest(c.owner(), schedule);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(c.owner() + ": decay_rate (" + c.get("decay_rate") + ") with"
                    + " decay_steps (" + c.get("decay_steps") + ") takes the rate out of [0, " + ValueBounds.MAX_VALUE
                    + "] within DL4J's int range of iterations (" + e.getMessage() + ")", e);
        }
    }
}
