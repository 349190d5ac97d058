package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.InverseSchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.PolySchedule;
import org.nd4j.linalg.schedule.SigmoidSchedule;
import org.nd4j.linalg.schedule.StepSchedule;

import java.util.Map;

/**
 * The range of values a schedule gives, so that no accepted configuration yields NaN, an infinity or a
 * negative value at any {@code (iteration, epoch)}. Every value of this package's schedules lies in
 * {@code [0, MAX_VALUE]}; {@code MAX_VALUE = Double.MAX_VALUE / 2} keeps every formula here finite (a cosine
 * between two such values computes {@code (from - to) * (1 + cos)}, at most {@code Double.MAX_VALUE}).
 * DL4J's own schedules are bounded from their parameters where the formula allows (Fixed, Map, Step,
 * Exponential, Inverse, Sigmoid, Poly); other schedules from elsewhere cannot be, and are passed through.
 */
final class ValueBounds {

    /** The largest value any schedule of this package gives: {@code Double.MAX_VALUE / 2}. */
    static final double MAX_VALUE = Double.MAX_VALUE / 2;

    /** The largest int time a DL4J schedule sees. */
    private static final double MAX_INT = Integer.MAX_VALUE;

    private ValueBounds() {
    }

    /**
     * The largest value {@code schedule} gives at any {@code (iteration, epoch)}, {@code +Infinity} when it
     * cannot be told.
     *
     * @throws IllegalArgumentException naming {@code name} when the schedule is known to give a negative,
     *                                  NaN, infinite or larger value than {@link #MAX_VALUE} somewhere
     */
    static double largest(String name, ISchedule schedule) {
        if (schedule instanceof BoundedSchedule) {
            return ((BoundedSchedule) schedule).largestValue();
        }
        double[] range = foreignRange(schedule);
        if (range == null) {
            return Double.POSITIVE_INFINITY;
        }
        // compare(..) >= 0 also refuses -0.0, which would carry its sign into products
        Checks.argument(Double.compare(range[0], 0.0) >= 0 && range[1] <= MAX_VALUE, name + " (" + schedule + ") gives values in ["
                + range[0] + ", " + range[1] + "] over the int range of iterations and epochs; a schedule's values"
                + " must be finite and in [0, " + MAX_VALUE + "]");
        return range[1];
    }

    /** {@code {smallest, largest}} value of a DL4J schedule over every int time, NaN if it gives NaN; null if unknown. */
    private static double[] foreignRange(ISchedule s) {
        if (s instanceof FixedSchedule) {
            double v = ((FixedSchedule) s).getValue();
            return range(v, v);
        }
        if (s instanceof MapSchedule) {
            Map<Integer, Double> values = ((MapSchedule) s).getValues();
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (Double v : values.values()) {
                double x = v == null ? Double.NaN : v;
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
            return range(lo, hi);
        }
        if (s instanceof StepSchedule) {
            StepSchedule step = (StepSchedule) s;
            // initialValue * decayRate^floor(i / step): exponents 0 .. floor(MAX_INT / step)
            if (!(step.getStep() > 0)) {
                return range(Double.NaN, Double.NaN);
            }
            return powers(step.getInitialValue(), step.getDecayRate(), Math.floor(MAX_INT / step.getStep()));
        }
        if (s instanceof ExponentialSchedule) {
            ExponentialSchedule e = (ExponentialSchedule) s;
            return powers(e.getInitialValue(), e.getGamma(), MAX_INT);
        }
        if (s instanceof InverseSchedule) {
            InverseSchedule inv = (InverseSchedule) s;
            // initialValue / (1 + gamma * i)^power: monotone in i while the base stays > 0
            double lastBase = 1 + inv.getGamma() * MAX_INT;
            if (!(lastBase > 0)) {
                return range(Double.NaN, Double.NaN);
            }
            double init = inv.getInitialValue();
            double g = inv.getGamma();
            return range(init / Math.pow(1 + g * 0, inv.getPower()), init / Math.pow(lastBase, inv.getPower()), g * 0);
        }
        if (s instanceof SigmoidSchedule) {
            SigmoidSchedule sig = (SigmoidSchedule) s;
            // initialValue / (1 + exp(-gamma * (i - stepSize))): monotone in i
            double init = sig.getInitialValue();
            double g = sig.getGamma();
            return range(init / (1 + Math.exp(-g * (0.0 - sig.getStepSize()))),
                    init / (1 + Math.exp(-g * (MAX_INT - sig.getStepSize()))), g * 0);
        }
        if (s instanceof PolySchedule) {
            PolySchedule p = (PolySchedule) s;
            // initialValue * (1 + i / maxIter)^power for i < maxIter, 0 from maxIter on: monotone before
            int maxIter = p.getMaxIter();
            if (maxIter <= 0) {
                return range(0, 0);
            }
            double init = p.getInitialValue();
            return range(0, init * Math.pow(1.0, p.getPower()),
                    init * Math.pow(1 + (maxIter - 1.0) / maxIter, p.getPower()));
        }
        return null;
    }

    /** {@code a * b^e} for integer {@code e} in {@code [0, last]}; odd powers of a negative {@code b} (or -0.0) flip the sign. */
    private static double[] powers(double a, double b, double last) {
        if (Math.copySign(1.0, b) < 0 && last >= 1) {
            return range(a, a * b, a * Math.pow(b, last), a * Math.pow(b, last - 1));
        }
        return range(a, a * Math.pow(b, last));
    }

    /**
     * {@code {min, max}} of the values; NaN in both when any is NaN. Callers pass the formula's value at both
     * ends of a monotone stretch, evaluated as the schedule does (so {@code pow(1, Infinity) = NaN} shows), and
     * {@code x * 0} for a parameter {@code x} that must be finite.
     */
    private static double[] range(double... values) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return new double[] {lo, hi};
    }
}
