package io.github.dl4jcosine.finder;

import org.nd4j.linalg.schedule.ISchedule;

/**
 * The sweep's learning rate as an {@link ISchedule} for the network copy that {@link LearningRateFinder} trains:
 * update {@code k} of the sweep, which DL4J runs at iteration {@code startIteration + k}, gets
 * {@link #rate(double, double, int, long) rate(minValue, maxValue, steps, k)}. Before the first update of the sweep
 * it gives the first rate, after the last the last one (the copy never gets there). Immutable; never part of a
 * saved configuration (the copy is thrown away after the sweep).
 */
final class SweepSchedule implements ISchedule {

    private static final long serialVersionUID = 20261201L;

    private final double minValue;
    private final double maxValue;
    private final int steps;
    private final int startIteration;

    SweepSchedule(double minValue, double maxValue, int steps, int startIteration) {
        this.minValue = minValue;
        this.maxValue = maxValue;
        this.steps = steps;
        this.startIteration = startIteration;
    }

    /**
     * The rate of update {@code k}: {@code minValue * (maxValue / minValue)^(k / (steps - 1))}, in this order of
     * operations; the one place where the sweep's rates are computed (the recorded rates and the applied ones are
     * the same numbers).
     */
    static double rate(double minValue, double maxValue, int steps, long k) {
        return minValue * Math.pow(maxValue / minValue, (double) k / (steps - 1));
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        long k = Math.min(Math.max((long) iteration - startIteration, 0L), steps - 1L);
        return rate(minValue, maxValue, steps, k);
    }

    @Override
    public ISchedule clone() {
        return this; // immutable
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SweepSchedule)) {
            return false;
        }
        SweepSchedule s = (SweepSchedule) o;
        return Double.compare(minValue, s.minValue) == 0 && Double.compare(maxValue, s.maxValue) == 0
                && steps == s.steps && startIteration == s.startIteration;
    }

    @Override
    public int hashCode() {
        long h = Double.doubleToLongBits(minValue) * 31 + Double.doubleToLongBits(maxValue);
        return (int) (h ^ (h >>> 32)) * 31 * 31 + steps * 31 + startIteration;
    }

    @Override
    public String toString() {
        return "SweepSchedule(minValue=" + minValue + ", maxValue=" + maxValue + ", steps=" + steps
                + ", startIteration=" + startIteration + ")";
    }
}
